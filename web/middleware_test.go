package web_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/tornago/tornago/web"
)

func TestMiddleware(t *testing.T) {
	var order []string
	app := newApp(t, []web.Rule{
		{Pattern: "/", Handler: fn(func(h *web.RequestHandler) error {
			order = append(order, "handler")
			return h.Write("body")
		})},
		{Pattern: "/fail", Handler: fn(func(h *web.RequestHandler) error { return errors.New("boom") })},
		{Pattern: "/panic", Handler: fn(func(h *web.RequestHandler) error { panic("boom") })},
	}, web.Settings{})
	app.Use(func(h *web.RequestHandler, next web.Next) error {
		order = append(order, "outer before")
		h.SetHeader("X-Request-Id", "42")
		err := next(h)
		order = append(order, "outer after")
		return err
	}, func(h *web.RequestHandler, next web.Next) error {
		order = append(order, "inner before")
		if h.Request.Header.Get("X-Deny") != "" {
			return web.NewHTTPError(403, "denied by middleware")
		}
		err := next(h)
		if err != nil && h.Request.Path == "/fail" {
			return web.NewHTTPError(503) // translate errors
		}
		return err
	})
	c := webtestClient(t, app)
	r := c.Get("/")
	if r.Text() != "body" || r.Get("X-Request-Id") != "42" {
		t.Errorf("GET / = %q %s", r.Text(), r.Header.String())
	}
	if got := strings.Join(order, ", "); got != "outer before, inner before, handler, outer after" {
		t.Errorf("order: %s", got)
	}
	expectStatus(t, "middleware refusing", c.Get("/", "X-Deny", "1"), 403)
	expectStatus(t, "middleware translating an error", c.Get("/fail"), 503)
	expectStatus(t, "panic under middleware", c.Get("/panic"), 500)
	expectStatus(t, "404 goes through middleware too", c.Get("/none", "X-Deny", "1"), 403)
}
