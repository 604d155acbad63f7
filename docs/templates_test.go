package docs_test

import (
	"fmt"
	"strings"

	"github.com/tornago/tornago/template"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// guide: template-standalone

func greet(name string) (string, error) {
	t, err := template.New("greet.html", "<p>Hello, {{ name }}!</p>")
	if err != nil {
		return "", err // a *template.ParseError names the file and line
	}
	out, err := t.Generate(map[string]any{"name": name})
	return string(out), err
}

// end

func Example_templateStandalone() {
	fmt.Println(greet("<b>Ann</b>"))
	// Output: <p>Hello, &lt;b&gt;Ann&lt;/b&gt;!</p> <nil>
}

// guide: render

// Entry is a blog entry.
type Entry struct {
	Title string
	Tags  []string
}

// EntryModule is a UI module: {% module Entry(entry) %} in a template.
type EntryModule struct{ web.UIModule }

// Render renders the module's own template.
func (m *EntryModule) Render(e *Entry) (string, error) {
	return m.RenderString("modules/entry.html", web.Vars{"entry": e})
}

// CSSFiles are linked once in <head>, however often the module is used.
func (m *EntryModule) CSSFiles() []string { return []string{"entry.css"} }

// HomeHandler renders the home page.
type HomeHandler struct{ web.RequestHandler }

// Get renders home.html, which extends base.html.
func (h *HomeHandler) Get() error {
	entries := []*Entry{{"First", []string{"go"}}, {"Second", nil}}
	return h.Render("home.html", web.Vars{"entries": entries})
}

var templates = map[string]string{
	"base.html": `<html><head><title>{% block title %}Blog{% end %}</title></head>
<body>{% block body %}{% end %}</body></html>`,
	"home.html": `{% extends "base.html" %}
{% block body %}{% for e in entries %}{% module Entry(e) %}{% end %}{{ shout("bye") }}{% end %}`,
	"modules/entry.html": `<h2>{{ entry.title }}</h2>{{ ", ".join(entry.tags) }}`,
}

func blogApp() (*web.Application, error) {
	return web.NewApplication([]web.Rule{{Pattern: "/", Handler: &HomeHandler{}}}, web.Settings{
		// TemplatePath: "templates" reads a directory; TemplateFS an embed.FS.
		TemplateLoader: template.NewDictLoader(templates),
		UIModules:      map[string]any{"Entry": &EntryModule{}},
		UIMethods: map[string]any{
			"shout": func(h *web.RequestHandler, s string) string { return strings.ToUpper(s) },
		},
		StaticPath: "static",
	})
}

// end

func Example_render() {
	app, err := blogApp()
	if err != nil {
		panic(err)
	}
	fmt.Println(webtest.NewClient(nil, app).Get("/").Text())
	// Output:
	// <html><head><title>Blog</title><link href="/static/entry.css" type="text/css" rel="stylesheet"/>
	// </head>
	// <body><h2>First</h2>go<h2>Second</h2>BYE</body></html>
}
