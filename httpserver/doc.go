// Package httpserver is tornago's HTTP/1.1 server, Tornado's HTTPServer and
// HTTP1Connection: a tcpserver whose connections speak HTTP/1.1 on
// tornago's own loops, with no net/http underneath.
//
//	srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
//		w.Header().Set("Content-Type", "text/plain")
//		w.WriteString("Hello, world")
//		w.Finish()
//	}), httpserver.Options{})
//	if err := srv.Listen(8888, ""); err != nil { ... } // serves in the background
//	defer srv.Shutdown(context.Background())
//
// # Handlers
//
// A Handler runs on its connection's loop goroutine, inline, as Tornado's
// handlers do: it must not block. It finishes the response before
// returning, or returns and finishes later on the loop, for instance from
// the done callback of IOLoop.RunInExecutor, or from another goroutine
// through w.Loop().AddCallback. Meanwhile later pipelined requests of that
// connection wait; other connections are not delayed.
//
// The Request's strings and body are views into the connection's input
// until the response is finished; when a handler returns without
// finishing, the server copies them first.
//
// # Protocol
//
// The parser follows RFC 9112 and Tornado 6.5, strictly, and never has two
// readings of one message. Its verdict does not depend on how the bytes
// arrive: each head line is checked as soon as it is complete, and a bare
// CR as soon as the byte after it is there, whatever the split. Each of
// these is answered with the status in brackets, "Connection: close", and
// a close: a malformed request line or method; a target that is not
// VCHARs in one of the four forms of RFC 9112 section 3.2, holds a "#"
// (the grammar has no fragment) or a "%" not followed by two hex digits
// (RFC 3986 section 2.1) [400]; a version other than HTTP/1.x [400; Go
// says 505]; a header name that is not a token, a value with controls, a
// line without colon, obs-fold [400]; a bare CR [400]; a missing Host in
// HTTP/1.1, or two Host fields, or a Host that is not a uri-host[:port]
// (a reg-name may hold sub-delims, RFC 3986 section 3.2.2) [400];
// Content-Length that is not digits, or values that differ [400];
// Transfer-Encoding other than exactly "chunked", or with Content-Length,
// or in HTTP/1.0 [400; Go says 501, Tornado 400]; a malformed chunk size
// (more than 15 significant hex digits; leading zeros are free) or chunk
// end, a bare LF in a chunk line, a bad trailer [400]; a head over
// MaxHeaderSize or over 100 fields [431]; a Content-Length or chunked
// body over MaxBodySize [413]; a head or body not received within its
// timeout [408].
//
// HTTP/1.2 and later 1.x minor versions are served as HTTP/1.1 (RFC 9112
// section 2.3: Request.Version says "HTTP/1.1"), and every response is
// HTTP/1.1.
//
// One empty line before a request line is ignored. Bare LF ends head lines
// (RFC 9112 section 2.2 allows it; Tornado does it) but not chunk lines.
// Expect: 100-continue gets "100 Continue" before the body is read.
//
// Keep-alive follows Tornado: HTTP/1.1 unless "Connection: close";
// HTTP/1.0 only with "Connection: keep-alive" (answered "Connection:
// Keep-Alive"). Pipelined requests are answered in order, all the
// responses of one read in one write. A response is framed by
// Content-Length, or chunked when the handler flushes before finishing
// without setting Content-Length; HEAD, 1xx, 204 and 304 responses carry
// no body (HEAD keeps the would-be Content-Length).
//
// # Request bodies
//
// A Handler that also implements HeadersReceiver is told of each
// request's head before its body is read, and returns BodyOptions: the
// body limit of this request (Tornado's set_max_body_size; 0 keeps
// Options.MaxBodySize) and whether to stream the body. A streamed body
// (Tornado's stream_request_body) goes to BodyStreamer.DataReceived in
// pieces as it arrives, a chunked one decoded, and ServeHTTP runs once it
// has ended, with Request.Body nil. When DataReceived returns a Future not
// yet done, the connection is not read until it is (flow control), so an
// upload of any size holds about one read (64 KiB) of it at a time.
//
// # HTTPS
//
// With Options.TLSConfig (see LoadTLSConfig) the server speaks TLS 1.2
// and 1.3 itself, offering HTTP/1.1 by ALPN, and Request.Protocol is
// "https" (X-Scheme and X-Forwarded-Proto still override it with
// XHeaders). The handshake runs on a goroutine of its own only until it
// completes (within HeaderTimeout); then the loop drives the connection,
// and an idle HTTPS connection holds no goroutine (iostream's TLS). A
// plain-HTTP request on the port is answered 400 and closed.
//
// # Slow readers
//
// A client that takes no byte of its pending response for SendTimeout
// (nginx's send_timeout, 60 s) is dropped; a response it is still taking
// does not count as idle time. While more than the stream's write cap
// (4 MiB) is pending, the connection's next requests are not read.
//
// # Resources
//
// An idle connection holds no buffer, no goroutine and no closure: its
// conn (96 bytes), its stream (144 bytes), a slot of the loop's fd table
// and a timer entry, about 500 bytes of resident memory at 10,000
// connections. Serving a keep-alive request allocates nothing. The
// timeouts (head, body, idle) are timers of the loop, and the Date header
// is formatted once a second.
package httpserver
