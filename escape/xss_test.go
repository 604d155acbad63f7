package escape_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/tornago/tornago/escape"
	"github.com/tornago/tornago/internal/xsscorpus"
)

// loadXSSCorpus returns internal/xsscorpus's payloads, which the escape
// and web tests share.
func loadXSSCorpus(t *testing.T) []string {
	t.Helper()
	p, err := xsscorpus.Payloads()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// tagOrText splits Linkify output into its own <a ...> and </a> tags.
var ownTag = regexp.MustCompile(`<a href="([^"<>]*)"((?: [a-z]+="[^"<>]*")*)>|</a>`)

func TestXSSCorpusStaysInert(t *testing.T) {
	for _, in := range loadXSSCorpus(t) {
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
