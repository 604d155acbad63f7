package iostream

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/tornago/tornago/ioloop"
	"golang.org/x/sys/unix"
)

const (
	// DefaultHandshakeTimeout bounds a TLS handshake when the option
	// gives none: nginx's ssl_handshake_timeout, 60 s.
	DefaultHandshakeTimeout = 60 * time.Second

	// handshakeInputCap is how much handshake input the loop hands to the
	// handshake goroutine before it stops reading until some is consumed.
	// A client's flights (hello, certificate chain, finished) fit easily;
	// a client that sends its request along with its finished message
	// just waits a moment.
	handshakeInputCap = 64 << 10

	// encryptChunk is how much plaintext one Write encrypts into one
	// pooled buffer before handing the records to the socket: with the
	// records' overhead (at most 16 records of 16 KiB, under 64 bytes
	// each) it fits the 256 KiB buffer class.
	encryptChunk = 255 << 10

	// recordOverhead is a generous bound on the bytes TLS adds to one
	// record (header, nonce, tag, padding).
	recordOverhead = 64
)

// ErrHandshake wraps the reason a TLS handshake failed; the stream is
// closed.
var ErrHandshake = errors.New("iostream: TLS handshake failed")

// ErrHandshakeTimeout is the error of a stream whose TLS handshake did
// not complete within its timeout.
var ErrHandshakeTimeout = errors.New("iostream: TLS handshake timed out")

// WithTLSServer makes the stream serve TLS with cfg: the handshake starts
// when the stream is made, and reads and writes then carry plaintext
// (raw mode and Tornado-style reads work unchanged). handshakeTimeout
// closes the stream if the handshake has not completed by then (0:
// DefaultHandshakeTimeout; negative: none).
//
// The handshake runs on a short-lived goroutine fed by the loop (crypto/tls
// cannot resume a handshake interrupted by a would-block), started when
// the client's first bytes arrive; once the handshake is done, the loop
// drives the connection itself and the goroutine is gone.
func WithTLSServer(cfg *tls.Config, handshakeTimeout time.Duration) Option {
	return withTLS(cfg, false, handshakeTimeout)
}

// WithTLSClient is WithTLSServer for the client side of a connection:
// cfg must name the server (ServerName) unless it skips verification.
// Writes made before the handshake completes are sent once it has.
func WithTLSClient(cfg *tls.Config, handshakeTimeout time.Duration) Option {
	return withTLS(cfg, true, handshakeTimeout)
}

func withTLS(cfg *tls.Config, client bool, timeout time.Duration) Option {
	// Resolved once, here: the option is shared by every stream a server
	// makes, on all its loops.
	switch {
	case timeout == 0:
		timeout = DefaultHandshakeTimeout
	case timeout < 0:
		timeout = 0
	}
	return func(s *IOStream) {
		s.extra().tls = &tlsState{cfg: cfg, client: client, timeout: timeout}
	}
}

// tlsState is a TLS stream's crypto/tls connection and what drives it.
// Everything but the handshake struct is used on the loop goroutine only.
type tlsState struct {
	cfg     *tls.Config
	client  bool
	timeout time.Duration

	conn  *tls.Conn
	tr    transport
	timer *ioloop.Timeout // the handshake's

	launched   bool // the handshake goroutine was started
	hsPaused   bool // the handshake input reached its bound: not reading
	more       bool // crypto/tls may hold input read from the socket already
	kickQueued bool
	kickFn     func()

	batch  *[]byte       // while Write encrypts: where the records go
	queued []queuedWrite // plaintext written before the handshake completed
}

type queuedWrite struct {
	data []byte
	cb   func(error)
}

// handshaking reports whether the handshake goroutine owns the connection.
func (t *tlsState) handshaking() bool { return t.tr.hs != nil }

// start begins the handshake (New calls it once fd is registered).
func (t *tlsState) start(s *IOStream) {
	hs := &handshake{loop: s.loop}
	hs.cond.L = &hs.mu
	hs.resumeFn = func() {
		t.hsPaused = false
		s.updateInterest()
	}
	t.tr = transport{s: s, hs: hs}
	cfg := t.cfg
	if cfg == nil {
		cfg = &tls.Config{}
	}
	if t.client {
		t.conn = tls.Client(&t.tr, cfg)
	} else {
		t.conn = tls.Server(&t.tr, cfg)
	}
	if t.timeout > 0 {
		t.timer = s.loop.CallLater(t.timeout, func() {
			if t.handshaking() && !s.closed {
				s.closeWith(ErrHandshakeTimeout, false)
			}
		})
	}
	if t.client {
		t.launch(s) // the client speaks first
	}
}

// launch starts the handshake goroutine, once: for a server, when the
// client's first bytes arrive, so that a connection that sends nothing
// costs no goroutine until the timeout drops it.
func (t *tlsState) launch(s *IOStream) {
	if t.launched {
		return
	}
	t.launched = true
	conn := t.conn
	go func() {
		err := handshake1(conn)
		s.loop.AddCallback(func() { t.handshakeDone(s, err) })
	}()
}

// handshake1 runs the handshake, turning a panic (in a GetCertificate or
// VerifyPeerCertificate callback, say) into an error: the goroutine is
// not the loop, whose recovery would not catch it.
func handshake1(conn *tls.Conn) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic during the handshake: %v", v)
		}
	}()
	return conn.HandshakeContext(context.Background())
}

// handshakeRead hands the socket's input to the handshake goroutine.
func (t *tlsState) handshakeRead(s *IOStream) {
	buf := s.loop.ReadBuffer()
	n, ok := s.readRawFD(buf)
	if !ok {
		return
	}
	full := t.tr.hs.push(buf[:n])
	t.launch(s)
	if full {
		t.hsPaused = true
		s.updateInterest()
	}
}

// handshakeDone runs on the loop once the handshake goroutine is done.
func (t *tlsState) handshakeDone(s *IOStream, err error) {
	hs := t.tr.hs
	if hs == nil {
		return
	}
	s.loop.RemoveTimeout(t.timer)
	t.timer = nil
	if s.closed {
		return
	}
	if err != nil {
		var rh tls.RecordHeaderError
		if errors.As(err, &rh) && rh.Conn != nil && looksLikeHTTP(rh.RecordHeader[:]) {
			// A plain-HTTP client on the TLS port: tell it, as Go's
			// net/http does, then close.
			s.writeRaw([]byte("HTTP/1.0 400 Bad Request\r\nConnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"), nil)
		}
		s.closeWith(fmt.Errorf("%w: %w", ErrHandshake, err), false)
		return
	}
	// The goroutine is gone (its last act queued this callback): from now
	// on the loop drives the connection, starting with the input the
	// handshake received but did not consume.
	hs.mu.Lock()
	if len(hs.in) > 0 {
		t.tr.pending = hs.in
	}
	hs.in = nil
	hs.mu.Unlock()
	t.tr.hs = nil
	t.hsPaused = false
	t.more = true
	q := t.queued
	t.queued = nil
	for _, w := range q {
		s.Write(w.data, w.cb)
	}
	s.updateInterest()
}

// kick schedules a read attempt for input crypto/tls may hold (the socket
// is level-triggered and will not signal bytes already taken from it).
func (t *tlsState) kick(s *IOStream) {
	if t.kickQueued {
		return
	}
	if t.kickFn == nil {
		t.kickFn = func() {
			t.kickQueued = false
			if !s.closed && t.more && s.events&inRead != 0 {
				s.onReadable()
			}
		}
	}
	t.kickQueued = true
	s.loop.AddCallback(t.kickFn)
}

// read fills b with plaintext for as long as crypto/tls has it without
// blocking. It returns false when nothing came (would block) or the
// stream closed.
func (t *tlsState) read(s *IOStream, b []byte) (int, bool) {
	t.tr.drained = false
	n := 0
	for n < len(b) {
		m, err := t.conn.Read(b[n:])
		n += m
		if s.closed {
			return 0, false
		}
		if err == nil {
			continue
		}
		if errors.Is(err, errWouldBlock) {
			t.more = false
			if n == 0 {
				return 0, false
			}
			return n, true
		}
		if n > 0 {
			// Deliver what came first; crypto/tls repeats the error
			// (it is sticky) on the next read, which the kick makes.
			t.more = true
			return n, true
		}
		if err == io.EOF {
			s.closeWith(nil, true)
		} else {
			s.closeWith(fmt.Errorf("iostream: TLS read: %w", err), false)
		}
		return 0, false
	}
	t.more = true // b is full: crypto/tls may hold more
	return n, true
}

// write encrypts data and writes the records; cb runs once the last
// record has gone to the kernel.
func (t *tlsState) write(s *IOStream, data []byte, cb func(error)) {
	if t.handshaking() {
		t.queued = append(t.queued, queuedWrite{data: bytes.Clone(data), cb: cb})
		return
	}
	for len(data) > 0 && !s.closed {
		n := min(len(data), encryptChunk)
		p := getBuf(n + (n/(16<<10)+1)*recordOverhead)
		t.batch = p
		_, err := t.conn.Write(data[:n])
		t.batch = nil
		data = data[n:]
		if err != nil {
			putBuf(p)
			s.closeWith(fmt.Errorf("iostream: TLS write: %w", err), false)
			break
		}
		var last func(error)
		if len(data) == 0 {
			last, cb = cb, nil
		}
		s.writeRaw(*p, last)
		putBuf(p)
	}
	if cb != nil {
		s.writeRaw(nil, cb) // nothing to write, or closed: writeRaw reports it
	}
}

// onClose ends the handshake, if it runs, and fails the writes that
// waited for it.
func (t *tlsState) onClose(s *IOStream) {
	if hs := t.tr.hs; hs != nil {
		hs.fail(net.ErrClosed)
	}
	s.loop.RemoveTimeout(t.timer)
	t.timer = nil
	if len(t.queued) > 0 {
		err := s.closedErr()
		for _, w := range t.queued {
			if cb := w.cb; cb != nil {
				s.loop.AddCallback(func() { cb(err) })
			}
		}
		t.queued = nil
	}
}

// ConnectionState returns the TLS state of the connection once its
// handshake has completed; ok is false for a plain stream or before.
func (s *IOStream) ConnectionState() (state tls.ConnectionState, ok bool) {
	t := s.tlsOf()
	if t == nil || t.handshaking() || t.conn == nil {
		return tls.ConnectionState{}, false
	}
	return t.conn.ConnectionState(), true
}

// IsTLS reports whether the stream speaks TLS.
func (s *IOStream) IsTLS() bool { return s.tlsOf() != nil }

// CloseWrite half-closes the stream (shutdown(SHUT_WR)); on a TLS stream
// it first sends the close_notify alert. Call it once the output has gone
// (from a write callback): if output is still pending, only the alert is
// queued and the socket is left open for writing.
func (s *IOStream) CloseWrite() error {
	if s.closed {
		return s.closedErr()
	}
	if t := s.tlsOf(); t != nil && !t.handshaking() {
		if err := t.conn.CloseWrite(); err != nil {
			return fmt.Errorf("iostream: TLS close_notify: %w", err)
		}
		if s.closed {
			return s.closedErr()
		}
	}
	if s.wend > s.woff {
		return nil
	}
	if err := unix.Shutdown(int(s.fd), unix.SHUT_WR); err != nil {
		return fmt.Errorf("iostream: shutdown: %w", err)
	}
	return nil
}

// looksLikeHTTP reports whether the first bytes of a connection are an
// HTTP request line (as net/http's test for the same answer).
func looksLikeHTTP(hdr []byte) bool {
	for _, m := range []string{"GET /", "HEAD ", "POST ", "PUT /", "OPTIO", "DELET", "PATCH", "CONNE"} {
		if string(hdr) == m {
			return true
		}
	}
	return false
}

// wouldBlockError is what the transport returns when the socket has no
// input: a temporary net.Error, which crypto/tls does not record as the
// connection's error, keeping a partial record for the next read.
type wouldBlockError struct{}

func (wouldBlockError) Error() string   { return "iostream: read would block" }
func (wouldBlockError) Timeout() bool   { return true }
func (wouldBlockError) Temporary() bool { return true }

var errWouldBlock net.Error = wouldBlockError{}

// transport is the net.Conn crypto/tls runs over. During the handshake it
// blocks on the handshake struct (the goroutine's side); afterwards it
// reads the socket without blocking and writes into the stream's output,
// on the loop.
type transport struct {
	s       *IOStream
	hs      *handshake // non-nil while the handshake goroutine runs
	pending []byte     // input the handshake received and did not consume
	// drained: a read(2) of this readiness round returned less than
	// asked, so the socket is empty and the next read would only say
	// EAGAIN (the loop is told of new input by epoll): skip it.
	drained bool
}

// Read implements net.Conn.
func (tr *transport) Read(p []byte) (int, error) {
	if hs := tr.hs; hs != nil {
		return hs.read(p)
	}
	if len(tr.pending) > 0 {
		n := copy(p, tr.pending)
		tr.pending = tr.pending[n:]
		if len(tr.pending) == 0 {
			tr.pending = nil
		}
		return n, nil
	}
	s := tr.s
	if s.closed {
		return 0, net.ErrClosed
	}
	if tr.drained {
		return 0, errWouldBlock
	}
	for {
		n, err := sysRead(s.fd, p)
		switch {
		case err == nil && n > 0:
			tr.drained = n < len(p)
			return n, nil
		case err == nil:
			return 0, io.EOF
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			return 0, errWouldBlock
		default:
			// Wrapped, so that crypto/tls sees a permanent error.
			return 0, fmt.Errorf("read: %w", err)
		}
	}
}

// Write implements net.Conn.
func (tr *transport) Write(p []byte) (int, error) {
	if hs := tr.hs; hs != nil {
		return hs.write(tr.s, p)
	}
	s := tr.s
	if s.closed {
		return 0, net.ErrClosed
	}
	if t := s.tlsOf(); t.batch != nil {
		*t.batch = append(*t.batch, p...)
		return len(p), nil
	}
	s.writeRaw(p, nil)
	return len(p), nil
}

// Close implements net.Conn; the stream owns the descriptor.
func (tr *transport) Close() error { return nil }

// LocalAddr implements net.Conn.
func (tr *transport) LocalAddr() net.Addr {
	sa, _ := unix.Getsockname(int(tr.s.fd))
	return sockaddrToAddr(sa)
}

// RemoteAddr implements net.Conn.
func (tr *transport) RemoteAddr() net.Addr {
	sa, _ := unix.Getpeername(int(tr.s.fd))
	return sockaddrToAddr(sa)
}

// SetDeadline implements net.Conn; the stream's timers do this job.
func (tr *transport) SetDeadline(time.Time) error { return nil }

// SetReadDeadline implements net.Conn.
func (tr *transport) SetReadDeadline(time.Time) error { return nil }

// SetWriteDeadline implements net.Conn.
func (tr *transport) SetWriteDeadline(time.Time) error { return nil }

func sockaddrToAddr(sa unix.Sockaddr) net.Addr {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: net.IP(a.Addr[:]), Port: a.Port}
	case *unix.SockaddrInet6:
		return &net.TCPAddr{IP: net.IP(a.Addr[:]), Port: a.Port}
	case *unix.SockaddrUnix:
		return &net.UnixAddr{Name: a.Name, Net: "unix"}
	}
	return &net.TCPAddr{}
}

// handshake connects the loop and the handshake goroutine: the loop
// pushes the socket's input, the goroutine reads it (blocking) and queues
// its writes back to the loop.
type handshake struct {
	loop     *ioloop.IOLoop
	resumeFn func() // on the loop: read again after a pause

	mu   sync.Mutex
	cond sync.Cond
	in   []byte
	err  error
	full bool
}

// push adds input (on the loop); it reports whether the bound is reached
// and the loop must stop reading until the goroutine resumes it.
func (h *handshake) push(b []byte) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.in = append(h.in, b...)
	if len(h.in) >= handshakeInputCap {
		h.full = true
	}
	h.cond.Signal()
	return h.full
}

// fail wakes the goroutine with err (on the loop, when the stream closes).
func (h *handshake) fail(err error) {
	h.mu.Lock()
	if h.err == nil {
		h.err = err
	}
	h.cond.Signal()
	h.mu.Unlock()
}

// read blocks the goroutine until input or an error is there.
func (h *handshake) read(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for len(h.in) == 0 && h.err == nil {
		h.cond.Wait()
	}
	if h.err != nil {
		return 0, h.err
	}
	n := copy(p, h.in)
	h.in = h.in[:copy(h.in, h.in[n:])]
	if h.full && len(h.in) < handshakeInputCap/2 {
		h.full = false
		h.loop.AddCallback(h.resumeFn)
	}
	return n, nil
}

// write queues the goroutine's output to the loop.
func (h *handshake) write(s *IOStream, p []byte) (int, error) {
	h.mu.Lock()
	err := h.err
	h.mu.Unlock()
	if err != nil {
		return 0, err
	}
	b := bytes.Clone(p)
	h.loop.AddCallback(func() { s.writeRaw(b, nil) })
	return len(p), nil
}
