package escape_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/tornago/tornago/escape"
)

// xssCorpus holds classic injection attempts: tags, attribute breakouts,
// script URLs and entity tricks.
var xssCorpus = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`"><script>alert(1)</script>`,
	`' onmouseover='alert(1)`,
	`" onmouseover="alert(1)`,
	`javascript:alert(1)`,
	`JaVaScRiPt:alert(1)`,
	`javascript://%0aalert(1)`,
	`data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==`,
	`vbscript:msgbox(1)`,
	`http://example.com/"onmouseover="alert(1)`,
	`http://example.com/'onmouseover='alert(1)`,
	`http://example.com/<script>alert(1)</script>`,
	`www.example.com/"><script>alert(1)</script>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`&#60;script&#62;alert(1)&#60;/script&#62;`,
	`&#x3C;script&#x3E;`,
	`<<script>script>alert(1)<</script>/script>`,
	`<svg/onload=alert(1)>`,
	"<scr\x00ipt>alert(1)</scr\x00ipt>",
	`http://x.com/?a=1&b=<script>`,
	`(http://x.com/))"><b>`,
	`http://x.com/` + "\u2028" + `<script>`,
	`</a><a href="javascript:alert(1)">x</a>`,
}

// tagOrText splits Linkify output into its own <a ...> and </a> tags.
var ownTag = regexp.MustCompile(`<a href="([^"<>]*)"((?: [a-z]+="[^"<>]*")*)>|</a>`)

func TestXSSCorpusStaysInert(t *testing.T) {
	for _, in := range xssCorpus {
		esc := escape.XHTMLEscape(in)
		if strings.ContainsAny(esc, `<>"'`) {
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
