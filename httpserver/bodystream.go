package httpserver

import (
	"runtime/debug"

	"github.com/tornago/tornago/ioloop"
)

// BodyOptions is what a handler decides about a request's body once its
// head has arrived and before any of the body is read (Tornado's
// RequestHandler.prepare with set_max_body_size and stream_request_body).
type BodyOptions struct {
	// MaxBodySize bounds this request's body; 0 keeps
	// Options.MaxBodySize. A declared Content-Length over it is answered
	// 413 at once; a chunked body, as soon as it passes it.
	MaxBodySize int64

	// Stream delivers the body to the handler's BodyStreamer.DataReceived
	// in pieces as it arrives, instead of in Request.Body (which stays
	// nil); ServeHTTP runs once the body is complete. It needs a handler
	// that implements BodyStreamer.
	Stream bool
}

// A HeadersReceiver is a Handler told of each request's head before its
// body is read, which sets the body limit of that request and whether to
// stream its body. It runs on the loop; the Request has no body yet.
type HeadersReceiver interface {
	Handler
	HeadersReceived(r *Request) BodyOptions
}

// A BodyStreamer receives a request body in pieces as they arrive, when
// HeadersReceived asked for it, so that a large upload runs in bounded
// memory: at most about one read of the connection (64 KiB) at a time.
//
// DataReceived gets the next piece of r's body (a chunked body decoded),
// valid only during the call. If it returns a Future not yet done, the
// server stops reading from the connection until the Future is done
// (flow control: a handler that writes each piece to disk returns the
// write's Future). The body timeout does not run while it waits. A Gzip
// body is delivered as it came, even with Options.Decompress.
type BodyStreamer interface {
	HeadersReceiver
	DataReceived(r *Request, chunk []byte) *ioloop.Future
}

// errHandlerPanicked answers a request whose HeadersReceived or
// DataReceived panicked.
var errHandlerPanicked = &ParseError{500, "handler panicked before the body was read"}

// headersReceived asks the handler, if it wants to know, for the body
// options of ex's request and records them in ex. It returns false when
// the handler panicked (the request is then refused).
func (c *conn) headersReceived(ex *exchange) (ok bool) {
	ex.maxBody = c.lc.srv.opts.MaxBodySize
	ex.stream, ex.ckDone = false, false
	hr, is := c.lc.srv.h.(HeadersReceiver)
	if !is {
		return true
	}
	defer func() {
		if v := recover(); v != nil {
			c.lc.srv.opts.Logger.Error("httpserver: panic in HeadersReceived", "panic", v,
				"method", ex.req.Method, "uri", ex.req.URI, "stack", string(debug.Stack()))
			ok = false
		}
	}()
	o := hr.HeadersReceived(&ex.req)
	if o.MaxBodySize > 0 {
		ex.maxBody = o.MaxBodySize
	}
	if o.Stream {
		_, ex.stream = c.lc.srv.h.(BodyStreamer)
	}
	return true
}

// deliver hands one piece of a streamed body to the handler. It returns
// false when reading must stop for now: the handler's Future is pending
// (reading resumes when it is done), or the handler panicked (the
// request was refused).
func (c *conn) deliver(ex *exchange, chunk []byte) (goOn bool) {
	if len(chunk) == 0 {
		return true
	}
	bs := c.lc.srv.h.(BodyStreamer)
	var f *ioloop.Future
	panicked := true
	func() {
		defer func() {
			if v := recover(); v != nil {
				c.lc.srv.opts.Logger.Error("httpserver: panic in DataReceived", "panic", v,
					"method", ex.req.Method, "uri", ex.req.URI, "stack", string(debug.Stack()))
			}
		}()
		f = bs.DataReceived(&ex.req, chunk)
		panicked = false
	}()
	if panicked {
		c.reject(errHandlerPanicked)
		return false
	}
	if f == nil || f.Done() {
		return true
	}
	// Flow control: no more input until the handler is done with this
	// piece. What is unread stays in the socket (and the stream).
	c.paused = true
	c.s.PauseReading()
	f.AddDoneCallback(func(*ioloop.Future) { c.resumeBody(ex) })
	return false
}

// resumeBody runs when the handler is done with a piece of ex's streamed
// body: reading resumes, and a body that had ended goes to ServeHTTP.
func (c *conn) resumeBody(ex *exchange) {
	if c.ex != ex || !c.paused || c.s.Closed() {
		return
	}
	c.paused = false
	if (c.state == stBody && ex.bodyLeft == 0) || (c.state == stChunked && ex.ckDone) {
		c.inData = true
		c.dispatch(nil)
		c.inData = false
		c.flush()
		c.armTimer()
	} else {
		c.setDeadline(c.lc.srv.opts.BodyTimeout)
	}
	c.s.ResumeReading() // the stream offers the retained input again
}
