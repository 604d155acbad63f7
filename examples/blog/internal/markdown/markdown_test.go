package markdown

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

var renderTests = []struct {
	name, in, want string
}{
	{"emphasis", "Hello *world*", "<p>Hello <em>world</em></p>\n"},
	{"script block is omitted", "<script>alert(1)</script>",
		"<!-- raw HTML omitted -->\n"},
	{"inline script tags are omitted, text stays escaped", "a <script>alert('x')</script> b",
		"<p>a <!-- raw HTML omitted -->alert('x')<!-- raw HTML omitted --> b</p>\n"},
	{"event handler attribute", `<img src=x onerror="alert(1)">`, "<!-- raw HTML omitted -->\n"},
	{"iframe", "<iframe src=//evil></iframe>", "<!-- raw HTML omitted -->\n"},
	{"javascript link loses its target", "[x](javascript:alert(1))", "<p><a href=\"\">x</a></p>\n"},
	{"mixed-case javascript link", "[x](JaVaScRiPt:alert(1))", "<p><a href=\"\">x</a></p>\n"},
	{"javascript autolink", "<javascript:alert(1)>", "<p><a href=\"\">javascript:alert(1)</a></p>\n"},
	{"javascript image becomes its alt text", "![pic *here*](javascript:alert(1))", "<p>pic <em>here</em></p>\n"},
	{"data image becomes its alt text", "![pic](data:text/html,x)", "<p>pic</p>\n"},
	{"empty image source becomes its alt text", "![pic]()", "<p>pic</p>\n"},
	{"safe image", "![pic](/a.png)", "<p><img src=\"/a.png\" alt=\"pic\" /></p>\n"},
	{"attribute breakout in a link", `[x](http://a.com/"onmouseover="alert(1))`, "<p><a href=\"http://a.com/%22onmouseover=%22alert(1)\">x</a></p>\n"},
	{"code is escaped", "`<b>`", "<p><code>&lt;b&gt;</code></p>\n"},
	{"entities become characters", "&copy; &amp; &#65; &nbsp;", "<p>© &amp; A \u00a0</p>\n"},
	{"void elements are self-closed", "a  \nb\n\n---", "<p>a<br />\nb</p>\n<hr />\n"},
	{"control characters replaced", "a\x01b\x00c", "<p>a\uFFFDb\uFFFDc</p>\n"},
	{"invalid UTF-8 replaced", "a\xffb", "<p>a\uFFFDb</p>\n"},
	{"table (GFM)", "| a |\n|---|\n| b |", "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>b</td>\n</tr>\n</tbody>\n</table>\n"},
	{"empty", "", ""},
}

func TestRender(t *testing.T) {
	for _, tc := range renderTests {
		if got := Render(tc.in); got != tc.want {
			t.Errorf("%s: Render(%q)\n got %q\nwant %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// checkInert fails if html holds markup an author could use to run script:
// a script-capable element, an event-handler attribute, or a link or source
// whose scheme runs code (read as a browser reads it: entities decoded, tab
// and newline removed, leading spaces and controls trimmed, any case). It
// also fails unless html is well-formed XML inside one element, as the
// Atom feed's xhtml content embeds it.
func checkInert(t *testing.T, in, html string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader("<div>" + html + "</div>"))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("Render(%q) = %q is not well-formed XML: %v", in, html, err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch strings.ToLower(el.Name.Local) {
		case "script", "iframe", "object", "embed", "style", "svg", "math", "form", "base", "meta", "link":
			t.Fatalf("Render(%q) = %q: element <%s>", in, html, el.Name.Local)
		}
		for _, a := range el.Attr {
			name := strings.ToLower(a.Name.Local)
			if strings.HasPrefix(name, "on") || name == "style" || name == "srcdoc" || name == "formaction" {
				t.Fatalf("Render(%q) = %q: attribute %s", in, html, name)
			}
			if name != "href" && name != "src" {
				continue
			}
			v := strings.Map(func(r rune) rune {
				if r == '\t' || r == '\n' || r == '\r' {
					return -1
				}
				return r
			}, a.Value)
			v = strings.ToLower(strings.TrimLeft(v, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
			safeImage := name == "src" && strings.HasPrefix(v, "data:image/") &&
				!strings.HasPrefix(v, "data:image/svg")
			for _, scheme := range []string{"javascript:", "vbscript:", "data:", "file:"} {
				if strings.HasPrefix(v, scheme) && !safeImage {
					t.Fatalf("Render(%q) = %q: %s=%q", in, html, name, a.Value)
				}
			}
		}
	}
}

func TestRenderIsInertAndWellFormed(t *testing.T) {
	payloads := []string{
		"<script>alert(1)</script>",
		"<SCRIPT SRC=//evil.js></SCRIPT>",
		"<scr<script>ipt>alert(1)</script>",
		"<a href=\"javascript:alert(1)\">x</a>",
		"<svg onload=alert(1)>",
		"<div onclick='alert(1)'>x</div>",
		"[x](javascript:alert(1))",
		"[x](  javascript:alert(1) )",
		"[x](vbscript:msgbox(1))",
		"[x](data:text/html;base64,PHNjcmlwdD4=)",
		"![x](javascript:alert(1))",
		"[x]: javascript:alert(1)\n\n[x]",
		"<style>body{}</style>",
		"<!-- --><script>x</script>",
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"`<script>`\n\n    <script>\n\n```\n<script>\n```",
		"**<img src=x onerror=alert(1)>**",
	}
	for _, p := range payloads {
		html := Render(p)
		checkInert(t, p, html)
	}
}

func FuzzRender(f *testing.F) {
	for _, tc := range renderTests {
		f.Add(tc.in)
	}
	f.Add("<script>alert(1)</script>")
	f.Fuzz(func(t *testing.T, in string) {
		html := Render(in)
		if !utf8.ValidString(html) {
			t.Fatalf("Render(%q) is not valid UTF-8", in)
		}
		checkInert(t, in, html)
	})
}
