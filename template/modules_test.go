package template

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// uiModules is how the web package hands UI modules to templates: a struct
// whose methods are the modules.
type uiModules struct{ prefix string }

func (m uiModules) Entry(title string) string { return m.prefix + "<h1>" + title + "</h1>" }

func (m uiModules) Broken() (string, error) { return "", errors.New("module failed") }

// fakeLocale stands in for locale.Locale: a method with variadic options.
type fakeLocale struct{ Code string }

type dateOptions struct {
	GMTOffset  int
	Relative   bool
	FullFormat bool
	Shorter    bool
}

func (l *fakeLocale) FormatDate(t time.Time, opts ...dateOptions) string {
	var o dateOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	return fmt.Sprintf("%s %s full=%v shorter=%v", l.Code, t.Format("2006-01-02"), o.FullFormat, o.Shorter)
}

func (l *fakeLocale) Translate(message, plural string, count int) string {
	if plural != "" && count != 1 {
		return strings.ToUpper(plural)
	}
	return strings.ToUpper(message)
}

func TestModulesAndHandlerNamespace(t *testing.T) {
	loc := &fakeLocale{Code: "en_US"}
	v := vars{
		"modules":   uiModules{prefix: "#"},
		"locale":    loc,
		"_":         func(message string, rest ...any) string { return message },
		"published": time.Date(2020, 3, 4, 0, 0, 0, 0, time.UTC),
	}
	tests := []struct{ src, want string }{
		{"{% module Entry('a <b>') %}", "#<h1>a <b></h1>"},
		{"{{ locale.format_date(published, full_format=True, shorter=True) }}", "en_US 2020-03-04 full=true shorter=true"},
		{"{{ locale.format_date(published) }}", "en_US 2020-03-04 full=false shorter=false"},
		{"{{ locale.translate('post', 'posts', 2) }}", "POSTS"},
		{"{{ locale.code }}", "en_US"},
		{"{{ _('sign <in>') }}", "sign &lt;in&gt;"},
		{`{% raw _('<a href="%(url)s">Sign in</a>') % {"url": "/login?next=" + url_escape("/a b")} %}`, `<a href="/login?next=%2Fa+b">Sign in</a>`},
	}
	for _, tt := range tests {
		tmpl := mustNew(t, "m.html", tt.src)
		if got := render(t, tmpl, v); got != tt.want {
			t.Errorf("%s\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
	tmpl := mustNew(t, "m.html", "\n{% module Broken() %}")
	_, err := tmpl.Generate(v)
	if err == nil || err.Error() != "template: m.html:2: {% module Broken() %}: module failed" {
		t.Errorf("got %v", err)
	}
	tmpl = mustNew(t, "m.html", "{% module Entry('x') %}")
	_, err = tmpl.Generate(nil)
	if err == nil || !strings.Contains(err.Error(), "NameError: name 'modules' is not defined") {
		t.Errorf("without modules: got %v", err)
	}
}
