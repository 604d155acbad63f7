package escape_test

import (
	"html"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tornago/tornago/escape"
)

// loadXSSCorpus reads testdata/xss.txt: classic injection attempts (tags,
// attribute breakouts, script URLs, entity tricks), one Go string literal a
// line. The web package renders the same corpus through templates.
func loadXSSCorpus(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/xss.txt")
	if err != nil {
		t.Fatal(err)
	}
	var corpus []string
	for i, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := strconv.Unquote(line)
		if err != nil {
			t.Fatalf("testdata/xss.txt:%d: %v", i+1, err)
		}
		corpus = append(corpus, s)
	}
	if len(corpus) < 50 {
		t.Fatalf("testdata/xss.txt holds %d payloads", len(corpus))
	}
	return corpus
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
