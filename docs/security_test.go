package docs_test

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// guide: auth

// BaseHandler is the application's base: it knows who is logged in.
type BaseHandler struct{ web.RequestHandler }

// GetCurrentUser is called at most once per request, when needed.
func (h *BaseHandler) GetCurrentUser() (any, error) {
	if name, ok := h.GetSecureCookie("user"); ok { // tampered or expired: absent
		return name, nil
	}
	return nil, nil
}

// LoginHandler logs anyone in (check a password in a real application).
type LoginHandler struct{ BaseHandler }

// Get shows the form, with its XSRF field.
func (h *LoginHandler) Get() error {
	return h.Write(`<form method="post">` + h.XSRFFormHTML() + `<input name="name"></form>`)
}

// Post signs the user in and goes back to ?next=, on this site only.
func (h *LoginHandler) Post() error {
	name, err := h.GetArgument("name")
	if err != nil {
		return err
	}
	if err := h.SetSecureCookie("user", name); err != nil {
		return err
	}
	next, _ := h.GetArgument("next", "/")
	return h.RedirectLocal(next) // "//evil.example" becomes "/"
}

// ComposeHandler is for logged-in users only.
type ComposeHandler struct {
	BaseHandler
	web.Authenticated // GET: redirect to LoginURL?next=...; POST: 403
}

// Get greets the user.
func (h *ComposeHandler) Get() error {
	return h.Write("write something, " + h.CurrentUser().(string))
}

func authApp(secret string) (*web.Application, error) {
	return web.NewApplication([]web.Rule{
		{Pattern: "/login", Handler: &LoginHandler{}},
		{Pattern: "/compose", Handler: &ComposeHandler{}},
	}, web.Settings{
		CookieSecret: secret, // at least 32 random bytes, from a file or the environment
		LoginURL:     "/login",
		XSRFCookies:  true, // POST, PUT, PATCH and DELETE need the _xsrf token
	})
}

// end

func Example_auth() {
	app, err := authApp("a long random secret of at least 32 bytes")
	if err != nil {
		panic(err)
	}
	c := webtest.NewClient(nil, app)
	r := c.Get("/compose")
	fmt.Println(r.Status, r.Get("Location"))
	fmt.Println(c.Post("/login", url.Values{"name": {"ann"}}).Status) // no XSRF token
	c.Get("/login")                                                   // sets the _xsrf cookie
	r = c.Post("/login", url.Values{"name": {"ann"}, "next": {"//evil.example"}, "_xsrf": {c.XSRFToken()}})
	fmt.Println(r.Status, r.Get("Location"), strings.Contains(r.Get("Set-Cookie"), "HttpOnly"))
	fmt.Println(c.Get("/compose").Text())
	// Output:
	// 302 /login?next=%2Fcompose
	// 403
	// 302 / true
	// write something, ann
}

// guide: key-rotation

func rotatedSettings() web.Settings {
	return web.Settings{
		CookieSecrets: map[int]string{
			1: "the old secret, kept to read cookies until they expire",
			2: "the new secret, used to sign every new cookie from now on",
		},
		KeyVersion: 2,
	}
}

// end

func Example_keyRotation() {
	s := rotatedSettings()
	before, _ := web.NewApplication(nil, web.Settings{CookieSecrets: map[int]string{1: s.CookieSecrets[1]}, KeyVersion: 1})
	signed, _ := before.SignValue("user", "ann")
	after, _ := web.NewApplication(nil, s)
	v, ok := after.VerifyValue("user", signed, 0)
	fmt.Println(v, ok)
	delete(s.CookieSecrets, 1)
	dropped, _ := web.NewApplication(nil, s)
	_, ok = dropped.VerifyValue("user", signed, 0)
	fmt.Println(ok)
	// Output:
	// ann true
	// false
}
