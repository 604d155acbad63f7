// Package httputil holds the HTTP pieces that do no I/O: header fields,
// request lines, body arguments, cookies, ranges and timestamps, as
// Tornado's tornado.httputil defines them.
//
// Everything here is a pure function or a plain type, safe to call from
// any goroutine (a Headers value, like a slice, is not safe for concurrent
// mutation). Parsers never panic on hostile input; they report an
// *InputError, which the server answers with 400 Bad Request.
//
//	var h httputil.Headers
//	h.Add("content-type", "text/html")
//	h.Add("Set-Cookie", "a=1")
//	h.Add("Set-Cookie", "b=2")
//	h.Get("Content-Type") // "text/html"
//	h.Get("set-cookie")   // "a=1,b=2"
//
//	rl, err := httputil.ParseRequestLine("GET /index.html HTTP/1.1")
//	// rl.Method "GET", rl.Target "/index.html", rl.Version "HTTP/1.1"
//
// # Where it differs from Tornado
//
// Strings are bytes: where Tornado decodes headers as Latin-1, a byte here
// stands for the code point of the same value, and non-ASCII bytes are
// never trimmed as whitespace. Beyond that, on purpose:
//
//   - Headers keeps fields in arrival order, interleaved; Tornado groups
//     the values of a name at its first position.
//   - ParseHeaders refuses a bare CR inside a value (Tornado 6.2 kept it as
//     data; 6.5 refuses controls too).
//   - ParseRequestLine accepts only HTTP/1.0 and HTTP/1.1, not any
//     HTTP/1.x.
//   - ParseBodyArguments matches media types exactly, not by prefix; stops
//     a multipart body at the first close delimiter, not the last; refuses
//     data before the first delimiter; and decodes RFC 2231 charsets other
//     than UTF-8 and ASCII as Latin-1.
//   - ParseRange accepts digits only (Python's int() takes "+1", "1_0",
//     " 1") and reads a range without either position as no range.
//   - ValidIP refuses inet_aton shorthands such as "127.1".
//   - URLConcat adds map arguments in sorted key order and keeps the bytes
//     of the existing query rather than decoding them as UTF-8.
package httputil
