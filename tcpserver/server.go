package tcpserver

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

// DefaultBacklog is the listen(2) backlog when Options.Backlog is 0.
// 128 is Tornado's default (and the historic SOMAXCONN).
const DefaultBacklog = 128

// A StreamHandler serves one accepted connection. HandleStream runs on the
// connection's loop goroutine and must not block; it usually starts a read
// and returns. addr is the peer (the zero AddrPort for Unix sockets).
type StreamHandler interface {
	HandleStream(s *iostream.IOStream, addr netip.AddrPort)
}

// StreamHandlerFunc adapts a function to StreamHandler.
type StreamHandlerFunc func(s *iostream.IOStream, addr netip.AddrPort)

// HandleStream calls f(s, addr).
func (f StreamHandlerFunc) HandleStream(s *iostream.IOStream, addr netip.AddrPort) { f(s, addr) }

// Options configures a TCPServer. The zero value is ready to use.
type Options struct {
	// Backlog is the listen(2) backlog (default 128).
	Backlog int
	// MaxConnections stops accepting while this many connections are
	// open (0: no limit). The kernel keeps queueing up to Backlog.
	MaxConnections int
	// LoopOptions configure the loops the server creates.
	LoopOptions []ioloop.Option
	// StreamOptions configure each accepted connection's IOStream.
	StreamOptions []iostream.Option
	// Logger receives accept errors (default slog.Default()).
	Logger *slog.Logger
}

var (
	// ErrNotBound is returned by Start before Bind.
	ErrNotBound = errors.New("tcpserver: Start needs Bind first")
	// ErrStopped is returned by methods called after Stop.
	ErrStopped = errors.New("tcpserver: server is stopped")
)

// TCPServer accepts connections on one or more loops. Its methods are
// safe from any goroutine that is not one of its loops (Stop waits for the
// loops to end, so it must not be called from one of them).
type TCPServer struct {
	h    StreamHandler
	opts Options
	log  *slog.Logger

	mu      sync.Mutex
	loops   []*loopState
	bound   []int        // sockets from Bind, not yet handed to a loop
	addrs   []netip.Addr // what Bind bound, for Start's extra loops
	port    int
	addr    net.Addr
	stopped bool
	wg      sync.WaitGroup

	active atomic.Int64 // open connections, all loops
}

// New returns a server that hands connections to h.
func New(h StreamHandler, opts Options) *TCPServer {
	if opts.Backlog <= 0 {
		opts.Backlog = DefaultBacklog
	}
	s := &TCPServer{h: h, opts: opts, log: opts.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// Listen binds port on address ("" means all interfaces; port 0 picks a
// free port, see Addr) and serves it on one loop, created on the first
// call and run on its own goroutine. Listen does not block. Further
// calls add listeners to the same loop.
func (s *TCPServer) Listen(port int, address string) error {
	fds, _, err := bindTCP(port, address, s.opts.Backlog, false)
	if err != nil {
		return err
	}
	return s.addToFirstLoop(fds)
}

// ListenUnix serves a Unix socket at path, created with mode (0 means
// 0600, Tornado's default), on the server's first loop as Listen does.
func (s *TCPServer) ListenUnix(path string, mode os.FileMode) error {
	if mode == 0 {
		mode = 0o600
	}
	fd, err := bindUnix(path, mode, s.opts.Backlog)
	if err != nil {
		return err
	}
	return s.addToFirstLoop([]int{fd})
}

// Bind binds port on address with SO_REUSEPORT, for Start. Errors such
// as a port in use surface here.
func (s *TCPServer) Bind(port int, address string) error {
	fds, addrs, err := bindTCP(port, address, s.opts.Backlog, true)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		closeAll(fds)
		return ErrStopped
	}
	if s.addr == nil {
		s.addr = sockAddr(fds[0])
	}
	s.bound = append(s.bound, fds...)
	s.addrs = addrs
	s.port = localPort(fds[0])
	return nil
}

// Start runs n loops (0 or less: one per CPU), each on its own goroutine
// with its own SO_REUSEPORT listener on what Bind bound. It does not
// block; Stop ends the loops.
func (s *TCPServer) Start(n int) error {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return ErrStopped
	}
	if len(s.bound) == 0 {
		return ErrNotBound
	}
	perLoop := [][]int{s.bound}
	s.bound = nil
	for i := 1; i < n; i++ {
		var fds []int
		for _, a := range s.addrs {
			fd, err := bindOne(a, s.port, s.opts.Backlog, true)
			if err != nil {
				closeAll(fds)
				for _, f := range perLoop {
					closeAll(f)
				}
				return err
			}
			fds = append(fds, fd)
		}
		perLoop = append(perLoop, fds)
	}
	for i, fds := range perLoop {
		if err := s.startLoop(fds); err != nil {
			for _, f := range perLoop[i:] {
				closeAll(f)
			}
			return err
		}
	}
	return nil
}

// addToFirstLoop serves fds on loop 0, starting it if there is none.
func (s *TCPServer) addToFirstLoop(fds []int) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		closeAll(fds)
		return ErrStopped
	}
	if s.addr == nil {
		s.addr = sockAddr(fds[0])
	}
	if len(s.loops) == 0 {
		defer s.mu.Unlock()
		if err := s.startLoop(fds); err != nil {
			closeAll(fds)
			return err
		}
		return nil
	}
	ls := s.loops[0]
	s.mu.Unlock()
	done := make(chan error, 1)
	ls.loop.AddCallback(func() { done <- ls.addListeners(fds) })
	return <-done
}

// startLoop creates a loop serving fds and runs it. Called with s.mu held.
func (s *TCPServer) startLoop(fds []int) error {
	loop, err := ioloop.New(s.opts.LoopOptions...)
	if err != nil {
		return err
	}
	ls := newLoopState(s, loop)
	if err := ls.addListeners(fds); err != nil {
		loop.Close()
		return err
	}
	s.loops = append(s.loops, ls)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := loop.Start(); err != nil {
			s.log.Error("tcpserver: loop ended", "err", err)
		}
	}()
	return nil
}

// Loops returns the server's loops.
func (s *TCPServer) Loops() []*ioloop.IOLoop {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*ioloop.IOLoop, len(s.loops))
	for i, ls := range s.loops {
		out[i] = ls.loop
	}
	return out
}

// Addr returns the first bound address (with the real port when port 0
// was asked for), or nil before Listen or Bind.
func (s *TCPServer) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Connections returns the number of open connections.
func (s *TCPServer) Connections() int { return int(s.active.Load()) }

// StopAccepting closes the listening sockets (on their loops, in their
// next iteration); open connections carry on. Safe from any goroutine,
// loops included.
func (s *TCPServer) StopAccepting() {
	s.mu.Lock()
	closeAll(s.bound)
	s.bound = nil
	loops := append([]*loopState(nil), s.loops...)
	s.mu.Unlock()
	for _, ls := range loops {
		ls.loop.AddCallback(ls.closeListeners)
	}
}

// Stop closes the listeners and every open connection, stops the loops
// and waits for them to end. It must not be called from one of the
// server's loops.
func (s *TCPServer) Stop() {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return
	}
	s.stopped = true
	closeAll(s.bound)
	s.bound = nil
	loops := append([]*loopState(nil), s.loops...)
	s.mu.Unlock()
	for _, ls := range loops {
		ls.loop.AddCallback(ls.shutdown)
	}
	s.wg.Wait()
	for _, ls := range loops {
		if err := ls.loop.Close(); err != nil {
			s.log.Error("tcpserver: closing loop", "err", err)
		}
	}
}

// connClosed is every stream's close hook: it counts the connection out
// and, if the limit had stopped accepting, starts it again.
func (s *TCPServer) connClosed() {
	n := s.active.Add(-1)
	if max := int64(s.opts.MaxConnections); max > 0 && n == max-1 {
		s.mu.Lock()
		loops := s.loops
		s.mu.Unlock()
		for _, ls := range loops {
			ls.loop.AddCallback(ls.resumeFn)
		}
	}
}

func (s *TCPServer) String() string { return fmt.Sprintf("tcpserver(%v)", s.Addr()) }
