package httpserver

import "errors"

// A ParseError reports a malformed or refused HTTP request. The connection
// that sent it is answered with Status and closed.
type ParseError struct {
	Status int    // 400, 413, 431 ...
	Reason string // e.g. "duplicate Content-Length"
}

// Error returns the reason, prefixed with the package name.
func (e *ParseError) Error() string { return "httpserver: " + e.Reason }

// The parser's errors are values built once: rejecting hostile input must
// not cost an allocation either.
var (
	errBadRequestLine   = &ParseError{400, "malformed request line"}
	errBadMethod        = &ParseError{400, "malformed method"}
	errBadTarget        = &ParseError{400, "malformed request target"}
	errBadVersion       = &ParseError{400, "unsupported HTTP version"}
	errBadLineEnding    = &ParseError{400, "bare CR in request head"}
	errObsFold          = &ParseError{400, "obsolete line folding"}
	errNoColon          = &ParseError{400, "header line without colon"}
	errBadHeaderName    = &ParseError{400, "invalid header name"}
	errBadHeaderValue   = &ParseError{400, "invalid header value"}
	errLeadingBlank     = &ParseError{400, "empty line before request line"}
	errTooManyFields    = &ParseError{431, "too many header fields"}
	errHeadTooLarge     = &ParseError{431, "request head too large"}
	errMissingHost      = &ParseError{400, "missing Host header"}
	errMultipleHost     = &ParseError{400, "multiple Host headers"}
	errBadHost          = &ParseError{400, "invalid Host header"}
	errBadLength        = &ParseError{400, "malformed Content-Length"}
	errDifferentLengths = &ParseError{400, "differing Content-Length values"}
	errLengthAndTE      = &ParseError{400, "both Content-Length and Transfer-Encoding"}
	errBadTE            = &ParseError{400, "unsupported Transfer-Encoding"}
	errTEInHTTP10       = &ParseError{400, "Transfer-Encoding in an HTTP/1.0 request"}
	errBodyTooLarge     = &ParseError{413, "request body too large"}
	errBadChunkSize     = &ParseError{400, "malformed chunk size"}
	errChunkLineLong    = &ParseError{400, "chunk size line too long"}
	errChunkExtBudget   = &ParseError{400, "too many chunk extension bytes"}
	errBadChunkEnd      = &ParseError{400, "chunk data not followed by CRLF"}
	errBadTrailer       = &ParseError{400, "malformed trailer field"}
	errTrailerTooLarge  = &ParseError{400, "trailer section too large"}
	errBadGzip          = &ParseError{400, "malformed gzip body"}
	errHeaderTimeout    = &ParseError{408, "request head not received in time"}
)

var (
	// ErrFinished is returned by ResponseWriter methods called after
	// Finish (Tornado's "finish() called twice").
	ErrFinished = errors.New("httpserver: response already finished")

	// ErrConnectionClosed is returned by ResponseWriter methods when the
	// client's connection closed before the response was complete.
	ErrConnectionClosed = errors.New("httpserver: connection closed")

	// ErrContentLength is returned by Flush and Finish when the handler
	// wrote more, or finished with less, than the Content-Length it set
	// (Tornado's HTTPOutputError). The connection is closed: the framing
	// of anything sent after it could not be trusted.
	ErrContentLength = errors.New("httpserver: body does not match Content-Length")

	// ErrServerClosed is returned by Listen, Bind and Start after
	// Shutdown or Close.
	ErrServerClosed = errors.New("httpserver: server closed")
)
