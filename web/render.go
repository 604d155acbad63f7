package web

import (
	"bytes"
	"errors"
	"strings"
	"sync"

	"github.com/tornago/tornago/escape"
	"github.com/tornago/tornago/template"
)

// Vars are the variables a template is rendered with.
type Vars = map[string]any

// templateCache keeps one template loader per template directory, shared by
// all handlers, as Tornado's RequestHandler._template_loaders.
type templateCache struct {
	settings *Settings
	mu       sync.Mutex
	loaders  map[string]*template.Loader
}

func newTemplateCache(s *Settings) *templateCache {
	return &templateCache{settings: s, loaders: make(map[string]*template.Loader)}
}

// ErrNoTemplatePath is returned by Render when the application has no
// template directory, file system or loader.
var ErrNoTemplatePath = errors.New("web: rendering needs Settings.TemplatePath, TemplateFS or TemplateLoader")

func (tc *templateCache) loader(path string) (*template.Loader, error) {
	s := tc.settings
	if path == "" && s.TemplateLoader != nil {
		return s.TemplateLoader, nil
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if l, ok := tc.loaders[path]; ok {
		return l, nil
	}
	var opts []template.Option
	switch s.Autoescape {
	case "":
	case AutoescapeNone:
		opts = append(opts, template.Autoescape(""))
	default:
		opts = append(opts, template.Autoescape(s.Autoescape))
	}
	if s.TemplateWhitespace != "" {
		opts = append(opts, template.Whitespace(s.TemplateWhitespace))
	}
	var l *template.Loader
	switch {
	case path != "":
		l = template.NewLoader(path, opts...)
	case s.TemplateFS != nil:
		l = template.NewFSLoader(s.TemplateFS, opts...)
	case s.TemplatePath != "":
		l = template.NewLoader(s.TemplatePath, opts...)
	default:
		return nil, ErrNoTemplatePath
	}
	tc.loaders[path] = l
	return l, nil
}

// templateLoader returns the loader of the handler's template directory,
// emptied once per request when templates are not cached (Debug).
func (h *RequestHandler) templateLoader() (*template.Loader, error) {
	path := ""
	if tp, ok := h.self.(templatePathGiver); ok {
		path = tp.GetTemplatePath()
	}
	l, err := h.app.templates.loader(path)
	if err != nil {
		return nil, err
	}
	if ms := h.moduleState(); !h.app.settings.templateCache() && !ms.reset {
		l.Reset()
		ms.reset = true
	}
	return l, nil
}

// RenderString renders the template name with Tornado's handler namespace
// (handler, request, current_user, locale, _, static_url, xsrf_form_html,
// reverse_url, modules and the UI methods) plus vars, and returns the text.
func (h *RequestHandler) RenderString(name string, vars Vars) (string, error) {
	b, err := h.renderBytes(name, vars)
	return string(b), err
}

func (h *RequestHandler) renderBytes(name string, vars Vars) ([]byte, error) {
	l, err := h.templateLoader()
	if err != nil {
		return nil, err
	}
	t, err := l.Load(name)
	if err != nil {
		return nil, err
	}
	ns := h.TemplateNamespace()
	if err := h.x.userErr; err != nil { // TemplateNamespace made h.x
		return nil, err
	}
	for k, v := range vars {
		ns[k] = v
	}
	return t.Generate(ns)
}

// Render renders the template name (as RenderString), puts the CSS and
// JavaScript of the UI modules it used into <head> and before </body>,
// writes the page and finishes the response.
func (h *RequestHandler) Render(name string, vars Vars) error {
	if h.finished.Load() || h.out == nil {
		return ErrFinished
	}
	html, err := h.renderBytes(name, vars)
	if err != nil {
		return err
	}
	if h.x != nil && h.x.modules != nil && len(h.x.modules.active) > 0 {
		html = h.insertResources(html)
	}
	h.out.buf = append(h.out.buf, html...)
	return h.Finish()
}

// TemplateNamespace returns the variables every template rendered by the
// handler sees (Tornado's get_template_namespace).
func (h *RequestHandler) TemplateNamespace() map[string]any {
	loc := h.Locale()
	ns := map[string]any{
		"handler":        h.self,
		"request":        h.Request,
		"current_user":   h.CurrentUser(),
		"locale":         loc,
		"_":              loc.Tr,
		"pgettext":       func(context, message string, rest ...any) string { return loc.Tr(message, rest...) },
		"static_url":     h.StaticURL,
		"xsrf_form_html": h.XSRFFormHTML,
		"reverse_url":    h.ReverseURL,
	}
	h.app.ui.bindMethods(h, ns)
	ns["modules"] = h.moduleNamespace()
	return ns
}

// ReverseURL returns the path of the application's route named name with
// args in place of its groups.
func (h *RequestHandler) ReverseURL(name string, args ...any) (string, error) {
	return h.app.ReverseURL(name, args...)
}

// insertResources puts the UI modules' resources into the page as Tornado's
// render() does: linked and embedded CSS and html_head parts before the
// first </head>, linked and embedded JavaScript before the last </body>,
// html_body parts before the first </body>.
func (h *RequestHandler) insertResources(html []byte) []byte {
	var jsEmbed, jsFiles, cssEmbed, cssFiles, heads, bodies []string
	for _, am := range h.x.modules.active {
		inst := am.inst
		if m, ok := inst.(interface{ EmbeddedJavaScript() string }); ok {
			if s := m.EmbeddedJavaScript(); s != "" {
				jsEmbed = append(jsEmbed, s)
			}
		}
		if m, ok := inst.(interface{ JavaScriptFiles() []string }); ok {
			jsFiles = append(jsFiles, m.JavaScriptFiles()...)
		}
		if m, ok := inst.(interface{ EmbeddedCSS() string }); ok {
			if s := m.EmbeddedCSS(); s != "" {
				cssEmbed = append(cssEmbed, s)
			}
		}
		if m, ok := inst.(interface{ CSSFiles() []string }); ok {
			cssFiles = append(cssFiles, m.CSSFiles()...)
		}
		if m, ok := inst.(interface{ HTMLHead() string }); ok {
			if s := m.HTMLHead(); s != "" {
				heads = append(heads, s)
			}
		}
		if m, ok := inst.(interface{ HTMLBody() string }); ok {
			if s := m.HTMLBody(); s != "" {
				bodies = append(bodies, s)
			}
		}
	}
	if len(jsFiles) > 0 {
		var b strings.Builder
		for _, p := range h.resourcePaths(jsFiles) {
			b.WriteString(`<script src="` + escape.XHTMLEscape(p) + `" type="text/javascript"></script>`)
		}
		html = insertAt(html, lastIndex(html, "</body>"), b.String()+"\n")
	}
	if len(jsEmbed) > 0 {
		js := "<script type=\"text/javascript\">\n//<![CDATA[\n" + strings.Join(jsEmbed, "\n") + "\n//]]>\n</script>"
		html = insertAt(html, lastIndex(html, "</body>"), js+"\n")
	}
	if len(cssFiles) > 0 {
		var b strings.Builder
		for _, p := range h.resourcePaths(cssFiles) {
			b.WriteString(`<link href="` + escape.XHTMLEscape(p) + `" type="text/css" rel="stylesheet"/>`)
		}
		html = insertAt(html, firstIndex(html, "</head>"), b.String()+"\n")
	}
	if len(cssEmbed) > 0 {
		css := "<style type=\"text/css\">\n" + strings.Join(cssEmbed, "\n") + "\n</style>"
		html = insertAt(html, firstIndex(html, "</head>"), css+"\n")
	}
	if len(heads) > 0 {
		html = insertAt(html, firstIndex(html, "</head>"), strings.Join(heads, "")+"\n")
	}
	if len(bodies) > 0 {
		html = insertAt(html, firstIndex(html, "</body>"), strings.Join(bodies, "")+"\n")
	}
	return html
}

// resourcePaths makes relative resource paths static URLs and drops
// duplicates, keeping the modules' order.
func (h *RequestHandler) resourcePaths(paths []string) []string {
	seen := make(map[string]bool, len(paths))
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "http:") && !strings.HasPrefix(p, "https:") {
			p = h.StaticURL(p)
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// firstIndex and lastIndex find a tag; a page without it gets the
// resources at its end.
func firstIndex(html []byte, tag string) int {
	if i := bytes.Index(html, []byte(tag)); i >= 0 {
		return i
	}
	return len(html)
}

func lastIndex(html []byte, tag string) int {
	if i := bytes.LastIndex(html, []byte(tag)); i >= 0 {
		return i
	}
	return len(html)
}

func insertAt(html []byte, i int, s string) []byte {
	out := make([]byte, 0, len(html)+len(s))
	out = append(out, html[:i]...)
	out = append(out, s...)
	return append(out, html[i:]...)
}
