package tcpserver

import (
	"net/netip"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
	"golang.org/x/sys/unix"
)

const (
	// acceptBatch bounds the connections accepted per readiness event,
	// as Tornado's add_accept_handler does, so a connection storm cannot
	// hold the loop away from the connections it already has.
	acceptBatch = 128

	// acceptRetryDelay is how long a listener rests after running out of
	// descriptors (EMFILE, ENFILE) or memory: long enough not to spin on
	// a level-triggered listener, short enough to recover promptly once
	// connections close.
	acceptRetryDelay = 100 * time.Millisecond
)

// loopState is what the server keeps per loop. Everything but the
// construction runs on the loop goroutine.
type loopState struct {
	srv        *TCPServer
	loop       *ioloop.IOLoop
	listeners  []*listener
	conns      connTable // open connections, by fd
	streamOpts []iostream.Option
	resumeFn   func()
}

func newLoopState(s *TCPServer, loop *ioloop.IOLoop) *loopState {
	ls := &loopState{srv: s, loop: loop}
	hook := func(st *iostream.IOStream) { ls.untrack(st) }
	ls.streamOpts = append(append([]iostream.Option{}, s.opts.StreamOptions...), iostream.WithCloseHook(hook))
	ls.resumeFn = ls.resumeAfterLimit
	return ls
}

func (ls *loopState) addListeners(fds []int) error {
	for i, fd := range fds {
		l := &listener{ls: ls, fd: fd}
		if sa, err := unix.Getsockname(fd); err == nil {
			if u, ok := sa.(*unix.SockaddrUnix); ok && u.Name != "" && u.Name[0] != '@' {
				l.unixPath = u.Name
			}
		}
		l.retry.Init(l.resume)
		if err := ls.loop.AddHandler(fd, l, ioloop.READ); err != nil {
			closeAll(fds[i:])
			return err
		}
		l.accepting = true
		ls.listeners = append(ls.listeners, l)
	}
	return nil
}

func (ls *loopState) track(s *iostream.IOStream) { ls.conns.add(s.Fd(), s) }

func (ls *loopState) untrack(s *iostream.IOStream) {
	if ls.conns.remove(s.Fd(), s) {
		ls.srv.connClosed()
	}
}

func (ls *loopState) closeListeners() {
	for _, l := range ls.listeners {
		l.close()
	}
	ls.listeners = nil
}

// shutdown closes listeners and connections and stops the loop once the
// close callbacks this queues have run.
func (ls *loopState) shutdown() {
	ls.closeListeners()
	ls.conns.each(func(s *iostream.IOStream) { s.Close() })
	ls.loop.AddCallback(ls.loop.Stop)
}

// resumeAfterLimit restarts listeners stopped by MaxConnections.
func (ls *loopState) resumeAfterLimit() {
	for _, l := range ls.listeners {
		if l.atLimit {
			l.atLimit = false
			l.resume()
		}
	}
}

// listener accepts connections on one listening socket.
type listener struct {
	ls        *loopState
	fd        int
	unixPath  string
	accepting bool // registered for READ
	atLimit   bool // stopped by MaxConnections
	closed    bool
	starved   bool // accept is failing for lack of descriptors
	retry     ioloop.Timer
	calls     atomic.Int64 // accept(2) calls, for tests
	peer      peerBuf      // accept's address buffer (socket_*.go)
}

// HandleEvents accepts up to acceptBatch connections.
func (l *listener) HandleEvents(fd int, ev ioloop.Event) {
	srv := l.ls.srv
	limit := int64(srv.opts.MaxConnections)
	for range acceptBatch {
		if limit > 0 && srv.active.Load() >= limit {
			l.atLimit = true
			l.pause()
			return
		}
		l.calls.Add(1)
		nfd, peer, err := accept(l.fd, &l.peer)
		switch err {
		case nil:
		case unix.EAGAIN:
			return
		case unix.EINTR, unix.ECONNABORTED, unix.EPROTO:
			continue // that connection is gone; take the next
		case unix.EMFILE, unix.ENFILE, unix.ENOBUFS, unix.ENOMEM:
			// Out of descriptors or memory. The pending connection stays
			// in the backlog and keeps the socket readable, so stop
			// watching it for a while instead of spinning.
			if !l.starved { // log once per episode, not every retry
				l.starved = true
				srv.log.Error("tcpserver: accept: out of resources; pausing", "err", err, "retry", acceptRetryDelay)
			}
			l.pause()
			l.ls.loop.ScheduleAfter(&l.retry, acceptRetryDelay)
			return
		default:
			srv.log.Error("tcpserver: accept", "err", err)
			return
		}
		if l.starved {
			l.starved = false
			srv.log.Info("tcpserver: accepting again")
		}
		l.serve(nfd, peer)
	}
}

func (l *listener) serve(nfd int, peer netip.AddrPort) {
	ls := l.ls
	s := iostream.New(ls.loop, nfd, ls.streamOpts...)
	if s.Closed() {
		ls.srv.log.Error("tcpserver: registering connection", "err", s.Error())
		return
	}
	ls.srv.active.Add(1)
	ls.track(s)
	defer func() {
		if r := recover(); r != nil {
			ls.srv.log.Error("tcpserver: panic in HandleStream", "panic", r, "stack", string(debug.Stack()))
			s.Close()
		}
	}()
	ls.srv.h.HandleStream(s, peer)
}

func (l *listener) pause() {
	if l.accepting && !l.closed {
		l.accepting = false
		l.ls.loop.UpdateHandler(l.fd, 0)
	}
}

func (l *listener) resume() {
	if !l.accepting && !l.closed {
		l.accepting = true
		l.ls.loop.UpdateHandler(l.fd, ioloop.READ)
	}
}

func (l *listener) close() {
	if l.closed {
		return
	}
	l.closed = true
	l.ls.loop.Cancel(&l.retry)
	l.ls.loop.RemoveHandler(l.fd)
	unix.Close(l.fd)
	if l.unixPath != "" {
		os.Remove(l.unixPath)
	}
}
