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
package httputil
