package httpserver

import (
	"crypto/tls"
	"log/slog"
	"time"
)

// The defaults Options fall back to. None of them is "no limit": a server
// that faces the internet needs every one (issue 6, reliability-anchors §1).
const (
	// DefaultMaxHeaderSize bounds the request line and header fields
	// together. 64 KiB is Tornado's default: generous for cookies, small
	// enough that 10,000 half-sent heads cannot exhaust memory. A head
	// over it is answered 431.
	DefaultMaxHeaderSize = 64 << 10

	// DefaultMaxBodySize bounds a request body, declared or chunked.
	// 100 MiB is Tornado's max_buffer_size. A larger body is answered 413
	// (Tornado says 400; 413 is the code RFC 9110 has for it).
	DefaultMaxBodySize = 100 << 20

	// DefaultHeaderTimeout is the time a client has to send a whole
	// request head, counted from its first byte: nginx's
	// client_header_timeout, the defence against slowloris.
	DefaultHeaderTimeout = 60 * time.Second

	// DefaultBodyTimeout is the longest wait between two reads of a
	// request body: nginx's client_body_timeout.
	DefaultBodyTimeout = 60 * time.Second

	// DefaultIdleConnectionTimeout is how long a keep-alive connection may
	// wait for its next request: nginx's keepalive_timeout.
	DefaultIdleConnectionTimeout = 75 * time.Second

	// DefaultSendTimeout is the longest time a client may take no byte of
	// a pending response: nginx's send_timeout.
	DefaultSendTimeout = 60 * time.Second
)

// Limits that are not options.
const (
	// maxHeaderFields bounds the number of header fields of one request
	// (answered 431). 100 is the proposal of reliability-anchors §1 (and
	// Apache's LimitRequestFields): real requests carry 10 to 30.
	maxHeaderFields = 100

	// maxChunkLine bounds one chunk-size line with its extensions, as
	// Go's net/http does (4 KiB): a size needs at most 16 hex digits.
	maxChunkLine = 4 << 10

	// chunkExtBudget is how many bytes of chunk extensions a body may
	// carry beyond its data bytes (Go's CVE-2023-39326 rule): extensions
	// cost reading time but carry nothing a handler sees.
	chunkExtBudget = 16 << 10

	// maxTrailerSize bounds the trailer section of a chunked body. Trailers
	// are read, validated and dropped (Tornado does not accept them at
	// all); 16 KiB is room for any checksum or signature field.
	maxTrailerSize = 16 << 10

	// lingerTimeout is how long a connection the server closes keeps
	// reading and discarding input after its last response (nginx's
	// lingering_timeout): closing a socket with unread input sends a
	// reset that can destroy the response before the client reads it.
	lingerTimeout = 5 * time.Second

	// maxHeldInput bounds the input a connection keeps while an
	// asynchronous handler runs (pipelined requests wait their turn);
	// past it the server stops reading until the handler finishes.
	maxHeldInput = 64 << 10

	// maxPooledBody is the largest body buffer an idle exchange keeps for
	// the next request; bigger ones go back to the garbage collector.
	maxPooledBody = 64 << 10

	// maxBatchOutput is how many bytes of responses a pipelined batch
	// queues before handing them to the stream, which then applies its
	// write cap to them.
	maxBatchOutput = 64 << 10

	// maxSendSlack bounds how late the send timeout may drop a client
	// that stopped reading: pending output is looked at this often (or
	// at an eighth of SendTimeout, if shorter). Twice a second costs
	// nothing next to the output such a connection holds.
	maxSendSlack = 500 * time.Millisecond

	// minSendCheck bounds how often pending output is looked at, for
	// very short send timeouts.
	minSendCheck = 10 * time.Millisecond

	// bigBody is the response-body size from which Finish writes the body
	// from the handler's buffer instead of copying it behind the head.
	bigBody = 32 << 10
)

// Options configures an HTTPServer. The zero value gives the defaults
// above: keep-alive on, no proxy headers, limits and timeouts as Tornado
// and nginx set them.
type Options struct {
	// NoKeepAlive closes every connection after its first response.
	NoKeepAlive bool

	// XHeaders takes the client's address and scheme from X-Real-Ip,
	// X-Forwarded-For, X-Scheme and X-Forwarded-Proto, for a server behind
	// a reverse proxy (Tornado's xheaders). The values are validated and
	// apply to one request only.
	XHeaders bool

	// TrustedDownstream lists proxy addresses skipped when X-Forwarded-For
	// is read from the right: the remote IP is the last hop not listed.
	TrustedDownstream []string

	// Protocol forces Request.Protocol ("https" behind a TLS-terminating
	// proxy); empty means "http", or "https" with TLSConfig. With
	// XHeaders, a request's X-Scheme or X-Forwarded-Proto overrides it.
	Protocol string

	// TLSConfig makes the server speak HTTPS itself (TLS 1.2 and 1.3;
	// see LoadTLSConfig). It needs a certificate (Certificates or
	// GetCertificate). The server uses a copy whose ALPN list is
	// "http/1.1" and whose minimum version is at least TLS 1.2. The
	// handshake must complete within HeaderTimeout (60 s when that is
	// disabled); a failed handshake closes the connection, and a plain
	// HTTP request on the port is answered 400 and closed.
	TLSConfig *tls.Config

	// MaxHeaderSize bounds the request head (default 64 KiB, 431 past it).
	MaxHeaderSize int

	// MaxBodySize bounds request bodies (default 100 MiB, 413 past it).
	// With Decompress it also bounds the decompressed size.
	MaxBodySize int64

	// HeaderTimeout bounds the time to receive a head, from its first
	// byte (default 60 s). A negative value disables it.
	HeaderTimeout time.Duration

	// BodyTimeout bounds the wait between two reads of a body (default
	// 60 s). A negative value disables it.
	BodyTimeout time.Duration

	// IdleConnectionTimeout closes keep-alive connections idle this long
	// (default 75 s). A negative value disables it.
	//
	// The timeouts have millisecond resolution; longer than 12 days
	// counts as 12 days.
	IdleConnectionTimeout time.Duration

	// SendTimeout is nginx's send_timeout: the longest time the client
	// may accept no byte while response output is pending (default 60 s;
	// a negative value disables it). Past it the connection is closed. A
	// client that keeps taking bytes, however slowly (a trickle), restarts
	// the timer with each progress, as in nginx; what bounds it is the
	// write cap (the stream holds at most about 4 MiB of output for it
	// and stops reading its requests meanwhile), the body and request
	// limits, and MaxConnections.
	SendTimeout time.Duration

	// RequestTimeout bounds the time an asynchronous handler may take to
	// finish after ServeHTTP returned (0: no limit). Past it the client
	// gets 503 and the connection closes.
	RequestTimeout time.Duration

	// Decompress gunzips request bodies sent with Content-Encoding: gzip
	// (Tornado's decompress_request). The header is renamed
	// X-Consumed-Content-Encoding.
	Decompress bool

	// MaxConnections stops accepting while this many connections are open
	// (0: no limit).
	MaxConnections int

	// Backlog is the listen(2) backlog (default 128).
	Backlog int

	// Logger receives malformed-request reports (at Info, as Tornado) and
	// handler errors. The default is slog.Default().
	Logger *slog.Logger
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	if o.MaxHeaderSize <= 0 {
		o.MaxHeaderSize = DefaultMaxHeaderSize
	}
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = DefaultMaxBodySize
	}
	o.HeaderTimeout = orDefault(o.HeaderTimeout, DefaultHeaderTimeout)
	o.BodyTimeout = orDefault(o.BodyTimeout, DefaultBodyTimeout)
	o.IdleConnectionTimeout = orDefault(o.IdleConnectionTimeout, DefaultIdleConnectionTimeout)
	o.SendTimeout = orDefault(o.SendTimeout, DefaultSendTimeout)
	if o.Protocol == "" {
		o.Protocol = "http"
		if o.TLSConfig != nil {
			o.Protocol = "https"
		}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// orDefault maps 0 to def and a negative duration to 0 (disabled).
func orDefault(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}
