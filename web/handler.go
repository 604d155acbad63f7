package web

import (
	"context"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/locale"
)

// RequestHandler is the base of every request handler: embed it in a struct
// and give the struct verb methods. It holds the request, buffers the
// response (status, headers, body, cookies) and offers what Tornado's
// RequestHandler offers, under Go names.
//
//	type MainHandler struct{ web.RequestHandler }
//
//	func (h *MainHandler) Get() error {
//		h.Write("Hello, world")
//		return nil
//	}
//
// A handler runs on its connection's loop goroutine (or a worker, for a
// blocking handler) and must not be shared with other goroutines; the
// request's strings are valid until the response is finished.
type RequestHandler struct {
	// Request is the request being handled.
	Request *httpserver.Request

	app   *Application
	route *route
	ht    *handlerType
	self  Handler // the user's handler, which embeds this one
	sink  sink
	out   *output // pooled: headers, body buffer, cookies; nil once finished
	// loop is the request's loop, set before any handler code runs and
	// never changed: RunOnLoop reads it from any goroutine, even after
	// the response, when the server reuses its writer and request for
	// the connection's next one. nil in process and through net/http.
	loop *ioloop.IOLoop

	pathArgs []string

	status         int
	headersWritten bool
	async          bool // the response outlives the verb method
	onWorker       bool // a blocking handler on a pool goroutine
	closeWatched   bool
	detached       bool        // Detach took the connection: output goes nowhere
	executing      bool        // inside execute: the sink's Finish waits for its end
	inDefaults     bool        // inside SetDefaultHeaders: Clear does not re-run it
	finished       atomic.Bool // read by the loop's close callback
	closed         atomic.Bool // the client went away

	x *handlerExtra // what only some requests need, allocated on first use
}

// handlerExtra holds the state of features a hello-world request does not
// use, so that the handler copied per request stays small.
type handlerExtra struct {
	reason string // a custom reason phrase
	gz     *gzipState
	ctx    context.Context
	cancel context.CancelFunc
	start  time.Time // for sinks whose request has no StartTime

	currentUser any
	userLoaded  bool
	userErr     error
	loc         *locale.Locale
	xsrf        xsrfState
	modules     *moduleState
	stream      *streamState // a streaming handler (DataReceived)
}

func (h *RequestHandler) ext() *handlerExtra {
	if h.x == nil {
		h.x = &handlerExtra{}
	}
	return h.x
}

// base makes every struct embedding RequestHandler a Handler.
func (h *RequestHandler) base() *RequestHandler { return h }

// output is the pooled part of a response under construction.
type output struct {
	header  httputil.Headers
	buf     []byte
	cookies []pendingCookie
	scratch [64]byte // backs header values built per request (ETag, Content-Length)
}

// maxPooledBuffer bounds the body buffer a finished response gives back to
// the pool: a rare large page should not pin its memory for ever.
const maxPooledBuffer = 64 << 10

var outputPool = sync.Pool{New: func() any { return &output{buf: make([]byte, 0, 1024)} }}

func getOutput() *output { return outputPool.Get().(*output) }

func putOutput(o *output) {
	o.header.Reset()
	if cap(o.buf) > maxPooledBuffer {
		o.buf = make([]byte, 0, 1024)
	} else {
		o.buf = o.buf[:0]
	}
	clear(o.cookies)
	o.cookies = o.cookies[:0]
	outputPool.Put(o)
}

// init prepares a fresh handler for a request.
func (h *RequestHandler) init(app *Application, rt *route, self Handler, s sink, r *httpserver.Request, args []string) {
	*h = RequestHandler{
		Request:  r,
		app:      app,
		route:    rt,
		ht:       rt.ht,
		self:     self,
		sink:     s,
		out:      getOutput(),
		loop:     r.Loop(),
		pathArgs: args,
		status:   200,
	}
}

// Application returns the application serving the request.
func (h *RequestHandler) Application() *Application { return h.app }

// Handler returns the user's handler value that embeds h (for middleware).
func (h *RequestHandler) Handler() Handler { return h.self }

// PathArgs returns the URL's groups, decoded, in order (named groups too).
func (h *RequestHandler) PathArgs() []string { return h.pathArgs }

// PathKwargs returns the URL's named groups by name, decoded.
func (h *RequestHandler) PathKwargs() map[string]string {
	m := make(map[string]string)
	for i, name := range h.route.groupNames {
		if name != "" && i < len(h.pathArgs) {
			m[name] = h.pathArgs[i]
		}
	}
	return m
}

// PathArg returns the named group name of the URL, or "".
func (h *RequestHandler) PathArg(name string) string {
	for i, n := range h.route.groupNames {
		if n == name && i < len(h.pathArgs) {
			return h.pathArgs[i]
		}
	}
	return ""
}

// RouteName returns the name of the route that matched, or "".
func (h *RequestHandler) RouteName() string {
	if h.route == nil {
		return ""
	}
	return h.route.name
}

// RoutePattern returns the pattern of the route that matched.
func (h *RequestHandler) RoutePattern() string {
	if h.route == nil {
		return ""
	}
	return h.route.pattern
}

// Finished reports whether the response has been finished.
func (h *RequestHandler) Finished() bool { return h.finished.Load() }

// Async keeps the response open after the verb method returns: the handler
// finishes it later with Finish, from the handler's own goroutine (for an
// inline handler, the loop: use RunOnLoop from elsewhere). It is Tornado's
// asynchronous handler, for long polling and streaming.
func (h *RequestHandler) Async() {
	h.async = true
	h.watchClose()
}

// RunOnLoop runs fn on the goroutine that owns the connection (the loop),
// later; it is safe from any goroutine, e.g. a goroutine that computed a
// result for an Async handler and now wants to write and Finish it.
//
// It is safe after the response is finished too, while the connection
// serves other requests: fn still runs on the request's loop (the
// handler's output methods then return ErrFinished). Where there is no
// loop (webtest's Client, the net/http bridge), fn runs on the goroutine
// serving the request until its response is finished, and is dropped
// after.
func (h *RequestHandler) RunOnLoop(fn func()) {
	if h.loop != nil {
		// Not through the sink: a streamed request changes its sink
		// when its body is in, and the server reuses its writer for the
		// next request once this one is finished; h.loop changes never.
		h.loop.AddCallback(fn)
		return
	}
	h.sink.post(fn)
}

// Context returns the request's context. It is cancelled when the client
// goes away, when the request's time (Settings.RequestTimeout) runs out,
// when the application's Shutdown gives up waiting for requests in flight
// (its context ends), and once the response is finished. Pass
// it to database and HTTP calls. Call it from the handler's goroutine.
func (h *RequestHandler) Context() context.Context {
	if h.x == nil || h.x.ctx == nil {
		h.newContext()
	}
	return h.x.ctx
}

func (h *RequestHandler) newContext() {
	x := h.ext()
	if t := h.app.settings.RequestTimeout; t > 0 {
		x.ctx, x.cancel = context.WithTimeout(h.app.baseCtx, t)
	} else {
		x.ctx, x.cancel = context.WithCancel(h.app.baseCtx)
	}
	h.watchClose()
}

// watchClose asks the sink to report a client that goes away. It runs on
// the owner goroutine.
func (h *RequestHandler) watchClose() {
	if h.closeWatched || h.finished.Load() {
		return
	}
	h.closeWatched = true
	h.sink.SetCloseCallback(h.connectionClosed)
}

// connectionClosed runs on the owner goroutine when the client went away
// before the response was finished.
func (h *RequestHandler) connectionClosed() {
	if h.finished.Load() {
		return
	}
	h.closed.Store(true)
	if h.x != nil && h.x.cancel != nil {
		h.x.cancel()
	}
	if h.ht.onConnClose {
		h.self.(connCloseHook).OnConnectionClose()
	}
}

// ClientClosed reports whether the client went away before the response
// was finished (known only once Context or Async asked to watch for it).
func (h *RequestHandler) ClientClosed() bool { return h.closed.Load() }

// QueryArguments returns the query string's arguments.
func (h *RequestHandler) QueryArguments() url.Values { return h.Request.QueryArguments() }
