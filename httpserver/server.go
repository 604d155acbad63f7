package httpserver

import (
	"context"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
	"github.com/tornago/tornago/tcpserver"
)

// A Handler responds to an HTTP request. ServeHTTP runs on the
// connection's loop goroutine and must not block: it finishes the
// response (w.Finish) before returning, or returns and finishes later on
// the loop (an asynchronous handler, e.g. after IOLoop.RunInExecutor).
type Handler interface {
	ServeHTTP(w *ResponseWriter, r *Request)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(w *ResponseWriter, r *Request)

// ServeHTTP calls f(w, r).
func (f HandlerFunc) ServeHTTP(w *ResponseWriter, r *Request) { f(w, r) }

// HTTPServer is Tornado's HTTPServer: a TCPServer whose connections speak
// HTTP/1.1, on one or more loops. Its methods are safe from any goroutine
// that is not one of its loops.
type HTTPServer struct {
	h    Handler
	opts Options
	tcp  *tcpserver.TCPServer

	mu     sync.Mutex
	loops  atomic.Pointer[[]*loopState]
	active atomic.Int64 // open HTTP connections
	closed atomic.Bool
	idle   chan struct{} // signalled when active drops to 0 during Shutdown
}

// New returns a server that answers requests with h. It listens once
// Listen, or Bind and Start, are called.
func New(h Handler, opts Options) *HTTPServer {
	opts = opts.withDefaults()
	s := &HTTPServer{h: h, opts: opts, idle: make(chan struct{}, 1)}
	// The stream keeps at most an incomplete head, a chunk line, or the
	// input held while an asynchronous handler runs, plus one read; this
	// cap is a backstop behind the parser's own limits.
	readCap := opts.MaxHeaderSize + maxHeldInput + 128<<10
	streamOpts := []iostream.Option{iostream.WithMaxReadBuffer(readCap)}
	if opts.TLSConfig != nil {
		streamOpts = append(streamOpts, iostream.WithTLSServer(serverTLSConfig(opts.TLSConfig), opts.HeaderTimeout))
	}
	s.tcp = tcpserver.New(streamHandler{s}, tcpserver.Options{
		Backlog:        opts.Backlog,
		MaxConnections: opts.MaxConnections,
		Logger:         opts.Logger,
		StreamOptions:  streamOpts,
	})
	return s
}

// Listen serves port on address ("" for all interfaces; port 0 picks a
// free port, see Addr) on one loop running in the background. It does not
// block.
func (s *HTTPServer) Listen(port int, address string) error {
	if s.closed.Load() {
		return ErrServerClosed
	}
	return s.tcp.Listen(port, address)
}

// ListenUnix serves a Unix socket at path (mode 0 means 0600).
func (s *HTTPServer) ListenUnix(path string, mode os.FileMode) error {
	if s.closed.Load() {
		return ErrServerClosed
	}
	return s.tcp.ListenUnix(path, mode)
}

// Bind binds port on address with SO_REUSEPORT, for Start.
func (s *HTTPServer) Bind(port int, address string) error {
	if s.closed.Load() {
		return ErrServerClosed
	}
	return s.tcp.Bind(port, address)
}

// Start serves what Bind bound on n loops (0: one per CPU), each with its
// own listener, in the background.
func (s *HTTPServer) Start(n int) error {
	if s.closed.Load() {
		return ErrServerClosed
	}
	return s.tcp.Start(n)
}

// Addr returns the first bound address (with the real port for port 0).
func (s *HTTPServer) Addr() net.Addr { return s.tcp.Addr() }

// Loops returns the server's loops.
func (s *HTTPServer) Loops() []*ioloop.IOLoop { return s.tcp.Loops() }

// Connections returns the number of open HTTP connections.
func (s *HTTPServer) Connections() int { return int(s.active.Load()) }

// Shutdown stops the server gracefully: it stops accepting, closes idle
// connections, lets requests in flight finish (their responses carry
// Connection: close), and returns once every connection is closed and the
// loops have stopped. If ctx ends first it returns ctx.Err() and leaves
// the rest running; Close ends it.
func (s *HTTPServer) Shutdown(ctx context.Context) error {
	s.closed.Store(true)
	s.tcp.StopAccepting()
	for _, l := range s.tcp.Loops() {
		l.AddCallback(func() {
			if lc := s.lookup(l); lc != nil {
				lc.drain()
			}
		})
	}
	// A short poll besides the signal: the signal can come before the
	// drain callbacks ran, when the count was momentarily zero.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for s.active.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.idle:
		case <-tick.C:
		}
	}
	s.tcp.Stop()
	return nil
}

// Close stops the server at once: listeners and connections are closed,
// requests in flight abandoned, the loops stopped.
func (s *HTTPServer) Close() error {
	s.closed.Store(true)
	s.tcp.Stop()
	return nil
}

// streamHandler is the server's tcpserver.StreamHandler.
type streamHandler struct{ s *HTTPServer }

// HandleStream starts HTTP on a new connection (on its loop).
func (h streamHandler) HandleStream(st *iostream.IOStream, addr netip.AddrPort) {
	s := h.s
	lc := s.loopState(st.Loop())
	if s.closed.Load() || lc.draining {
		st.Close()
		return
	}
	c := &conn{lc: lc, s: st, ip: lc.remoteIP(addr.Addr())}
	c.timer.InitHandler(c)
	s.active.Add(1)
	lc.addConn(c)
	st.SetCloseHandler(c)
	if addr.IsValid() {
		st.SetNoDelay(true) // whole responses go out in one write; never wait for Nagle
	}
	c.setDeadline(s.opts.IdleConnectionTimeout)
	st.SetRawHandler(c)
}

// connClosed counts a connection out.
func (s *HTTPServer) connClosed() {
	if s.active.Add(-1) == 0 && s.closed.Load() {
		select {
		case s.idle <- struct{}{}:
		default:
		}
	}
}

// loopState returns the state of loop l, creating it on first use. It
// runs on l's goroutine.
func (s *HTTPServer) loopState(l *ioloop.IOLoop) *loopState {
	if lc := s.lookup(l); lc != nil {
		return lc
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var old []*loopState
	if p := s.loops.Load(); p != nil {
		old = *p
	}
	lc := newLoopState(s, l)
	all := append(append([]*loopState(nil), old...), lc)
	s.loops.Store(&all)
	return lc
}

func (s *HTTPServer) lookup(l *ioloop.IOLoop) *loopState {
	if p := s.loops.Load(); p != nil {
		for _, lc := range *p {
			if lc.loop == l {
				return lc
			}
		}
	}
	return nil
}
