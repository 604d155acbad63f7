package web_test

import (
	"strings"
	"testing"

	"github.com/tornago/tornago/template"
	"github.com/tornago/tornago/web"
)

type renderHandler struct {
	web.RequestHandler
	Name string
	Vars web.Vars
}

func (h *renderHandler) Get(...string) error { return h.Render(h.Name, h.Vars) }

// Value is called by templates and UI modules through the handler.
func (h *renderHandler) Value() string {
	v, _ := h.GetArgument("value", "")
	return v
}

type myModule struct{ web.UIModule }

func (m *myModule) Render(x int) string {
	return "In MyModule(" + itoaTest(x) + ") with handler value " + m.Handler.Handler().(*renderHandler).Value() + "."
}

type resourceModule struct{ web.UIModule }

func (m *resourceModule) Render() (string, error) { return "<p>res</p>", nil }
func (m *resourceModule) CSSFiles() []string      { return []string{"/base.css", "/base.css", "rel.css"} }
func (m *resourceModule) JavaScriptFiles() []string {
	return []string{"https://cdn.example/x.js"}
}
func (m *resourceModule) EmbeddedCSS() string { return "p{}" }

func itoaTest(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestRenderUIModuleResources(t *testing.T) {
	loader := template.NewDictLoader(map[string]string{
		"linkify.html": "{% module linkify(message) %}",
		"page.html": `<html><head></head><body>
{% for e in entries %}
{% module Template("entry.html", entry=e) %}
{% end %}
</body></html>`,
		"entry.html": `{{ set_resources(embedded_css=".entry { margin-bottom: 1em; }",
                 embedded_javascript="js_embed()",
                 css_files=["/base.css", "/foo.css"],
                 javascript_files="/common.js",
                 html_head="<meta>",
                 html_body='<script src="/analytics.js"/>') }}
<div class="entry">...</div>`,
		"foo.html":       "{{ my_ui_method(42) }} {% module MyModule(123) %}",
		"resources.html": "<html><head><title>t</title></head><body>{% module Res() %}{% module Res() %}</body></html>",
		"namespace.html": "{{ request.path }}|{{ current_user }}|{{ locale.code }}|{{ _('Hello') }}|{{ reverse_url('page', 7) }}|{{ static_url('robots.txt', no_version=True) }}",
	})
	c := client(t, []web.Rule{
		{Pattern: "/linkify", Handler: &renderHandler{Name: "linkify.html", Vars: web.Vars{"message": "http://example.com"}}},
		{Pattern: "/uimodule_resources", Handler: &renderHandler{Name: "page.html", Vars: web.Vars{"entries": []int{1, 2}}}},
		{Pattern: "/foo", Handler: &renderHandler{Name: "foo.html"}},
		{Pattern: "/resources", Handler: &renderHandler{Name: "resources.html"}},
		{Pattern: "/page/([0-9]+)", Handler: &struct {
			renderHandler
		}{renderHandler{Name: "namespace.html"}}, Name: "page"},
	}, web.Settings{
		TemplateLoader: loader,
		StaticPath:     t.TempDir(),
		UIMethods: map[string]any{
			"my_ui_method": func(h web.Handler, x int) string {
				return "In my_ui_method(" + itoaTest(x) + ") with handler value " + h.(*renderHandler).Value() + "."
			},
		},
		UIModules: map[string]any{"MyModule": &myModule{}, "Res": &resourceModule{}},
	})
	expect(t, "linkify module is not escaped", c.Get("/linkify"), 200, `<a href="http://example.com">http://example.com</a>`)
	want := `<html><head><link href="/base.css" type="text/css" rel="stylesheet"/><link href="/foo.css" type="text/css" rel="stylesheet"/>
<style type="text/css">
.entry { margin-bottom: 1em; }
</style>
<meta>
</head><body>


<div class="entry">...</div>


<div class="entry">...</div>

<script src="/common.js" type="text/javascript"></script>
<script type="text/javascript">
//<![CDATA[
js_embed()
//]]>
</script>
<script src="/analytics.js"/>
</body></html>`
	if got := c.Get("/uimodule_resources").Text(); got != want {
		t.Errorf("UI module resources:\n%s\nwant:\n%s", got, want)
	}
	expect(t, "UI method and module see the handler", c.Get("/foo?value=asdf"), 200,
		"In my_ui_method(42) with handler value asdf. In MyModule(123) with handler value asdf.")
	expect(t, "handler namespace", c.Get("/page/7"), 200, "/page/7|None|en_US|Hello|/page/7|/static/robots.txt")
	got := c.Get("/resources").Text()
	if strings.Count(got, `href="/base.css"`) != 1 || !strings.Contains(got, `href="/static/rel.css"`) ||
		!strings.Contains(got, `<script src="https://cdn.example/x.js"`) || strings.Count(got, "p{}") != 1 ||
		strings.Count(got, "<p>res</p>") != 2 {
		t.Errorf("module resources de-duplicated and relative paths made static:\n%s", got)
	}
}
