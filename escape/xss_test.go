package escape_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/tornago/tornago/escape"
	"github.com/tornago/tornago/internal/xsscorpus"
)

// ownTag matches the <a ...> and </a> tags Linkify itself writes.
var ownTag = regexp.MustCompile(`<a href="([^"<>]*)"((?: [a-z]+="[^"<>]*")*)>|</a>`)

func TestXSSCorpusStaysInert(t *testing.T) {
	for _, in := range xsscorpus.Load(t) {
		esc := escape.XHTMLEscape(in)
		if strings.ContainsAny(esc, `<>"'`) || html.UnescapeString(esc) != in {
			t.Errorf("XHTMLEscape(%q) = %q", in, esc)
		}
		for _, opts := range []escape.LinkifyOptions{{}, {Shorten: true}, {ExtraParams: `rel="nofollow"`}} {
			out := escape.Linkify(in, opts)
			for _, m := range ownTag.FindAllStringSubmatch(out, -1) {
				href := strings.ToLower(m[1])
				if m[0] != "</a>" && !strings.HasPrefix(href, "http:") && !strings.HasPrefix(href, "https:") {
					t.Errorf("Linkify(%q) = %q links %q", in, out, m[1])
				}
				if strings.Contains(m[2], " on") {
					t.Errorf("Linkify(%q) = %q adds an event attribute", in, out)
				}
			}
			if rest := ownTag.ReplaceAllString(out, ""); strings.ContainsAny(rest, `<>"`) {
				t.Errorf("Linkify(%q) = %q leaves markup outside its tags: %q", in, out, rest)
			}
		}
	}
}
