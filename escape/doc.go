// Package escape holds Tornado's escaping and unescaping functions for
// HTML, URLs and JSON, and its plain-text helpers (Squeeze, Linkify), with
// the exact outputs of tornado.escape 6.5.
//
// Everything here is a pure function of its arguments and safe for use from
// any number of goroutines.
//
//	escape.XHTMLEscape(`<a href="x">`)        // &lt;a href=&quot;x&quot;&gt;
//	escape.URLEscape("a b/c", true)           // a+b%2Fc
//	escape.Linkify("see www.tornadoweb.org!") // see <a href="http://www.tornadoweb.org">www.tornadoweb.org</a>!
//
// Where Tornado works on Python str (code points) these functions work on
// UTF-8 strings; bytes that are not valid UTF-8 pass through the escapers
// unchanged rather than raising as Python would.
package escape
