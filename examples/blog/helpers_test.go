package main

import (
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tornago/tornago/examples/blog/internal/loginlimit"
	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/templates"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// testSecret signs the tests' cookies.
const testSecret = "test-cookie-secret-0123456789abcdef0123456789"

// testAuthor is the author the tests sign up.
var testAuthor = url.Values{"email": {"ben@example.com"}, "name": {"Ben"}, "password": {"correct horse"}}

// newTestApp returns the blog over db with cheap bcrypt and the given
// limiter (nil: defaults), and an in-process client for it.
func newTestApp(t *testing.T, db store.Store, limiter *loginlimit.Limiter) (*web.Application, *webtest.Client) {
	t.Helper()
	app, err := newApplication(db, options{files: templates.FS, cookieSecret: testSecret, bcryptCost: bcrypt.MinCost, limiter: limiter,
		logger: slog.New(web.NewLogHandler(t.Output(), slog.LevelWarn))})
	if err != nil {
		t.Fatal(err)
	}
	c := webtest.NewClient(t, app)
	c.Timeout = 20 * time.Second // bcrypt and PostgreSQL under -race on a busy machine
	return app, c
}

// want fails the test unless resp has status and, when loc is not "",
// redirects to loc.
func want(t *testing.T, what string, resp *webtest.Response, status int, loc string) {
	t.Helper()
	if resp.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, resp.Status, status, resp.Text())
	}
	if loc != "" && resp.Get("Location") != loc {
		t.Fatalf("%s: Location %q, want %q", what, resp.Get("Location"), loc)
	}
}

// contains fails the test unless the body holds every one of subs.
func contains(t *testing.T, what string, resp *webtest.Response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(resp.Text(), s) {
			t.Fatalf("%s: body lacks %q:\n%s", what, s, resp.Text())
		}
	}
}

// lacks fails the test if the body holds any of subs.
func lacks(t *testing.T, what string, resp *webtest.Response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(resp.Text(), s) {
			t.Fatalf("%s: body holds %q:\n%s", what, s, resp.Text())
		}
	}
}

// signUp creates the test author through the form and leaves c signed in.
func signUp(t *testing.T, c *webtest.Client) {
	t.Helper()
	want(t, "GET /auth/create", c.Get("/auth/create"), 200, "")
	want(t, "POST /auth/create", c.Post("/auth/create", testAuthor), 302, "/")
	if c.Cookie(userCookie) == "" {
		t.Fatal("no login cookie after creating the author")
	}
}

// post publishes an entry through /compose and returns its path.
func post(t *testing.T, c *webtest.Client, title, md string) string {
	t.Helper()
	c.Get("/compose") // the XSRF cookie
	resp := c.Post("/compose", url.Values{"title": {title}, "markdown": {md}})
	want(t, "POST /compose", resp, 302, "")
	return resp.Get("Location")
}

// postRaw sends a form without the XSRF token.
func postRaw(c *webtest.Client, target string, form url.Values) *webtest.Response {
	return c.Fetch("POST", target, []byte(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
}
