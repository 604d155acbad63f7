package template

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"Hello {{ name }}!",
	"{% for i in range(3) %}{{ i }}{% end %}",
	"{% if x > 4 %}yes{% elif x %}mid{% else %}no{% end %}",
	"{% try %}{{ 1/0 }}{% except ZeroDivisionError as e %}{{ e }}{% finally %}f{% end %}",
	"{% set a, b = 1, 2 %}{{ a + b }}",
	"{% apply upper %}x{% end %}",
	"{{{ x }}} {{! y }} {#! z #}",
	"{% whitespace oneline %}  a  \n  b",
	"{{ [x * 2 for x in xs if x] }}",
	"{{ '%s %d' % ('a', 1) }}",
	"{{ d.get('k', 'v') }} {{ s[1:-1] }} {{ f(a, b=1) }}",
	"{% for k, v in d.items() %}{{ k }}{% else %}e{% end %}",
	"{{ \"\\u00e9\\x41\\n\" }}",
	"{% block b %}{% raw x %}{% module M() %}{% end %}",
	"{% comment x %}{# #}",
}

// FuzzParse: no source makes New panic, and every failure is a ParseError
// with a line number inside the source.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, err := New("fuzz.html", src)
		if err == nil {
			return
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("New(%q): %T %v, want a *ParseError", src, err, err)
		}
		lines := strings.Count(src, "\n") + 1
		if pe.Line < 1 || pe.Line > lines {
			t.Fatalf("New(%q): error at line %d of a %d-line source: %v", src, pe.Line, lines, err)
		}
		if strings.Contains(pe.Message, "internal error") {
			t.Fatalf("New(%q): %v", src, err)
		}
	})
}

// FuzzGenerate renders small templates: rendering never panics (a panic
// would come back as a RenderError saying "panic"), and a template without
// tags prints its text.
func FuzzGenerate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		// Keep renders small and finite: no unbounded loops or huge ranges.
		if len(src) > 256 || strings.Contains(src, "while") || strings.Contains(src, "range") ||
			strings.Contains(src, "**") || strings.Contains(src, "<<") || strings.Contains(src, "*") {
			return
		}
		tmpl, err := New("fuzz.txt", src)
		if err != nil {
			return
		}
		out, err := tmpl.Generate(map[string]any{
			"name": "n<&>", "x": 5, "xs": []any{1, "a", nil}, "s": "héllo",
			"d": map[string]any{"k": 1}, "upper": strings.ToUpper, "f": strings.Repeat,
		})
		if err != nil {
			var re *RenderError
			if !errors.As(err, &re) {
				t.Fatalf("%q: %T %v, want a *RenderError", src, err, err)
			}
			if strings.Contains(err.Error(), ": panic: ") {
				t.Fatalf("%q: %v", src, err)
			}
			return
		}
		if !strings.ContainsAny(src, "{") && string(out) != src {
			t.Fatalf("%q: plain text rendered as %q", src, out)
		}
	})
}

// pyWhitespace is the class of characters Python's \s matches in str patterns.
const pyWhitespace = `[\t\n\v\f\r \x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]`

var (
	reBlanks    = regexp.MustCompile(`[\t ]+`)
	reNewlineWS = regexp.MustCompile(pyWhitespace + `*\n` + pyWhitespace + `*`)
	reAnyWS     = regexp.MustCompile(pyWhitespace + `+`)
)

// FuzzWhitespace checks filterWhitespace against Tornado's definition: the
// regular expressions of tornado.template.filter_whitespace.
func FuzzWhitespace(f *testing.F) {
	for _, s := range []string{"a   b\n\n\n  c\t\td", " \u00a0\n\u3000x", "\r\n \t", "a\x1c\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		single := reNewlineWS.ReplaceAllString(reBlanks.ReplaceAllString(s, " "), "\n")
		if got := filterWhitespace(WhitespaceSingle, s); got != single {
			t.Errorf("single(%q) = %q, want %q", s, got, single)
		}
		oneline := reAnyWS.ReplaceAllString(s, " ")
		if got := filterWhitespace(WhitespaceOneline, s); got != oneline {
			t.Errorf("oneline(%q) = %q, want %q", s, got, oneline)
		}
	})
}

// FuzzExpr: any expression either fails to parse or evaluates without a
// panic, and printing a parsed constant is stable.
func FuzzExpr(f *testing.F) {
	for _, s := range []string{"1 + 2 * 3", "'a' 'b'", "-2 ** 2", "[1, (2,), {'a': None}]", "1 < 2 < 3", "0x1f_ff", "r'\\d'", "b'\\xff'", "1e400", "9" + strings.Repeat("9", 30)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 200 || strings.Contains(s, "*") || strings.Contains(s, "<<") || strings.Contains(s, "range") {
			return
		}
		e, err := parseExpr(s)
		if err != nil {
			return
		}
		if c, ok := e.(*eConst); ok {
			if a, b := pyRepr(c.v), pyRepr(c.v); a != b {
				t.Fatalf("unstable repr %q vs %q", a, b)
			}
		}
		tmpl, err := New("e.txt", "{{ "+s+" }}", Autoescape(""))
		if err != nil {
			return // e.g. the expression holds "}}"
		}
		if _, err := tmpl.Generate(nil); err != nil && strings.Contains(err.Error(), ": panic: ") {
			t.Fatalf("%q: %v", s, err)
		}
	})
}
