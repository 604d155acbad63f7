package template

import (
	"errors"
	"strings"
	"testing"
)

// The cases of Tornado's template_test.py, rewritten as tables.

type vars = map[string]any

func mustNew(t testing.TB, name, src string, opts ...Option) *Template {
	t.Helper()
	tmpl, err := New(name, src, opts...)
	if err != nil {
		t.Fatalf("New(%q): %v", src, err)
	}
	return tmpl
}

func render(t *testing.T, tmpl *Template, v vars) string {
	t.Helper()
	out, err := tmpl.Generate(v)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return string(out)
}

func TestTornadoTemplateBasics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		vars vars
		want string
	}{
		{"simple", "Hello {{ name }}!", vars{"name": "Ben"}, "Hello Ben!"},
		{"bytes value", "Hello {{ name }}!", vars{"name": []byte("Ben")}, "Hello Ben!"},
		{"expressions", "2 + 2 = {{ 2 + 2 }}", nil, "2 + 2 = 4"},
		{"comment", "Hello{# TODO i18n #} {{ name }}!", vars{"name": "Ben"}, "Hello Ben!"},
		{"escaped expression opener", "{{!", nil, "{{"},
		{"escaped block opener", "{%!", nil, "{%"},
		{"escaped comment opener", "{#!", nil, "{#"},
		{"jquery template passthrough", "{{ 'expr' }} {{!jquery expr}}", nil, "expr {{jquery expr}}"},
		{"unicode template", "\u00e9", nil, "\u00e9"},
		{"unicode literal expression", `{{ "\u00e9" }}`, nil, "\u00e9"},
		{"if true", "{% if x > 4 %}yes{% else %}no{% end %}", vars{"x": 5}, "yes"},
		{"if false", "{% if x > 4 %}yes{% else %}no{% end %}", vars{"x": 3}, "no"},
		{"if with empty bodies", "{% if True %}{% else %}{% end %}", nil, ""},
		{"comment directive", "{% comment blah blah %}foo", nil, "foo"},
		{"innermost braces", "{{{ 1 }}}", nil, "{1}"},
		{"end without spaces", "{%if 1%}a{%end%}", nil, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(t, mustNew(t, "", tt.src), tt.vars); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTornadoTry(t *testing.T) {
	src := "{% try %}\ntry{% set y = 1/x %}\n{% except %}-except\n{% else %}-else\n{% finally %}-finally\n{% end %}"
	tmpl := mustNew(t, "", src)
	if got := render(t, tmpl, vars{"x": 1}); got != "\ntry\n-else\n-finally\n" {
		t.Errorf("x=1: got %q", got)
	}
	if got := render(t, tmpl, vars{"x": 0}); got != "\ntry-except\n-finally\n" {
		t.Errorf("x=0: got %q", got)
	}
}

func TestTornadoBreakContinue(t *testing.T) {
	src := `{% for i in range(10) %}
    {% if i == 2 %}
        {% continue %}
    {% end %}
    {{ i }}
    {% if i == 6 %}
        {% break %}
    {% end %}
{% end %}`
	got := strings.Join(strings.Fields(render(t, mustNew(t, "", src), nil)), "")
	if got != "013456" {
		t.Errorf("got %q, want 013456", got)
	}
}

func TestTornadoApply(t *testing.T) {
	upper := func(s string) string { return strings.ToUpper(s) }
	tests := []struct {
		src  string
		fn   any
		want string
	}{
		{"{% apply upper %}foo{% end %}", upper, "FOO"},
		{"{% apply upper %}foo \u00e9{% end %}", upper, "FOO \u00c9"},
		{"{% apply upper %}foo \u00e9{% end %}", func(b []byte) []byte { return []byte(strings.ToUpper(string(b))) }, "FOO \u00c9"},
	}
	for _, tt := range tests {
		if got := render(t, mustNew(t, "", tt.src), vars{"upper": tt.fn}); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestTornadoLoaders(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		load  string
		opts  []Option
		vars  vars
		want  string
	}{
		{"include", map[string]string{
			"index.html":  "{% include \"header.html\" %}\nbody text",
			"header.html": "header text",
		}, "index.html", nil, nil, "header text\nbody text"},
		{"extends", map[string]string{
			"base.html": "<title>{% block title %}default title{% end %}</title>\n<body>{% block body %}default body{% end %}</body>\n",
			"page.html": "{% extends \"base.html\" %}\n{% block title %}page title{% end %}\n{% block body %}page body{% end %}\n",
		}, "page.html", nil, nil, "<title>page title</title>\n<body>page body</body>\n"},
		{"relative load", map[string]string{
			"a/1.html": "{% include '2.html' %}",
			"a/2.html": "{% include '../b/3.html' %}",
			"b/3.html": "ok",
		}, "a/1.html", nil, nil, "ok"},
		{"custom namespace", map[string]string{"test.html": "{{ inc(5) }}"}, "test.html",
			[]Option{Namespace(map[string]any{"inc": func(x int) int { return x + 1 }})}, nil, "6"},
		{"non-ascii name", map[string]string{"t\u00e9st.html": "hello"}, "t\u00e9st.html", nil, nil, "hello"},
		{"multi-level extends, most derived block wins", map[string]string{
			"a.html": "[{% block x %}a{% end %}|{% block y %}a{% end %}]",
			"b.html": "{% extends 'a.html' %}{% block x %}b{% end %}",
			"c.html": "{% extends 'b.html' %}{% block y %}c{% end %}",
		}, "c.html", nil, nil, "[b|c]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := NewDictLoader(tt.files, tt.opts...).Load(tt.load)
			if err != nil {
				t.Fatal(err)
			}
			if got := render(t, tmpl, tt.vars); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTornadoUTF8InFile(t *testing.T) {
	tmpl, err := NewLoader("testdata/templates").Load("utf8.html")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(render(t, tmpl, nil)); got != "H\u00e9llo" {
		t.Errorf("got %q", got)
	}
}

func TestTornadoParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the full Error() text
	}{
		{"unclosed expression", "{{", "Missing end expression }} at <string>:1"},
		{"unclosed block", "{%", "Missing end block %} at <string>:1"},
		{"details", "\n\n{{", "Missing end expression }} at foo.html:3"},
		{"break outside loop", "{% break %}", "break outside {'for', 'while'} block at <string>:1"},
		{"break in apply", "{% for i in [] %}{% apply foo %}{% break %}{% end %}{% end %}", "break outside {'for', 'while'} block at <string>:1"},
		{"missing end", "a\n{% if x %}\nb\n", "Missing {% end %} block for if at <string>:2"},
		{"extra end", "{% end %}", "Extra {% end %} block at <string>:1"},
		{"empty expression", "{{ }}", "Empty expression at <string>:1"},
		{"empty block", "{% %}", "Empty block tag ({% %}) at <string>:1"},
		{"unknown operator", "{% foo %}", "unknown operator: 'foo' at <string>:1"},
		{"else outside", "{% else %}", "else outside {'if', 'for', 'while', 'try'} block at <string>:1"},
		{"elif on for", "{% for x in y %}{% elif %}{% end %}", "elif block cannot be attached to for block at <string>:1"},
		{"unclosed comment", "{# x", "Missing end comment #} at <string>:1"},
		{"extends without path", "{% extends %}", "extends missing file path at <string>:1"},
		{"include without path", "{% include '' %}", "include missing file path at <string>:1"},
		{"set without statement", "{% set %}", "set missing statement at <string>:1"},
		{"import without statement", "{% import %}", "import missing statement at <string>:1"},
		{"apply without name", "{% apply %}x{% end %}", "apply missing method name at <string>:1"},
		{"block without name", "{% block %}x{% end %}", "block missing name at <string>:1"},
		{"extends without loader", "{% extends 'x.html' %}", "{% extends %} block found, but no template loader at <string>:1"},
		{"include without loader", "\n{% include 'x.html' %}", "{% include %} block found, but no template loader at <string>:2"},
		{"import rejected", "{% import os %}", "{% import os %} is not supported: Go templates cannot import Python modules; pass the function in the namespace instead at <string>:1"},
		{"from rejected", "{% from os import path %}", "{% from os import path %} is not supported: Go templates cannot import Python modules; pass the function in the namespace instead at <string>:1"},
		{"bad whitespace mode", "{% whitespace fancy %}", "invalid whitespace mode fancy at <string>:1"},
		{"expression syntax", "\n{{ 1 + }}", "invalid syntax: unexpected end of expression in {{ 1 + }} at <string>:2"},
		{"try without except", "{% try %}x{% end %}", "try block without except or finally at <string>:1"},
		{"elif after else", "{% if a %}{% else %}{% elif b %}{% end %}", "elif after else in if block at <string>:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := ""
			if tt.name == "details" {
				name = "foo.html"
			}
			_, err := New(name, tt.src)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParseError", err)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %q\nwant %q", err.Error(), tt.want)
			}
		})
	}
}

func TestTornadoParseErrorDetails(t *testing.T) {
	_, err := NewDictLoader(map[string]string{"foo.html": "\n\n{{"}).Load("foo.html")
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got %v", err)
	}
	if pe.Filename != "foo.html" || pe.Line != 3 || pe.Message != "Missing end expression }}" {
		t.Errorf("got %+v", pe)
	}
}

// The StackTraceTest cases: runtime errors name the template line, through
// includes and extends.
func TestTornadoErrorLines(t *testing.T) {
	modules := func(l **Loader) map[string]any {
		return map[string]any{"Template": func(name string) (string, error) {
			tmpl, err := (*l).Load(name)
			if err != nil {
				return "", err
			}
			out, err := tmpl.Generate(nil)
			return string(out), err
		}}
	}
	tests := []struct {
		name  string
		files map[string]string
		load  string
		want  []string // substrings of the error text
	}{
		{"expression", map[string]string{"test.html": "one\ntwo{{1/0}}\nthree\n        "}, "test.html",
			[]string{"template: test.html:2: {{ 1/0 }}: ZeroDivisionError: division by zero"}},
		{"directive", map[string]string{"test.html": "one\ntwo{%if 1/0%}\nthree{%end%}\n        "}, "test.html",
			[]string{"template: test.html:2: {% if 1/0 %}: ZeroDivisionError"}},
		{"module", map[string]string{"base.html": "{% module Template('sub.html') %}", "sub.html": "{{1/0}}"}, "base.html",
			[]string{"base.html:1", "sub.html:1"}},
		{"include", map[string]string{"base.html": "{% include 'sub.html' %}", "sub.html": "{{1/0}}"}, "base.html",
			[]string{"sub.html:1 (via base.html:1)"}},
		{"extends base error", map[string]string{"base.html": "{{1/0}}", "sub.html": "{% extends 'base.html' %}"}, "sub.html",
			[]string{"base.html:1"}},
		{"extends sub error", map[string]string{
			"base.html": "{% block 'block' %}{% end %}",
			"sub.html":  "\n{% extends 'base.html' %}\n{% block 'block' %}\n{{1/0}}\n{% end %}\n            ",
		}, "sub.html", []string{"sub.html:4 (via base.html:1)"}},
		{"multi includes", map[string]string{
			"a.html": "{% include 'b.html' %}",
			"b.html": "{% include 'c.html' %}",
			"c.html": "{{1/0}}",
		}, "a.html", []string{"c.html:1 (via b.html:1, a.html:1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l *Loader
			l = NewDictLoader(tt.files, Namespace(map[string]any{"_tt_modules": modules(&l)}))
			tmpl, err := l.Load(tt.load)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tmpl.Generate(nil)
			if err == nil {
				t.Fatal("no error")
			}
			var re *RenderError
			if !errors.As(err, &re) {
				t.Fatalf("got %T %v, want a *RenderError", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			var ex *Exception
			if !errors.As(err, &ex) || ex.Class != "ZeroDivisionError" {
				t.Errorf("cause is %v, want ZeroDivisionError", ex)
			}
		})
	}
}

var autoescapeFiles = map[string]string{
	"escaped.html":                     "{% autoescape xhtml_escape %}{{ name }}",
	"unescaped.html":                   "{% autoescape None %}{{ name }}",
	"default.html":                     "{{ name }}",
	"include.html":                     "escaped: {% include 'escaped.html' %}\nunescaped: {% include 'unescaped.html' %}\ndefault: {% include 'default.html' %}\n",
	"escaped_block.html":               "{% autoescape xhtml_escape %}{% block name %}base: {{ name }}{% end %}",
	"unescaped_block.html":             "{% autoescape None %}{% block name %}base: {{ name }}{% end %}",
	"escaped_extends_unescaped.html":   "{% autoescape xhtml_escape %}{% extends \"unescaped_block.html\" %}",
	"escaped_overrides_unescaped.html": "{% autoescape xhtml_escape %}{% extends \"unescaped_block.html\" %}{% block name %}extended: {{ name }}{% end %}",
	"unescaped_extends_escaped.html":   "{% autoescape None %}{% extends \"escaped_block.html\" %}",
	"unescaped_overrides_escaped.html": "{% autoescape None %}{% extends \"escaped_block.html\" %}{% block name %}extended: {{ name }}{% end %}",
	"raw_expression.html":              "{% autoescape xhtml_escape %}expr: {{ name }}\nraw: {% raw name %}",
}

func TestTornadoAutoescape(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		file string
		val  any
		want string
	}{
		{"default off: escaped", []Option{Autoescape("")}, "escaped.html", "Bobby <table>s", "Bobby &lt;table&gt;s"},
		{"default off: unescaped", []Option{Autoescape("")}, "unescaped.html", "Bobby <table>s", "Bobby <table>s"},
		{"default off: default", []Option{Autoescape("")}, "default.html", "Bobby <table>s", "Bobby <table>s"},
		{"default off: include", []Option{Autoescape("")}, "include.html", "Bobby <table>s",
			"escaped: Bobby &lt;table&gt;s\nunescaped: Bobby <table>s\ndefault: Bobby <table>s\n"},
		{"default on: escaped", []Option{Autoescape("xhtml_escape")}, "escaped.html", "Bobby <table>s", "Bobby &lt;table&gt;s"},
		{"default on: unescaped", []Option{Autoescape("xhtml_escape")}, "unescaped.html", "Bobby <table>s", "Bobby <table>s"},
		{"default on: default", []Option{Autoescape("xhtml_escape")}, "default.html", "Bobby <table>s", "Bobby &lt;table&gt;s"},
		{"default on: include", []Option{Autoescape("xhtml_escape")}, "include.html", "Bobby <table>s",
			"escaped: Bobby &lt;table&gt;s\nunescaped: Bobby <table>s\ndefault: Bobby &lt;table&gt;s\n"},
		{"unextended escaped block", nil, "escaped_block.html", "<script>", "base: &lt;script&gt;"},
		{"unextended unescaped block", nil, "unescaped_block.html", "<script>", "base: <script>"},
		{"escaped extends unescaped", nil, "escaped_extends_unescaped.html", "<script>", "base: <script>"},
		{"escaped overrides unescaped", nil, "escaped_overrides_unescaped.html", "<script>", "extended: &lt;script&gt;"},
		{"unescaped extends escaped", nil, "unescaped_extends_escaped.html", "<script>", "base: &lt;script&gt;"},
		{"unescaped overrides escaped", nil, "unescaped_overrides_escaped.html", "<script>", "extended: <script>"},
		{"raw expression", nil, "raw_expression.html", `<>&"`, "expr: &lt;&gt;&amp;&quot;\nraw: <>&\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := NewDictLoader(autoescapeFiles, tt.opts...).Load(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if got := render(t, tmpl, vars{"name": tt.val}); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTornadoCustomEscape(t *testing.T) {
	l := NewDictLoader(map[string]string{"foo.py": "{% autoescape py_escape %}s = {{ name }}\n"})
	pyEscape := func(s string) string { return pyRepr(strV(s)) }
	tests := []struct {
		val  any
		want string
	}{
		{"<html>", "s = '<html>'\n"},
		{"';sys.exit()", "s = \"';sys.exit()\"\n"},
		{[]string{"not a string"}, "s = \"['not a string']\"\n"},
	}
	tmpl, err := l.Load("foo.py")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		if got := render(t, tmpl, vars{"py_escape": pyEscape, "name": tt.val}); got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.val, got, tt.want)
		}
	}
}

func TestTornadoWhitespace(t *testing.T) {
	t.Run("manual minimize", func(t *testing.T) {
		l := NewDictLoader(map[string]string{"foo.txt": "{% for i in items\n  %}{% if i > 0 %}, {% end %}{#\n  #}{{i\n  }}{% end\n%}"})
		tmpl, err := l.Load("foo.txt")
		if err != nil {
			t.Fatal(err)
		}
		if got := render(t, tmpl, vars{"items": []int{0, 1, 2, 3, 4}}); got != "0, 1, 2, 3, 4" {
			t.Errorf("got %q", got)
		}
	})
	byName := map[string]string{
		"foo.html":     "   \n\t\n asdf\t   ",
		"bar.js":       " \n\n\n\t qwer     ",
		"baz.txt":      "\t    zxcv\n\n",
		"include.html": "  {% include baz.txt %} \n ",
		"include.txt":  "\t\t{% include foo.html %}    ",
	}
	for file, want := range map[string]string{
		"foo.html":     "\nasdf ",
		"bar.js":       "\nqwer ",
		"baz.txt":      "\t    zxcv\n\n",
		"include.html": " \t    zxcv\n\n\n",
		"include.txt":  "\t\t\nasdf     ",
	} {
		t.Run("by filename "+file, func(t *testing.T) {
			tmpl, err := NewDictLoader(byName).Load(file)
			if err != nil {
				t.Fatal(err)
			}
			if got := render(t, tmpl, nil); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	byLoader := map[string]string{"foo.html": "\t\tfoo\n\n", "bar.txt": "\t\tbar\n\n"}
	for _, tt := range []struct{ mode, foo, bar string }{
		{"all", "\t\tfoo\n\n", "\t\tbar\n\n"},
		{"single", " foo\n", " bar\n"},
		{"oneline", " foo ", " bar "},
	} {
		l := NewDictLoader(byLoader, Whitespace(tt.mode))
		for file, want := range map[string]string{"foo.html": tt.foo, "bar.txt": tt.bar} {
			tmpl, err := l.Load(file)
			if err != nil {
				t.Fatal(err)
			}
			if got := render(t, tmpl, nil); got != want {
				t.Errorf("loader %s, %s: got %q, want %q", tt.mode, file, got, want)
			}
		}
	}
	t.Run("directive", func(t *testing.T) {
		l := NewDictLoader(map[string]string{"foo.html": "{% whitespace oneline %}\n    {% for i in range(3) %}\n        {{ i }}\n    {% end %}\n{% whitespace all %}\n    pre\tformatted\n"})
		tmpl, err := l.Load("foo.html")
		if err != nil {
			t.Fatal(err)
		}
		if got := render(t, tmpl, nil); got != "  0  1  2  \n    pre\tformatted\n" {
			t.Errorf("got %q", got)
		}
	})
}
