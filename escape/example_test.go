package escape_test

import (
	"fmt"
	"strings"

	"github.com/tornago/tornago/escape"
)

func ExampleXHTMLEscape() {
	fmt.Println(escape.XHTMLEscape(`<a href="/?q=1&r='2'">`))
	// Output: &lt;a href=&quot;/?q=1&amp;r=&#x27;2&#x27;&quot;&gt;
}

func ExampleAppendXHTMLEscape() {
	buf := make([]byte, 0, 64)
	buf = append(buf, "<p>"...)
	buf = escape.AppendXHTMLEscape(buf, "Tom & Jerry")
	buf = append(buf, "</p>"...)
	fmt.Println(string(buf))
	// Output: <p>Tom &amp; Jerry</p>
}

func ExampleXHTMLUnescape() {
	fmt.Println(escape.XHTMLUnescape("caf&eacute; &amp &#x41;&#66; &lt;3 &bogus;"))
	// Output: café & AB <3 &bogus;
}

func ExampleURLEscape() {
	fmt.Println(escape.URLEscape("a b/c?d", true))
	fmt.Println(escape.URLEscape("a b/c?d", false))
	// Output:
	// a+b%2Fc%3Fd
	// a%20b/c%3Fd
}

func ExampleURLUnescape() {
	fmt.Println(escape.URLUnescape("caf%C3%A9+au+lait", true))
	fmt.Println(escape.URLUnescape("1+1%3D2", false))
	// Output:
	// café au lait
	// 1+1=2
}

func ExampleJSONEncode() {
	s, _ := escape.JSONEncode(map[string]any{"name": "Zoë", "tags": []string{"</script>"}, "score": 2.0})
	fmt.Println(s)
	// Output: {"name": "Zo\u00eb", "score": 2.0, "tags": ["<\/script>"]}
}

func ExampleJSONDecode() {
	var v map[string]any
	if err := escape.JSONDecode([]byte(`{"a": [1, "x"]}`), &v); err != nil {
		fmt.Println(err)
	}
	fmt.Println(v["a"])
	// Output: [1 x]
}

func ExampleSqueeze() {
	fmt.Printf("%q\n", escape.Squeeze("  lots\tof \n\n  space  "))
	// Output: "lots of space"
}

func ExampleLinkify() {
	fmt.Println(escape.Linkify("See http://example.com/a_(b), or www.tornadoweb.org."))
	fmt.Println(escape.Linkify("javascript:alert(1) is not a link"))
	// Output:
	// See <a href="http://example.com/a_(b)">http://example.com/a_(b)</a>, or <a href="http://www.tornadoweb.org">www.tornadoweb.org</a>.
	// javascript:alert(1) is not a link
}

func ExampleLinkify_options() {
	nofollow := func(href string) string {
		if strings.HasPrefix(href, "https://mysite.example/") {
			return ""
		}
		return `rel="nofollow"`
	}
	fmt.Println(escape.Linkify("Go to https://other.example/x", escape.LinkifyOptions{ExtraParams: nofollow}))
	fmt.Println(escape.Linkify("www.example.com ftp://files.example",
		escape.LinkifyOptions{RequireProtocol: true, PermittedProtocols: []string{"ftp"}}))
	fmt.Println(escape.Linkify("http://example.com/a/very/long/path/to/somewhere.html", escape.LinkifyOptions{Shorten: true}))
	// Output:
	// Go to <a href="https://other.example/x" rel="nofollow">https://other.example/x</a>
	// www.example.com <a href="ftp://files.example">ftp://files.example</a>
	// <a href="http://example.com/a/very/long/path/to/somewhere.html" title="http://example.com/a/very/long/path/to/somewhere.html">http://example.com/a...</a>
}
