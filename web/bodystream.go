package web

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

// Streamed request bodies are Tornado's @stream_request_body: a handler
// that defines DataReceived gets the body in pieces as they arrive, so an
// upload of any size runs in bounded memory.
//
// For such a handler the request runs in two parts. When the head has
// arrived and before any of the body is read: the handler is made, the
// default headers set, and the middleware chain runs around the method
// check, the XSRF check (token from the X-Xsrftoken header: there are no
// body arguments yet), Prepare (where SetMaxBodySize sets the request's
// body limit), and the slash and Authenticated checks. Then each piece of
// the body goes to DataReceived, on the loop, in order; a DataReceived
// that returns a pending *ioloop.Future pauses reading from the client
// until the Future is done (flow control). Once the body is complete the
// verb method runs, with Request.Body nil, outside the middleware chain.
//
// An error from DataReceived (or from its Future) is answered with the
// handler's error page once the client has sent the whole body; the rest
// of the body is read and dropped. A request the handler answered before
// its body (an error from Prepare, a redirect to the login page) has its
// body read and dropped if it is at most maxDrainedBody; a larger one is
// answered 413 and the connection closed.
//
// Through the in-process paths (webtest's Client, ServeRecorded, the
// net/http bridge) the whole body arrives as one piece.
const (
	// maxDrainedBody bounds the body the server reads and drops for a
	// streamed request answered before its body: enough for a form or a
	// small JSON document, whose client then sees the handler's answer,
	// small enough that an unauthenticated client cannot make the server
	// read a large upload it will refuse.
	maxDrainedBody = 64 << 10

	// defaultInProcessBodySize is the body limit of a streamed request
	// served in process with no limit set: the server's default.
	defaultInProcessBodySize = httpserver.DefaultMaxBodySize

	// streamCheckPeriod is how often a streamed request waiting for its
	// body looks whether the server gave its Request back (the client
	// went away, or the body was refused): the server has no close
	// callback before ServeHTTP. A second is soon enough for a handler to
	// close a half-written file, and one timer per upload costs nothing.
	streamCheckPeriod = time.Second
)

// streamState is what a streaming handler carries between its head and
// its body.
type streamState struct {
	inHead  bool     // Prepare is running: SetMaxBodySize sets the limit
	maxBody int64    // SetMaxBodySize, or the route's
	verb    verbFunc // the verb method to run once the body is in
	err     error    // DataReceived failed: the rest is dropped
	flow    bool     // DataReceived returns a Future
	got     int64    // bytes delivered so far
}

// Loop returns the IOLoop the request runs on, for a DataReceived that
// hands work to RunInExecutor and returns its Future; nil when the request
// is served in process (webtest's Client) or through net/http.
func (h *RequestHandler) Loop() *ioloop.IOLoop { return h.loop }

// SetMaxBodySize sets the largest body this request may have (Tornado's
// request.connection.set_max_body_size). In the Prepare of a streaming
// handler (one with DataReceived), which runs before the body is read, it
// is the request's limit, above or below the server's: a declared
// Content-Length over it is answered 413 before the body, a chunked body
// as soon as it passes it. Anywhere else the body is already in: it
// returns a 413 HTTPError if the body exceeds n (return it), else nil.
// Routes declare a limit for every handler with Rule.MaxBodySize.
func (h *RequestHandler) SetMaxBodySize(n int64) error {
	if n <= 0 {
		return fmt.Errorf("web: SetMaxBodySize(%d): the limit must be positive", n)
	}
	if h.x != nil && h.x.stream != nil && h.x.stream.inHead {
		h.x.stream.maxBody = n
		return nil
	}
	if h.Request != nil && int64(len(h.Request.Body)) > n {
		return NewHTTPError(413)
	}
	return nil
}

// BodyBytesReceived returns how many bytes of a streamed body have reached
// DataReceived so far (the whole body's length, in the verb method).
func (h *RequestHandler) BodyBytesReceived() int64 {
	if h.x == nil || h.x.stream == nil {
		return int64(len(h.Request.Body))
	}
	return h.x.stream.got
}

// startStream makes a streaming handler for a request and runs the head's
// part of it (Prepare and what comes before).
func (app *Application) startStream(s sink, r *httpserver.Request, rt *route, args []string, start time.Time) *RequestHandler {
	hv := rt.ht.newHandler(rt.proto, rt.protoZero)
	h := hv.base()
	h.init(app, rt, hv, s, r, args)
	x := h.ext()
	x.start = start
	_, flow := hv.(flowBodyReceiver)
	x.stream = &streamState{maxBody: rt.maxBody, flow: flow}
	if hs, ok := s.(*headSink); ok {
		h.loop = hs.loop // r is a copy, without the server's loop
	}
	h.executeHead()
	return h
}

// executeHead is execute for the head of a streamed request: default
// headers and the middleware chain around Prepare; the automatic Finish
// waits for the body.
func (h *RequestHandler) executeHead() {
	h.executing = true
	st := h.x.stream
	st.inHead = true
	defer func() {
		st.inHead = false
		if v := recover(); v != nil {
			h.handleError(newPanicError(v))
			h.autoFinish()
		}
		h.executing = false
		if h.finished.Load() {
			h.release()
		}
	}()
	h.Clear()
	if err := h.app.chain(h); err != nil {
		h.handleError(err)
		h.autoFinish()
	}
}

// dataReceived hands one piece of the body to the handler. A pending
// Future is returned for the server to wait on.
func (h *RequestHandler) dataReceived(chunk []byte) (f *ioloop.Future) {
	st := h.x.stream
	if h.finished.Load() || st.err != nil {
		return nil // answered already, or failed: the rest is dropped
	}
	st.got += int64(len(chunk))
	defer func() {
		if v := recover(); v != nil {
			st.err = newPanicError(v)
			f = nil
		}
	}()
	if !st.flow {
		st.err = h.self.(bodyReceiver).DataReceived(chunk)
		return nil
	}
	f = h.self.(flowBodyReceiver).DataReceived(chunk)
	if f == nil {
		return nil
	}
	if f.Done() {
		if _, err := f.Result(); err != nil {
			st.err = err
		}
		return nil
	}
	f.AddDoneCallback(func(f *ioloop.Future) {
		if _, err := f.Result(); err != nil && st.err == nil {
			st.err = err
		}
	})
	return f
}

// executeBody is execute for a streamed request whose body is complete:
// the verb method (or the error DataReceived returned), then the automatic
// Finish.
func (h *RequestHandler) executeBody() {
	if h.finished.Load() || h.out == nil {
		return
	}
	h.executing = true
	defer func() {
		if v := recover(); v != nil {
			h.handleError(newPanicError(v))
			h.autoFinish()
		}
		h.executing = false
		if h.finished.Load() {
			h.release()
		}
	}()
	st := h.x.stream
	err := st.err
	if err == nil && st.verb != nil {
		err = h.callVerb(st.verb)
	}
	if err != nil {
		h.handleError(err)
	}
	h.autoFinish()
}

// serveWholeStreamed serves a streaming handler whose body is already in
// (the in-process sinks): the head's part, the body as one piece, the verb.
func (app *Application) serveWholeStreamed(s sink, r *httpserver.Request, rt *route, args []string, start time.Time) {
	body := r.Body
	rc := *r // the handler sees no Body, as on the server
	rc.Body = nil
	h := app.startStream(s, &rc, rt, args, start)
	if h.finished.Load() {
		return
	}
	st := h.x.stream
	limit := st.maxBody
	if limit <= 0 {
		limit = defaultInProcessBodySize
	}
	if int64(len(body)) > limit {
		st.err = NewHTTPError(413)
		h.executeBody()
		return
	}
	if len(body) > 0 {
		if f := h.dataReceived(body); f != nil {
			f.AddDoneCallback(func(*ioloop.Future) { s.post(h.executeBody) })
			return
		}
	}
	h.executeBody()
}

// pendingStreams maps the server's requests to their streaming handlers
// between the head (HeadersReceived) and the end of the body (ServeHTTP).
// The server reuses a Request for a later request; a request that never
// reached ServeHTTP (the client went away mid-body, or a body over the
// limit) is found and dropped when its Request comes back.
type pendingStreams struct {
	n  atomic.Int32 // len(m), read without the lock on every request
	mu sync.Mutex
	m  map[*httpserver.Request]*pendingStream
}

type pendingStream struct {
	h   *RequestHandler
	buf *headSink

	// The watch for a request the server gave back before its body
	// ended; it runs on r's loop.
	app   *Application
	r     *httpserver.Request // the server's, reset when given back
	start time.Time           // r's start time while it is this request
	loop  *ioloop.IOLoop
	timer ioloop.Timer
}

// watch checks, every streamCheckPeriod, that the server still holds ps's
// request; once it has reset it (the connection closed, or the body was
// refused) the handler is abandoned, so that it hears of the close and the
// map lets it go even if no request ever reuses the server's Request.
func (ps *pendingStream) watch() {
	if ps.loop == nil {
		return
	}
	ps.timer.Init(ps.check)
	ps.loop.ScheduleAfter(&ps.timer, streamCheckPeriod)
}

func (ps *pendingStream) check() {
	if ps.app.streams.get(ps.r) != ps {
		return // served, or already abandoned
	}
	if r := ps.r; r.Loop() == ps.loop && r.StartTime().Equal(ps.start) {
		ps.loop.ScheduleAfter(&ps.timer, streamCheckPeriod)
		return
	}
	// Only r's loop puts and takes r: it is still ps.
	ps.app.streams.take(ps.r)
	ps.abandon()
}

func (p *pendingStreams) put(r *httpserver.Request, ps *pendingStream) {
	p.mu.Lock()
	if p.m == nil {
		p.m = make(map[*httpserver.Request]*pendingStream)
	}
	p.m[r] = ps
	p.n.Store(int32(len(p.m)))
	p.mu.Unlock()
}

func (p *pendingStreams) get(r *httpserver.Request) *pendingStream {
	if p.n.Load() == 0 {
		return nil
	}
	p.mu.Lock()
	ps := p.m[r]
	p.mu.Unlock()
	return ps
}

func (p *pendingStreams) take(r *httpserver.Request) *pendingStream {
	if p.n.Load() == 0 {
		return nil
	}
	p.mu.Lock()
	ps, ok := p.m[r]
	if ok {
		delete(p.m, r)
		p.n.Store(int32(len(p.m)))
	}
	p.mu.Unlock()
	return ps
}

// abandon ends a streamed request that will never reach ServeHTTP: the
// handler hears that the connection closed, and its output is given back.
func (ps *pendingStream) abandon() {
	if ps.loop != nil {
		ps.loop.Cancel(&ps.timer)
	}
	h := ps.h
	if h.finished.Load() {
		return
	}
	h.connectionClosed()
	h.finished.Store(true)
	if h.x != nil && h.x.cancel != nil {
		h.x.cancel()
	}
	if h.out != nil {
		o := h.out
		h.out = nil
		putOutput(o)
	}
}

// HeadersReceived is the server's look at a request's head before its
// body: it finds the route, and for a streaming handler runs the head's
// part of the request (see the comment on maxDrainedBody's block).
func (s serverHandler) HeadersReceived(r *httpserver.Request) httpserver.BodyOptions {
	app := s.app
	if !app.headTime {
		return httpserver.BodyOptions{}
	}
	if old := app.streams.take(r); old != nil {
		old.abandon()
	}
	// The route alone first: its groups are decoded (allocated) only for
	// a streaming handler; the others get theirs in ServeHTTP.
	rt := app.findRoute(r)
	if !rt.ht.streaming {
		return httpserver.BodyOptions{MaxBodySize: rt.maxBody}
	}
	rt, args, err := app.find(r)
	if err != nil || !rt.ht.streaming {
		return httpserver.BodyOptions{MaxBodySize: rt.maxBody}
	}
	// The server's Request points into input it reuses once this head is
	// parsed: the handler gets its own copy, and its loop.
	buf := &headSink{loop: r.Loop()}
	h := app.startStream(buf, copyRequest(r), rt, cloneStrings(args), r.StartTime())
	ps := &pendingStream{h: h, buf: buf, app: app, r: r, start: r.StartTime(), loop: r.Loop()}
	app.streams.put(r, ps)
	ps.watch()
	if h.finished.Load() {
		return httpserver.BodyOptions{MaxBodySize: maxDrainedBody, Stream: true}
	}
	return httpserver.BodyOptions{MaxBodySize: h.x.stream.maxBody, Stream: true}
}

// DataReceived passes a piece of a streamed body to its handler.
func (s serverHandler) DataReceived(r *httpserver.Request, chunk []byte) *ioloop.Future {
	ps := s.app.streams.get(r)
	if ps == nil {
		return nil
	}
	return ps.h.dataReceived(chunk)
}

// serveStreamed completes a streamed request on the server once its body
// is in: what the head's part wrote goes to w, then the verb method runs.
func (ps *pendingStream) serve(w *httpserver.ResponseWriter) {
	h, buf := ps.h, ps.buf
	if ps.loop != nil {
		ps.loop.Cancel(&ps.timer)
	}
	real := serverSink{w}
	if buf.headSent {
		w.SetStatus(buf.status, buf.reason)
		for name, value := range buf.hdr.All() {
			w.Header().Add(name, value)
		}
		if len(buf.body) > 0 {
			_, _ = w.Write(buf.body)
		}
		buf.body = nil
	}
	if buf.finished {
		if err := w.Finish(); err != nil {
			h.app.logger().Debug("web: finishing the response: " + err.Error())
		}
		return
	}
	if buf.flushed {
		w.Flush(nil)
	}
	h.sink = real
	if buf.closeCB != nil {
		w.SetCloseCallback(buf.closeCB)
	}
	h.executeBody()
}

// copyRequest copies what a handler may read of r into memory of its own.
func copyRequest(r *httpserver.Request) *httpserver.Request {
	c := httpserver.NewRequest(strings.Clone(r.Method), strings.Clone(r.URI), nil)
	c.Version = strings.Clone(r.Version)
	c.RemoteIP = strings.Clone(r.RemoteIP)
	c.Protocol = strings.Clone(r.Protocol)
	c.Host = strings.Clone(r.Host)
	c.Header = r.Header.Clone()
	return c
}

func cloneStrings(a []string) []string {
	if a == nil {
		return nil
	}
	c := make([]string, len(a))
	for i, s := range a {
		c[i] = strings.Clone(s)
	}
	return c
}

// headSink holds what a streaming handler writes before its body has
// arrived (an error page, a redirect, early headers), until ServeHTTP
// gives it the server's ResponseWriter.
type headSink struct {
	loop     *ioloop.IOLoop
	status   int
	reason   string
	hdr      httputil.Headers
	body     []byte
	headSent bool
	flushed  bool
	finished bool
	closeCB  func()
}

func (s *headSink) Header() *httputil.Headers { return &s.hdr }

func (s *headSink) SetStatus(code int, reason string) {
	s.status, s.reason, s.headSent = code, strings.Clone(reason), true
}

func (s *headSink) Write(p []byte) (int, error) {
	s.body = append(s.body, p...)
	return len(p), nil
}

// own copies the header values, which may be views into the handler's
// pooled memory.
func (s *headSink) own() {
	var h httputil.Headers
	for name, value := range s.hdr.All() {
		h.Add(strings.Clone(name), strings.Clone(value))
	}
	s.hdr = h
}

func (s *headSink) Flush(cb func(error)) {
	s.own()
	s.flushed = true
	if cb != nil {
		s.post(func() { cb(nil) })
	}
}

func (s *headSink) Finish() error {
	s.own()
	s.finished = true
	s.closeCB = nil
	return nil
}

func (s *headSink) SetCloseCallback(fn func()) { s.closeCB = fn }

func (s *headSink) post(fn func()) {
	if s.loop != nil {
		s.loop.AddCallback(fn)
	}
}

func (s *headSink) detach() (*iostream.IOStream, error) { return nil, ErrDetachUnsupported }
