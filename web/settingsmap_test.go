package web_test

import (
	"strings"
	"testing"

	"github.com/tornago/tornago/template"
	"github.com/tornago/tornago/web"
)

type settingsPage struct{ web.RequestHandler }

func (h *settingsPage) Get(name string) error { return h.Render(name+".html", nil) }

type settingsGo struct{ web.RequestHandler }

func (h *settingsGo) Get() error {
	s := h.Settings()
	_, secret := s["cookie_secret"]
	return h.Write(map[string]any{"title": s["blog_title"], "debug": s["debug"], "secret": secret})
}

func TestSettingsInTemplates(t *testing.T) {
	loader := template.NewDictLoader(map[string]string{
		"title.html":   `{{ handler.settings["blog_title"] }}`,
		"get.html":     `{{ handler.settings.get("nope", "default") }}|{{ handler.settings.get("login_url") }}`,
		"builtin.html": `{{ handler.settings["debug"] }} {{ handler.settings["xsrf_cookies"] }} {{ handler.settings["static_url_prefix"] }} {{ handler.settings["xsrf_cookie_name"] }}`,
		"secret.html":  `{{ "cookie_secret" in handler.settings }} {{ "key_version" in handler.settings }}`,
		"missing.html": `{{ handler.settings["nope"] }}`,
	})
	c := client(t, []web.Rule{
		{Pattern: "/t/(.*)", Handler: &settingsPage{}},
		{Pattern: "/go", Handler: &settingsGo{}},
	}, web.Settings{
		TemplateLoader: loader,
		XSRFCookies:    true,
		LoginURL:       "/login",
		CookieSecret:   "a long random secret of at least 32 bytes",
		Extra:          map[string]any{"blog_title": "Tornado <Blog>"},
	})
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/t/title", 200, "Tornado &lt;Blog&gt;"},
		{"/t/get", 200, "default|/login"},
		{"/t/builtin", 200, "False True /static/ _xsrf"},
		{"/t/secret", 200, "False False"},
		{"/t/missing", 500, ""},
		{"/go", 200, `{"debug":false,"secret":false,"title":"Tornado <Blog>"}`},
	}
	for _, tt := range tests {
		r := c.Get(tt.path)
		if r.Status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.path, r.Status, tt.status)
			continue
		}
		if tt.want != "" && r.Text() != tt.want {
			t.Errorf("%s: %q, want %q", tt.path, r.Text(), tt.want)
		}
	}
}

func TestSettingsExtraRefusesBuiltins(t *testing.T) {
	for _, name := range []string{"debug", "cookie_secret", "login_url", "static_url_prefix", "key_version"} {
		_, err := web.NewApplication(nil, web.Settings{Extra: map[string]any{name: "x"}})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("Extra[%q]: err %v", name, err)
		}
	}
	if _, err := web.NewApplication(nil, web.Settings{Extra: map[string]any{"blog_title": "x"}}); err != nil {
		t.Errorf("Extra[blog_title]: %v", err)
	}
}
