package web

import (
	"errors"

	"github.com/tornago/tornago/iostream"
)

// ErrDetachUnsupported is returned by Detach where there is no loop
// connection to take: requests served in process (webtest's Client,
// ServeRecorded), through the net/http bridge, or before a streamed body
// has arrived.
var ErrDetachUnsupported = errors.New("web: this request's connection cannot be detached")

// Detach takes the connection away from the HTTP server for a protocol
// that follows this request, Tornado's request.connection.detach(): a
// WebSocket handler calls it once it has checked the handshake, writes its
// own 101 on the stream and reads frames from it. The response must not
// have been flushed. Responses to earlier requests on the connection are
// sent first; input the client sent after this request stays in the
// stream for the caller's first read. The caller owns the stream and must
// close it.
//
// After Detach nothing the handler writes reaches the client. Finish it
// (with SetStatus(101) for the access log) when done with the request:
// h.Request, like any request, is valid only until then, so copy what the
// protocol needs later. Detach must run on the connection's loop: it is
// refused for a blocking handler.
func (h *RequestHandler) Detach() (*iostream.IOStream, error) {
	switch {
	case h.finished.Load() || h.out == nil:
		return nil, ErrFinished
	case h.headersWritten:
		return nil, errors.New("web: cannot detach after the response was flushed")
	case h.onWorker:
		return nil, errors.New("web: a blocking handler cannot detach its connection; detach on the loop")
	}
	s, err := h.sink.detach()
	if err != nil {
		return nil, err
	}
	h.detached = true
	return s, nil
}
