package web_test

import (
	"errors"
	"regexp"
	"testing"

	"github.com/tornago/tornago/web"
)

type authRedirect struct {
	web.RequestHandler
	web.Authenticated
	LoginURL string
}

func (h *authRedirect) GetLoginURL() string { return h.LoginURL }
func (h *authRedirect) Get() error          { return h.SendError(500) }
func (h *authRedirect) Post() error         { return h.SendError(500) }

// userHandler has a user when the request says ?user=name.
type userHandler struct{ web.RequestHandler }

func (h *userHandler) GetCurrentUser() (any, error) {
	switch u, _ := h.GetArgument("user", ""); u {
	case "":
		return nil, nil
	case "fail":
		return nil, errors.New("user store down")
	default:
		return u, nil
	}
}

type secretPage struct{ userHandler }

func (h *secretPage) Get() error {
	if err := h.Authenticate(); err != nil {
		return err
	}
	return h.Write("hello " + h.CurrentUser().(string))
}

type setUser struct{ userHandler }

func (h *setUser) Prepare() error {
	h.SetCurrentUser("Ben")
	return nil
}
func (h *setUser) Get() error { return h.Write("Hello " + h.CurrentUser().(string)) }

func TestAuthenticated(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/relative", Handler: &authRedirect{LoginURL: "/login"}},
		{Pattern: "/absolute", Handler: &authRedirect{LoginURL: "http://example.com/login"}},
		{Pattern: "/query", Handler: &authRedirect{LoginURL: "/login?x=1"}},
		{Pattern: "/secret", Handler: &secretPage{}},
		{Pattern: "/set", Handler: &setUser{}},
	}, web.Settings{LoginURL: "/settings-login"})
	r := c.Get("/relative")
	if r.Status != 302 || r.Get("Location") != "/login?next=%2Frelative" {
		t.Errorf("relative: %d %q", r.Status, r.Get("Location"))
	}
	r = c.Get("/absolute")
	if r.Status != 302 || !regexp.MustCompile(`^http://example.com/login\?next=http%3A%2F%2F127.0.0.1%2Fabsolute$`).MatchString(r.Get("Location")) {
		t.Errorf("absolute: %d %q", r.Status, r.Get("Location"))
	}
	if r := c.Get("/query"); r.Get("Location") != "/login?x=1" {
		t.Errorf("login URL with a query: %q", r.Get("Location"))
	}
	expectStatus(t, "POST without a user", c.Fetch("POST", "/relative", nil), 403)
	r = c.Get("/secret?a=b")
	if r.Status != 302 || r.Get("Location") != "/settings-login?next=%2Fsecret%3Fa%3Db" {
		t.Errorf("settings login URL: %d %q", r.Status, r.Get("Location"))
	}
	expect(t, "with a user", c.Get("/secret?user=ann"), 200, "hello ann")
	expectStatus(t, "GetCurrentUser failing", c.Get("/secret?user=fail"), 500)
	expect(t, "SetCurrentUser", c.Get("/set"), 200, "Hello Ben")
}
