package web_test

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tornago/tornago/internal/xsscorpus"
	"github.com/tornago/tornago/web"
)

// An htmlToken is what a browser's tokenizer makes of a stretch of output:
// text, or a start or end tag with its attributes (values entity-decoded).
type htmlToken struct {
	kind  byte // 't' text, 's' start tag, 'e' end tag
	name  string
	text  string // kind 't', entity-decoded
	attrs []htmlAttr
}

type htmlAttr struct{ name, value string }

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// tokenizeHTML splits s as the HTML tokenizer does in the data state, and
// is strict where the tokenizer is lenient: a "<" that does not open a
// start or end tag (a comment, a declaration, a processing instruction or
// a stray "<") is an error, as is a tag that never ends, since escaped
// output should hold none of them. golang.org/x/net/html is not a
// dependency of the module.
func tokenizeHTML(s string) ([]htmlToken, error) {
	var toks []htmlToken
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			i = len(s)
		}
		if i > 0 {
			toks = append(toks, htmlToken{kind: 't', text: html.UnescapeString(s[:i])})
			s = s[i:]
			continue
		}
		end := len(s) > 1 && s[1] == '/'
		j := 1
		if end {
			j = 2
		}
		if j >= len(s) || !isASCIILetter(s[j]) {
			return nil, fmt.Errorf("%q does not open a tag", s[:min(len(s), j+1)])
		}
		k := j
		for k < len(s) && !isHTMLSpace(s[k]) && s[k] != '/' && s[k] != '>' {
			k++
		}
		tok := htmlToken{kind: 's', name: strings.ToLower(s[j:k])}
		if end {
			tok.kind = 'e'
		}
		s = s[k:]
		for {
			for len(s) > 0 && (isHTMLSpace(s[0]) || s[0] == '/') {
				s = s[1:]
			}
			if len(s) == 0 {
				return nil, fmt.Errorf("<%s> never ends", tok.name)
			}
			if s[0] == '>' {
				s = s[1:]
				break
			}
			// An attribute name may start with "=" (the tokenizer takes it
			// as part of the name), so look for the end from the second byte.
			n := 1
			for n < len(s) && !isHTMLSpace(s[n]) && s[n] != '/' && s[n] != '>' && s[n] != '=' {
				n++
			}
			a := htmlAttr{name: strings.ToLower(s[:n])}
			s = s[n:]
			rest := strings.TrimLeft(s, " \t\n\f\r")
			if strings.HasPrefix(rest, "=") {
				s = strings.TrimLeft(rest[1:], " \t\n\f\r")
				var raw string
				switch {
				case s == "":
					return nil, fmt.Errorf("<%s %s=> never ends", tok.name, a.name)
				case s[0] == '"' || s[0] == '\'':
					e := strings.IndexByte(s[1:], s[0])
					if e < 0 {
						return nil, fmt.Errorf("<%s %s=...> value never ends", tok.name, a.name)
					}
					raw, s = s[1:1+e], s[2+e:]
				default:
					e := strings.IndexFunc(s, func(r rune) bool { return r < 0x80 && (isHTMLSpace(byte(r)) || r == '>') })
					if e < 0 {
						e = len(s)
					}
					raw, s = s[:e], s[e:]
				}
				a.value = html.UnescapeString(raw)
			}
			tok.attrs = append(tok.attrs, a)
		}
		toks = append(toks, tok)
	}
	return toks, nil
}

// isWebLink reports whether an href (entity-decoded) leads to an http or
// https URL once a browser has stripped what it strips: leading and
// trailing C0 controls and spaces, and tabs and newlines anywhere.
func isWebLink(href string) bool {
	u := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, href)
	u = strings.ToLower(strings.TrimFunc(u, func(r rune) bool { return r <= ' ' }))
	return strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")
}

// xssTemplates put a payload p in each position Tornado's escaping
// protects, with the application's default autoescape (xhtml_escape). A
// payload in an href or in a script is not one of them: xhtml_escape does
// not look at schemes or JavaScript, in Tornado either.
var xssTemplates = []struct {
	name, src string
	own       string          // the template's own element
	linkAttrs map[string]bool // nil: no links may appear; else the attributes links may have
	sameText  bool            // the decoded text is p itself
}{
	{"text", `<p>{{ p }}</p>`, "p", nil, true},
	{"attribute", `<a title="{{ p }}">x</a>`, "a", nil, false},
	{"linkify_escaped", `<div>{{ linkify(p) }}</div>`, "div", nil, false},
	{"linkify", `<div>{% raw linkify(p) %}</div>`, "div", map[string]bool{"href": true}, true},
	{"linkify_shorten", `<div>{% raw linkify(p, shorten=True) %}</div>`, "div", map[string]bool{"href": true, "title": true}, false},
	{"linkify_www_off", `<div>{% raw linkify(p, require_protocol=True) %}</div>`, "div", map[string]bool{"href": true}, true},
	{"linkify_params", `<div>{% raw linkify(p, extra_params='rel="nofollow" class="external"') %}</div>`, "div",
		map[string]bool{"href": true, "rel": true, "class": true}, true},
	{"linkify_module", `<div>{% module linkify(p) %}</div>`, "div", map[string]bool{"href": true}, true},
}

// TestXSSCorpusRendersInert renders every payload of escape's corpus
// through real templates of an application (Render, the default
// autoescape, linkify as templates call it) and reads the page as a
// browser would: it must hold the template's own elements and attributes
// only, and links only to http and https URLs.
func TestXSSCorpusRendersInert(t *testing.T) {
	corpus := xsscorpus.Load(t)
	files := fstest.MapFS{}
	for _, tt := range xssTemplates {
		files[tt.name+".html"] = &fstest.MapFile{Data: []byte(tt.src)}
	}
	c := client(t, []web.Rule{{Pattern: `/(\w+)/(\d+)`, Handler: fn(func(h *web.RequestHandler) error {
		i, _ := strconv.Atoi(h.PathArgs()[1])
		return h.Render(h.PathArgs()[0]+".html", web.Vars{"p": corpus[i]})
	})}}, web.Settings{TemplateFS: files})

	links := 0
	for _, tt := range xssTemplates {
		for i, p := range corpus {
			r := c.Get("/" + tt.name + "/" + strconv.Itoa(i))
			if r.Status != 200 {
				t.Fatalf("%s, %q: %d %q", tt.name, p, r.Status, r.Text())
			}
			out := r.Text()
			fail := func(format string, args ...any) {
				t.Helper()
				t.Errorf("%s, %q renders %q: %s", tt.name, p, out, fmt.Sprintf(format, args...))
			}
			toks, err := tokenizeHTML(out)
			if err != nil {
				fail("%v", err)
				continue
			}
			if len(toks) < 2 || toks[0].kind != 's' || toks[0].name != tt.own || toks[len(toks)-1].kind != 'e' || toks[len(toks)-1].name != tt.own {
				fail("not wrapped in the template's <%s>", tt.own)
				continue
			}
			// The template's own attribute holds p whole: nothing broke out.
			if tt.name == "attribute" {
				if a := toks[0].attrs; len(a) != 1 || a[0].name != "title" || a[0].value != p {
					fail("attributes %q; want title=%q alone", a, p)
				}
			} else if len(toks[0].attrs) != 0 {
				fail("<%s> gained attributes %q", tt.own, toks[0].attrs)
			}
			var text strings.Builder
			inLink := false
			for _, tok := range toks[1 : len(toks)-1] {
				switch {
				case tok.kind == 't':
					text.WriteString(tok.text)
				case tt.linkAttrs == nil || tok.name != "a":
					fail("element %s is not the template's", tok.name)
				case tok.kind == 'e':
					if !inLink {
						fail("</a> closes no link")
					}
					inLink = false
				default:
					if inLink {
						fail("nested <a>")
					}
					inLink = true
					links++
					href := false
					for _, a := range tok.attrs {
						switch {
						case strings.HasPrefix(a.name, "on"):
							fail("event handler attribute %s=%q", a.name, a.value)
						case !tt.linkAttrs[a.name]:
							fail("attribute %s=%q is not linkify's", a.name, a.value)
						case a.name == "href":
							href = true
							if !isWebLink(a.value) {
								fail("links to %q", a.value)
							}
						}
					}
					if !href {
						fail("<a> without href: %q", tok.attrs)
					}
				}
			}
			if inLink {
				fail("link never closed")
			}
			if tt.sameText && text.String() != p {
				fail("text reads %q; want the payload itself", text.String())
			}
		}
	}
	// The corpus has plain http links too: linkify must have made some,
	// or the link checks above checked nothing.
	if links == 0 {
		t.Error("linkify made no links from the whole corpus")
	}
}

// TestTokenizeHTML checks the test's own tokenizer on what it must reject
// or read as a browser does, since the XSS test is only as good as it.
func TestTokenizeHTML(t *testing.T) {
	for _, tt := range []struct {
		in, want string // want: the tokens, or "error"
	}{
		{`<p>a &lt;b&gt;</p>`, `s:p[] t:"a <b>" e:p[]`},
		{`<a title="x &quot;y" href='h' b=c d>t</a>`, `s:a[title="x \"y" href="h" b="c" d=""] t:"t" e:a[]`},
		{`<a title="x"onclick="y">`, `s:a[title="x" onclick="y"]`},
		{"<img/src=x\fonerror=y>", `s:img[src="x" onerror="y"]`},
		{`<a =x>`, `s:a[=x=""]`},
		{`<!-- x -->`, "error"},
		{`<?x?>`, "error"},
		{`a < b`, "error"},
		{`</ a>`, "error"},
		{`<a title="x>`, "error"},
		{`<p`, "error"},
	} {
		toks, err := tokenizeHTML(tt.in)
		got := "error"
		if err == nil {
			var parts []string
			for _, tok := range toks {
				if tok.kind == 't' {
					parts = append(parts, fmt.Sprintf("t:%q", tok.text))
					continue
				}
				var attrs []string
				for _, a := range tok.attrs {
					attrs = append(attrs, fmt.Sprintf("%s=%q", a.name, a.value))
				}
				parts = append(parts, fmt.Sprintf("%c:%s[%s]", tok.kind, tok.name, strings.Join(attrs, " ")))
			}
			got = strings.Join(parts, " ")
		}
		if got != tt.want {
			t.Errorf("tokenizeHTML(%q) = %s; want %s", tt.in, got, tt.want)
		}
	}
	for href, want := range map[string]bool{
		"http://x.com/":           true,
		"HTTPS://x.com/":          true,
		" \x00http://x.com/":      true,
		"javascript:alert(1)":     false,
		"jav\tascript:alert(1)":   false,
		"\x01javascript:alert(1)": false,
		"data:text/html,x":        false,
		"//x.com/":                false,
		"http:alert(1)":           false,
	} {
		if got := isWebLink(href); got != want {
			t.Errorf("isWebLink(%q) = %v; want %v", href, got, want)
		}
	}
}
