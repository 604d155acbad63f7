package escape_test

import (
	"strings"
	"testing"

	"github.com/tornago/tornago/escape"
)

// internalOrExternal is the extra_params callable of Tornado's table: links
// into www.internal-link.com are marked internal, everything else external.
func internalOrExternal(href string) string {
	if strings.HasPrefix(href, "http://www.internal-link.com") {
		return `class="internal"`
	}
	return `rel="nofollow" class="external"`
}

// linkifyTests restates, one rule per row, the 35 cases of Tornado's
// escape_test.py linkify table.
var linkifyTests = []struct {
	name string
	in   string
	opts escape.LinkifyOptions
	want string
}{
	{"trailing bang excluded", "hello http://world.com/!", escape.LinkifyOptions{},
		`hello <a href="http://world.com/">http://world.com/</a>!`},
	{"ampersand in query escaped in href and text", "hello http://world.com/with?param=true&stuff=yes", escape.LinkifyOptions{},
		`hello <a href="http://world.com/with?param=true&amp;stuff=yes">http://world.com/with?param=true&amp;stuff=yes</a>`},
	{"unclosed paren stops the url", "http://url.com/w(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", escape.LinkifyOptions{},
		`<a href="http://url.com/w">http://url.com/w</a>(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`},
	{"many trailing dots excluded", "http://url.com/withmany.......................................", escape.LinkifyOptions{},
		`<a href="http://url.com/withmany">http://url.com/withmany</a>.......................................`},
	{"many open parens stop the url", "http://url.com/withmany((((((((((((((((((((((((((((((((((a)", escape.LinkifyOptions{},
		`<a href="http://url.com/withmany">http://url.com/withmany</a>((((((((((((((((((((((((((((((((((a)`},
	{"underscore path", "http://foo.com/blah_blah", escape.LinkifyOptions{},
		`<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>`},
	{"trailing slash kept", "http://foo.com/blah_blah/", escape.LinkifyOptions{},
		`<a href="http://foo.com/blah_blah/">http://foo.com/blah_blah/</a>`},
	{"enclosing parens excluded", "(Something like http://foo.com/blah_blah)", escape.LinkifyOptions{},
		`(Something like <a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>)`},
	{"balanced parens at end kept", "http://foo.com/blah_blah_(wikipedia)", escape.LinkifyOptions{},
		`<a href="http://foo.com/blah_blah_(wikipedia)">http://foo.com/blah_blah_(wikipedia)</a>`},
	{"several balanced parens kept", "http://foo.com/blah_(blah)_(wikipedia)_blah", escape.LinkifyOptions{},
		`<a href="http://foo.com/blah_(blah)_(wikipedia)_blah">http://foo.com/blah_(blah)_(wikipedia)_blah</a>`},
	{"balanced parens inside enclosing parens", "(Something like http://foo.com/blah_blah_(wikipedia))", escape.LinkifyOptions{},
		`(Something like <a href="http://foo.com/blah_blah_(wikipedia)">http://foo.com/blah_blah_(wikipedia)</a>)`},
	{"trailing period excluded", "http://foo.com/blah_blah.", escape.LinkifyOptions{},
		`<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>.`},
	{"slash then period", "http://foo.com/blah_blah/.", escape.LinkifyOptions{},
		`<a href="http://foo.com/blah_blah/">http://foo.com/blah_blah/</a>.`},
	{"angle brackets escaped around", "<http://foo.com/blah_blah>", escape.LinkifyOptions{},
		`&lt;<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>&gt;`},
	{"angle brackets after slash", "<http://foo.com/blah_blah/>", escape.LinkifyOptions{},
		`&lt;<a href="http://foo.com/blah_blah/">http://foo.com/blah_blah/</a>&gt;`},
	{"trailing comma excluded", "http://foo.com/blah_blah,", escape.LinkifyOptions{},
		`<a href="http://foo.com/blah_blah">http://foo.com/blah_blah</a>,`},
	{"query then period", "http://www.example.com/wpstyle/?p=364.", escape.LinkifyOptions{},
		`<a href="http://www.example.com/wpstyle/?p=364">http://www.example.com/wpstyle/?p=364</a>.`},
	{"custom protocol permitted", "rdar://1234", escape.LinkifyOptions{PermittedProtocols: []string{"http", "rdar"}},
		`<a href="rdar://1234">rdar://1234</a>`},
	{"one slash after scheme", "rdar:/1234", escape.LinkifyOptions{PermittedProtocols: []string{"rdar"}},
		`<a href="rdar:/1234">rdar:/1234</a>`},
	{"user, password and port", "http://userid:password@example.com:8080", escape.LinkifyOptions{},
		`<a href="http://userid:password@example.com:8080">http://userid:password@example.com:8080</a>`},
	{"user", "http://userid@example.com", escape.LinkifyOptions{},
		`<a href="http://userid@example.com">http://userid@example.com</a>`},
	{"user and port", "http://userid@example.com:8080", escape.LinkifyOptions{},
		`<a href="http://userid@example.com:8080">http://userid@example.com:8080</a>`},
	{"user and password", "http://userid:password@example.com", escape.LinkifyOptions{},
		`<a href="http://userid:password@example.com">http://userid:password@example.com</a>`},
	{"percent escapes in message url", "message://%3c330e7f8409726r6a4ba78dkf1fd71420c1bf6ff@mail.gmail.com%3e", escape.LinkifyOptions{PermittedProtocols: []string{"http", "message"}},
		`<a href="message://%3c330e7f8409726r6a4ba78dkf1fd71420c1bf6ff@mail.gmail.com%3e">message://%3c330e7f8409726r6a4ba78dkf1fd71420c1bf6ff@mail.gmail.com%3e</a>`},
	{"non-ascii host and path", "http://\u27a1.ws/\u4a39", escape.LinkifyOptions{},
		"<a href=\"http://\u27a1.ws/\u4a39\">http://\u27a1.ws/\u4a39</a>"},
	{"tags around are escaped", "<tag>http://example.com</tag>", escape.LinkifyOptions{},
		`&lt;tag&gt;<a href="http://example.com">http://example.com</a>&lt;/tag&gt;`},
	{"www gets an http href", "Just a www.example.com link.", escape.LinkifyOptions{},
		`Just a <a href="http://www.example.com">www.example.com</a> link.`},
	{"require protocol skips www", "Just a www.example.com link.", escape.LinkifyOptions{RequireProtocol: true},
		`Just a www.example.com link.`},
	{"shorten to host and first segment", "A http://reallylong.com/link/that/exceedsthelenglimit.html", escape.LinkifyOptions{RequireProtocol: true, Shorten: true},
		`A <a href="http://reallylong.com/link/that/exceedsthelenglimit.html" title="http://reallylong.com/link/that/exceedsthelenglimit.html">http://reallylong.com/link...</a>`},
	{"shorten hard cut of long host", "A http://reallylongdomainnamethatwillbetoolong.com/hi!", escape.LinkifyOptions{Shorten: true},
		`A <a href="http://reallylongdomainnamethatwillbetoolong.com/hi" title="http://reallylongdomainnamethatwillbetoolong.com/hi">http://reallylongdomainnametha...</a>!`},
	{"file scheme not permitted by default", "A file:///passwords.txt and http://web.com link", escape.LinkifyOptions{},
		`A file:///passwords.txt and <a href="http://web.com">http://web.com</a> link`},
	{"only file permitted", "A file:///passwords.txt and http://web.com link", escape.LinkifyOptions{PermittedProtocols: []string{"file"}},
		`A <a href="file:///passwords.txt">file:///passwords.txt</a> and http://web.com link`},
	{"extra params string", "www.external-link.com", escape.LinkifyOptions{ExtraParams: `rel="nofollow" class="external"`},
		`<a href="http://www.external-link.com" rel="nofollow" class="external">www.external-link.com</a>`},
	{"extra params func per href", "www.external-link.com and www.internal-link.com/blogs extra", escape.LinkifyOptions{ExtraParams: internalOrExternal},
		`<a href="http://www.external-link.com" rel="nofollow" class="external">www.external-link.com</a> and <a href="http://www.internal-link.com/blogs" class="internal">www.internal-link.com/blogs</a> extra`},
	{"extra params func result stripped", "www.external-link.com", escape.LinkifyOptions{ExtraParams: func(string) string { return `    rel="nofollow" class="external"  ` }},
		`<a href="http://www.external-link.com" rel="nofollow" class="external">www.external-link.com</a>`},
}

func TestLinkifyTornadoTable(t *testing.T) {
	if len(linkifyTests) != 35 {
		t.Fatalf("table has %d rows, Tornado's has 35", len(linkifyTests))
	}
	for _, tc := range linkifyTests {
		t.Run(tc.name, func(t *testing.T) {
			if got := escape.Linkify(tc.in, tc.opts); got != tc.want {
				t.Errorf("Linkify(%q)\n got %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}
