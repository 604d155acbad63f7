package httpclient

import (
	"crypto/tls"
	"strconv"
	"time"

	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/ioloop"
)

const (
	// DefaultConnectTimeout is Tornado's connect_timeout: 20 seconds.
	DefaultConnectTimeout = 20 * time.Second
	// DefaultRequestTimeout is Tornado's request_timeout: 20 seconds for
	// the whole fetch, time in the queue included.
	DefaultRequestTimeout = 20 * time.Second
	// DefaultMaxRedirects is Tornado's max_redirects: 5.
	DefaultMaxRedirects = 5
	// DefaultUserAgent is sent when the request sets none (Tornado sends
	// "Tornado/<version>").
	DefaultUserAgent = "Tornago/0.1"
)

// A BodyProducer writes a request body piece by piece, Tornado's
// body_producer: it calls write for each piece (the returned future resolves
// once the piece is handed to the kernel) and returns a future that resolves
// when the body is complete. Without a Content-Length header the body is sent
// chunked. It runs on the loop.
type BodyProducer func(write func(data []byte) *ioloop.Future) *ioloop.Future

// Request is Tornado's HTTPRequest. The zero values of the timeouts and of
// MaxRedirects mean Tornado's defaults; FollowRedirects and
// DecompressResponse are on unless NoFollowRedirects / NoDecompress is set
// (so that the zero Request behaves as Tornado's defaults).
type Request struct {
	URL    string
	Method string // "" means GET
	Header httputil.Headers
	Body   []byte
	// BodyProducer streams the body instead of Body.
	BodyProducer BodyProducer

	ConnectTimeout time.Duration // 0: DefaultConnectTimeout
	RequestTimeout time.Duration // 0: DefaultRequestTimeout

	// FollowRedirects is Tornado's follow_redirects, true by default: the
	// zero Request follows, NoFollowRedirects turns it off.
	NoFollowRedirects bool
	// MaxRedirects bounds the redirects followed (0: DefaultMaxRedirects;
	// negative: none).
	MaxRedirects int
	// NoDecompress turns off Tornado's decompress_response (on by default):
	// without it the client sends Accept-Encoding: gzip and decodes a gzip
	// body.
	NoDecompress bool

	// StreamingCallback, if set, receives the body as it arrives instead of
	// Response.Body.
	StreamingCallback func(chunk []byte)
	// HeaderCallback, if set, receives the status line, each header line and
	// the final empty line, each with its CRLF, as Tornado's header_callback.
	HeaderCallback func(line string)

	AuthUsername, AuthPassword string // basic authentication
	UserAgent                  string // "" means DefaultUserAgent

	// TLSConfig is used for https URLs (nil: verify against the system
	// roots, server name from the URL).
	TLSConfig *tls.Config
}

// FollowRedirects reports whether r follows redirects.
func (r *Request) FollowRedirects() bool { return !r.NoFollowRedirects }

// DecompressResponse reports whether r decodes gzip bodies.
func (r *Request) DecompressResponse() bool { return !r.NoDecompress }

func (r *Request) connectTimeout() time.Duration {
	if r.ConnectTimeout > 0 {
		return r.ConnectTimeout
	}
	return DefaultConnectTimeout
}

func (r *Request) requestTimeout() time.Duration {
	if r.RequestTimeout > 0 {
		return r.RequestTimeout
	}
	return DefaultRequestTimeout
}

func (r *Request) maxRedirects() int {
	switch {
	case r.MaxRedirects == 0:
		return DefaultMaxRedirects
	case r.MaxRedirects < 0:
		return 0
	}
	return r.MaxRedirects
}

func (r *Request) method() string {
	if r.Method == "" {
		return "GET"
	}
	return r.Method
}

// Response is Tornado's HTTPResponse.
type Response struct {
	// Request is the original request (not the last redirect's).
	Request *Request
	Code    int
	Reason  string
	Header  httputil.Headers
	Body    []byte
	// EffectiveURL is the URL after redirects.
	EffectiveURL string
	// Error is nil for a 2xx response, else an *HTTPClientError (see the
	// package comment).
	Error error
	// RequestTime is the time from Fetch to the response, redirects and
	// queueing included.
	RequestTime time.Duration
}

// HTTPClientError is Tornado's HTTPClientError: Code is the HTTP status,
// or 599 when no response was received, with the cause in Err.
type HTTPClientError struct {
	Code    int
	Message string
	Err     error
}

func (e *HTTPClientError) Error() string {
	return "HTTP " + strconv.Itoa(e.Code) + ": " + e.Message
}

// Unwrap returns the cause of a 599 error.
func (e *HTTPClientError) Unwrap() error { return e.Err }
