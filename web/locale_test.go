package web_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tornago/tornago/locale"
	"github.com/tornago/tornago/template"
	"github.com/tornago/tornago/web"
)

type acceptLanguage struct{ web.RequestHandler }

func (h *acceptLanguage) Get() error {
	h.SetHeader("Content-Language", strings.ReplaceAll(h.BrowserLocale().Code, "_", "-"))
	return h.Write(h.Locale().Translate("school", "", 0))
}

type userLocale struct{ web.RequestHandler }

func (h *userLocale) GetUserLocale() *locale.Locale {
	if l, _ := h.GetArgument("lang", ""); l != "" {
		return locale.Get(l)
	}
	return nil
}

func (h *userLocale) Get() error { return h.Render("t.html", nil) }

func TestLocale(t *testing.T) {
	fsys := fstest.MapFS{"fr_FR.csv": {Data: []byte("\"school\",\"école\"\n\"%(n)d item\",\"%(n)d élément\",singular\n\"%(n)d items\",\"%(n)d éléments\",plural\n")}}
	if err := locale.LoadTranslationsFS(fsys, "."); err != nil {
		t.Fatal(err)
	}
	c := client(t, []web.Rule{
		{Pattern: "/", Handler: &acceptLanguage{}},
		{Pattern: "/user", Handler: &userLocale{}},
	}, web.Settings{TemplateLoader: template.NewDictLoader(map[string]string{
		"t.html": `{{ locale.code }} {{ _("school") }} {{ _("%(n)d item", "%(n)d items", 2) }}`,
	})})
	tests := []struct{ header, lang, body string }{
		{"fr-FR;q=0.9", "fr-FR", "école"},
		{"fr-FR; q=0.9", "fr-FR", "école"},
		{"fr-FR;q=0", "en-US", "school"},
		{"fr-FR;q=-1", "en-US", "school"},
		{"de, fr-FR;q=0.5", "fr-FR", "école"},
		{"", "en-US", "school"},
	}
	for _, tt := range tests {
		r := c.Get("/", "Accept-Language", tt.header)
		if r.Get("Content-Language") != tt.lang || r.Text() != tt.body {
			t.Errorf("Accept-Language %q: %q %q; want %q %q", tt.header, r.Get("Content-Language"), r.Text(), tt.lang, tt.body)
		}
	}
	expect(t, "GetUserLocale", c.Get("/user?lang=fr_FR"), 200, "fr_FR école %(n)d éléments")
	expect(t, "GetUserLocale nil: the browser's", c.Get("/user", "Accept-Language", "en"), 200, "en_US school %(n)d items")
}
