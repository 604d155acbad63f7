package main

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/web"
)

// Login error messages, the demo's.
const (
	msgEmailNotFound     = "email not found"
	msgIncorrectPassword = "incorrect password"
)

// authorForm is the create-author page's form.
type authorForm struct {
	Email    string `form:"email" validate:"required,email,max=100"`
	Name     string `form:"name" validate:"required,max=100"`
	Password string `form:"password" validate:"required,min=8"`
}

// authCreateHandler is /auth/create: the first author signs up. Once an
// author exists it answers 400, as the demo's POST does.
type authCreateHandler struct{ baseHandler }

// Prepare refuses the page once an author exists.
func (h *authCreateHandler) Prepare() error {
	n, err := h.Blog.db.CountAuthors(h.Context())
	if err != nil {
		return err
	}
	if n > 0 {
		return web.NewHTTPError(400, "an author already exists")
	}
	return nil
}

// Get renders the create-author form.
func (h *authCreateHandler) Get() error {
	next, err := h.next()
	if err != nil {
		return err
	}
	return h.render(authorForm{}, map[string]string{}, next)
}

func (h *authCreateHandler) render(form authorForm, errs map[string]string, next string) error {
	return h.Render("create_author.html", web.Vars{
		"form": map[string]string{"email": form.Email, "name": form.Name}, "errors": errs, "next": next,
	})
}

// Post creates the author, signs them in and goes to next.
func (h *authCreateHandler) Post() error {
	next, err := h.next()
	if err != nil {
		return err
	}
	var form authorForm
	errs := map[string]string{}
	if err := h.Bind(&form); err != nil {
		var fe *web.FormError
		if !errors.As(err, &fe) {
			return err
		}
		errs = fe.Fields
	}
	if len(form.Password) > maxPasswordBytes && errs["password"] == "" {
		errs["password"] = fmt.Sprintf("password must be at most %d bytes", maxPasswordBytes)
	}
	if len(errs) > 0 {
		h.SetStatus(400)
		return h.render(form, errs, next)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(form.Password), h.Blog.bcryptCost)
	if err != nil {
		return err
	}
	a, err := h.Blog.db.CreateFirstAuthor(h.Context(), store.NewAuthor{
		Email: form.Email, Name: form.Name, HashedPassword: string(hash),
	})
	if errors.Is(err, store.ErrAuthorExists) {
		return web.NewHTTPError(400, "an author already exists")
	}
	if err != nil {
		return err
	}
	if err := h.SetSecureCookie(userCookie, strconv.FormatInt(a.ID, 10)); err != nil {
		return err
	}
	return h.RedirectLocal(next)
}

// authLoginHandler is /auth/login.
type authLoginHandler struct{ baseHandler }

// Get renders the login form, or sends a blog without authors to
// /auth/create.
func (h *authLoginHandler) Get() error {
	next, err := h.next()
	if err != nil {
		return err
	}
	n, err := h.Blog.db.CountAuthors(h.Context())
	if err != nil {
		return err
	}
	if n == 0 {
		return h.Redirect("/auth/create?next=" + url.QueryEscape(next))
	}
	return h.render("", "", next)
}

func (h *authLoginHandler) render(email, msg, next string) error {
	var e any // None
	if msg != "" {
		e = msg
	}
	return h.Render("login.html", web.Vars{"form": map[string]string{"email": email}, "error": e, "next": next})
}

// Post checks the password (bcrypt, on this worker goroutine, never the
// loop), signs the author in and goes to next; a failure re-renders the
// form with the demo's message and counts against the address and email.
func (h *authLoginHandler) Post() error {
	next, err := h.next()
	if err != nil {
		return err
	}
	email, err := h.GetArgument("email", "")
	if err != nil {
		return err
	}
	password, err := h.GetArgument("password", "")
	if err != nil {
		return err
	}
	ip := h.Request.RemoteIP
	if ok, wait := h.Blog.limiter.Check(ip, email); !ok {
		secs := int(wait.Round(time.Second) / time.Second)
		h.SetStatus(429)
		if err := h.SetHeader("Retry-After", max(secs, 1)); err != nil {
			return err
		}
		return h.render(email, fmt.Sprintf("too many failed sign-ins: try again in %s", wait.Round(time.Second)), next)
	}
	a, err := h.Blog.db.AuthorByEmail(h.Context(), email)
	if errors.Is(err, store.ErrNotFound) {
		h.Blog.limiter.Failed(ip, email)
		return h.render(email, msgEmailNotFound, next)
	}
	if err != nil {
		return err
	}
	if err := bcrypt.CompareHashAndPassword([]byte(a.HashedPassword), []byte(password)); err != nil {
		if !errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
			return err
		}
		h.Blog.limiter.Failed(ip, email)
		return h.render(email, msgIncorrectPassword, next)
	}
	h.Blog.limiter.Succeeded(ip, email)
	if err := h.SetSecureCookie(userCookie, strconv.FormatInt(a.ID, 10)); err != nil {
		return err
	}
	return h.RedirectLocal(next)
}

// authLogoutHandler is GET /auth/logout.
type authLogoutHandler struct{ baseHandler }

// Get clears the login cookie and goes to next.
func (h *authLogoutHandler) Get() error {
	next, err := h.next()
	if err != nil {
		return err
	}
	if err := h.ClearCookie(userCookie); err != nil {
		return err
	}
	return h.RedirectLocal(next)
}
