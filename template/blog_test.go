package template

import (
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/escape"
)

// The constructs Tornado's blog demo templates use, over Go values shaped
// like the web package's handler and request.

type blogHandler struct{ Settings map[string]any }

type blogRequest struct{ Host, URI string }

func (r *blogRequest) FullURL() string { return "http://" + r.Host + r.URI }

type blogEntry struct {
	ID                 int
	Slug, Title, HTML  string
	Published, Updated time.Time
}

func TestBlogConstructs(t *testing.T) {
	l := NewDictLoader(map[string]string{
		"base.html": `<title>{{ escape(handler.settings["blog_title"]) }}</title>
<link href="{{ static_url("blog.css") }}">
{% if current_user %}<a href="/auth/logout?next={{ url_escape(request.uri) }}">{{ _("Sign out") }}</a>{% else %}{% raw _('<a href="%(url)s">Sign in</a> to write') % {"url": "/auth/login?next=" + url_escape(request.uri)} %}{% end %}
<div>{% block body %}{% end %}</div>`,
		"home.html": `{% extends "base.html" %}
{% block body %}{% for entry in entries %}{% module Entry(entry) %}{% end %}{% end %}`,
		"feed.xml": `{% set date_format = "%Y-%m-%dT%H:%M:%SZ" %}<title>{{ handler.settings["blog_title"] }}</title>
{% if len(entries) > 0 %}<updated>{{ max(e.updated for e in entries).strftime(date_format) }}</updated>{% else %}<updated>{{ datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).strftime(date_format) }}</updated>{% end %}
<link rel="self" href="{{ request.full_url() }}"/>
{% for entry in entries %}<entry><id>http://{{ request.host }}/entry/{{ entry.slug }}</id><published>{{ entry.published.strftime(date_format) }}</published><content>{% raw entry.html %}</content></entry>{% end %}`,
	})
	d1 := time.Date(2020, 3, 4, 15, 6, 0, 0, time.UTC)
	d2 := time.Date(2021, 5, 6, 7, 8, 9, 0, time.UTC)
	entries := []*blogEntry{
		{ID: 1, Slug: "first", Title: "First & best", HTML: "<p>one</p>", Published: d1, Updated: d2},
		{ID: 2, Slug: "second", Title: "Second", HTML: "<p>two</p>", Published: d2, Updated: d1},
	}
	v := vars{
		"handler":      &blogHandler{Settings: map[string]any{"blog_title": "Tornado <Blog>"}},
		"request":      &blogRequest{Host: "example.com", URI: "/a b"},
		"current_user": (*struct{ Name string })(nil),
		"static_url":   func(path string) string { return "/static/" + path + "?v=abc" },
		"_":            func(s string, args ...any) string { return s },
		"entries":      entries,
		"modules": map[string]any{"Entry": func(e *blogEntry) string {
			return "<h1>" + escape.XHTMLEscape(e.Title) + "</h1>"
		}},
	}
	home, err := l.Load("home.html")
	if err != nil {
		t.Fatal(err)
	}
	want := `<title>Tornado &amp;lt;Blog&amp;gt;</title>
<link href="/static/blog.css?v=abc">
<a href="/auth/login?next=%2Fa+b">Sign in</a> to write
<div><h1>First &amp; best</h1><h1>Second</h1></div>`
	if got := render(t, home, v); got != want {
		t.Errorf("home.html:\n got %q\nwant %q", got, want)
	}
	feed, err := l.Load("feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	got := render(t, feed, v)
	for _, w := range []string{
		"<title>Tornado &lt;Blog&gt;</title>",
		"<updated>2021-05-06T07:08:09Z</updated>",
		`<link rel="self" href="http://example.com/a b"/>`,
		"<entry><id>http://example.com/entry/first</id><published>2020-03-04T15:06:00Z</published><content><p>one</p></content></entry>",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("feed.xml lacks %q:\n%s", w, got)
		}
	}
	v["entries"] = []*blogEntry{}
	nowFunc = func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600)) }
	defer func() { nowFunc = time.Now }()
	if got := render(t, feed, v); !strings.Contains(got, "<updated>2024-01-02T02:04:05Z</updated>") {
		t.Errorf("empty feed:\n%s", got)
	}
}
