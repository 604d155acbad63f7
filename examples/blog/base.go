package main

import (
	"errors"
	"strconv"

	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/web"
)

// baseHandler is the demo's BaseHandler: the signed-in author from the
// signed cookie, the blog's error pages. Every blog handler talks to the
// database, so every one is blocking: it runs on the worker pool, never
// on the loop.
type baseHandler struct {
	web.RequestHandler
	web.Blocking
	Blog *blog
}

// GetCurrentUser returns the author whose id the signed cookie holds, or
// nil.
func (h *baseHandler) GetCurrentUser() (any, error) {
	v, ok := h.GetSecureCookie(userCookie)
	if !ok {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, nil
	}
	a, err := h.Blog.db.AuthorByID(h.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil // the author is gone (a new database): signed out
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// author returns the signed-in author, or nil.
func (h *baseHandler) author() *store.Author {
	a, _ := h.CurrentUser().(*store.Author)
	return a
}

// next returns the "next" argument of the login, logout and create-author
// pages, "/" when absent, or a 400 error for a value that is not a path on
// this site (web.IsLocalURL): anything else would make the blog an open
// redirect, a link to the real blog that lands on a phishing page after
// the user signs in. Refused up front, so the forms never carry it; the
// redirects to it go through RedirectLocal all the same.
func (h *baseHandler) next() (string, error) {
	v, err := h.GetArgument("next", "")
	if err != nil {
		return "", err
	}
	if v == "" {
		return "/", nil
	}
	if !web.IsLocalURL(v) {
		return "", web.NewHTTPError(400, "refused next=%q: not a local path", v).WithReason("Bad Request")
	}
	return v, nil
}

// errorMessages are the sentences of the blog's error page.
var errorMessages = map[int]string{
	400: "The request was not understood.",
	403: "You may not do that.",
	404: "There is no such page on this blog.",
	405: "That method is not allowed here.",
	429: "Too many attempts: wait a little, then try again.",
}

// WriteError renders the blog's error page (error.html), in the blog's
// layout; in debug mode a server error shows its stack instead.
func (h *baseHandler) WriteError(status int, err error) error {
	if status >= 500 && h.Application().Settings().Debug && err != nil {
		return h.RequestHandler.WriteError(status, err)
	}
	msg, ok := errorMessages[status]
	if !ok {
		msg = "Something went wrong on our side. Please try again later."
	}
	if rerr := h.Render("error.html", web.Vars{
		"status_code": status, "reason": h.Reason(), "message": msg,
	}); rerr != nil {
		if h.Finished() {
			return rerr
		}
		h.Clear()
		h.SetStatus(status)
		return h.RequestHandler.WriteError(status, err)
	}
	return nil
}

// notFoundHandler answers the URLs no rule matches with the 404 page.
type notFoundHandler struct{ baseHandler }

// Prepare fails every request with 404.
func (h *notFoundHandler) Prepare() error { return web.NewHTTPError(404) }

// CheckXSRFCookie lets a POST to an unknown URL be a 404, not a 403.
func (h *notFoundHandler) CheckXSRFCookie() error { return nil }
