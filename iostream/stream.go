package iostream

import (
	"errors"
	"fmt"

	"github.com/tornago/tornago/ioloop"
	"golang.org/x/sys/unix"
)

const (
	// DefaultMaxReadBuffer bounds the unconsumed bytes a stream keeps.
	// 100 MiB is Tornado's max_buffer_size.
	DefaultMaxReadBuffer = 100 << 20

	// DefaultMaxWriteBuffer is the pending-write size above which the
	// stream stops reading until the peer has taken everything. 4 MiB lets
	// a large response flow without stalls, and stops a client that
	// pipelines requests without reading the answers from growing the
	// buffer without bound.
	DefaultMaxWriteBuffer = 4 << 20

	// readAheadLimit is how much a stream reads with no read pending
	// (to notice the peer closing) before it stops reading.
	readAheadLimit = 64 << 10

	// maxReadsPerEvent bounds the read(2) calls made for one readiness
	// event when each fills the buffer, so one fast peer cannot starve
	// the loop's other connections.
	maxReadsPerEvent = 4
)

var (
	// ErrStreamClosed is the error of reads and writes on a closed
	// stream. When the stream closed because of an error, that error is
	// wrapped too.
	ErrStreamClosed = errors.New("iostream: stream is closed")
	// ErrBufferFull is reported when the unconsumed input exceeds the
	// read buffer limit; the stream is closed.
	ErrBufferFull = errors.New("iostream: reached maximum read buffer size")
	// ErrUnsatisfiableRead is reported when ReadUntil finds no delimiter
	// within maxBytes; the stream is closed.
	ErrUnsatisfiableRead = errors.New("iostream: delimiter not found within max bytes")
	// ErrReadPending is reported to a read started while another is
	// pending (Tornado's "Already reading").
	ErrReadPending = errors.New("iostream: another read is pending")
)

// An Option configures an IOStream.
type Option func(*IOStream)

// maxLimit caps both buffer limits: offsets are 32-bit to keep an idle
// stream small.
const maxLimit = 1 << 30

// WithMaxReadBuffer sets the limit on unconsumed input (default 100 MiB,
// at most 1 GiB).
func WithMaxReadBuffer(n int) Option {
	return func(s *IOStream) {
		if n > 0 {
			s.maxRead = int32(min(n, maxLimit))
		}
	}
}

// WithMaxWriteBuffer sets the pending-write size above which reading
// pauses until the writes drain (default 4 MiB, at most 1 GiB).
func WithMaxWriteBuffer(n int) Option {
	return func(s *IOStream) {
		if n > 0 {
			s.maxWrite = int32(min(n, maxLimit))
		}
	}
}

// SetMaxReadBuffer changes the limit on unconsumed input (as
// WithMaxReadBuffer), e.g. when another protocol takes over the stream.
func (s *IOStream) SetMaxReadBuffer(n int) { WithMaxReadBuffer(n)(s) }

// WithCloseHook runs fn synchronously when the stream closes, before the
// close callback; servers use it to count connections. Sharing one fn
// among streams costs no allocation per stream.
func WithCloseHook(fn func(*IOStream)) Option {
	return func(s *IOStream) { s.closeHook = fn }
}

type readKind uint8

// interest is the set of ioloop events (READ, WRITE) a stream is
// registered for, in one byte.
type interest uint8

const (
	inRead  = interest(ioloop.READ)
	inWrite = interest(ioloop.WRITE)
)

const (
	readNone readKind = iota
	readUntil
	readBytes
	readStreaming
	readUntilClose
	readRaw
)

// readState holds the parameters of a pending ReadUntil, ReadBytes,
// ReadBytesStreaming or ReadUntilClose. It lives outside the stream
// struct, made on the first such read and kept: raw-mode streams (every
// HTTP/1.1 connection) never need it, and an idle connection's struct
// stays small.
type readState struct {
	delim   []byte
	n       int // ReadBytes and streaming: bytes wanted; ReadUntil: max bytes
	scanned int // ReadUntil: bytes of retained input already searched
	cb      func([]byte, error)
	chunk   func([]byte) // ReadBytesStreaming
	done    func(error)  // ReadBytesStreaming
}

// A RawHandler receives a raw-mode stream's input (see SetRawHandler).
// Protocol engines implement it on their connection type, so that a
// connection needs no closure.
type RawHandler interface {
	// HandleData gets every unconsumed byte and returns how many it
	// consumed.
	HandleData(data []byte) (consumed int)
}

// RawHandlerFunc adapts a function to RawHandler.
type RawHandlerFunc func(data []byte) (consumed int)

// HandleData calls f(data).
func (f RawHandlerFunc) HandleData(data []byte) int { return f(data) }

// A CloseHandler is told when its stream closes (see SetCloseHandler).
type CloseHandler interface {
	// HandleClose runs on the loop, in a callback after the close.
	HandleClose()
}

// CloseHandlerFunc adapts a function to CloseHandler.
type CloseHandlerFunc func()

// HandleClose calls f().
func (f CloseHandlerFunc) HandleClose() { f() }

// writeQueue tracks write callbacks. It exists only once a Write has
// passed a callback, so streams that never do carry no counters.
type writeQueue struct {
	list   []writeWaiter
	head   int
	queued uint64 // bytes accepted by Write since the queue was made
	sent   uint64 // of which handed to the kernel
}

type writeWaiter struct {
	pos uint64 // the write completes when sent reaches pos
	cb  func(error)
}

// IOStream is a buffered non-blocking stream over one descriptor owned by
// one IOLoop. See the package comment. The struct is kept small (144
// bytes) because every idle connection has one.
type IOStream struct {
	loop     *ioloop.IOLoop
	fd       int32
	maxRead  int32
	maxWrite int32
	events   interest // interest currently registered

	kind        readKind
	closed      bool
	eof         bool // closed because the peer did; retained input stays readable
	partial     bool // ReadBytes
	userPaused  bool
	writePaused bool
	processing  bool // consume is on the stack
	procQueued  bool // runDeferred will offer retained input
	waitQueued  bool // runDeferred will run write callbacks

	err error

	// Retained input: (*rbuf)[roff:rend].
	rbuf       *[]byte
	roff, rend int32

	// Pending output: (*wbuf)[woff:wend].
	wbuf       *[]byte
	woff, wend int32 // at most maxPendingWrite apart

	// The pending read: raw mode's handler, or the others' parameters.
	raw RawHandler
	rd  *readState

	writes *writeQueue

	closeCB   CloseHandler
	closeHook func(*IOStream)
	ext       *streamExt // made on first use: see streamExt
}

// streamExt holds what a stream needs only sometimes, behind one pointer
// so that the struct of a plain idle connection stays at 144 bytes.
type streamExt struct {
	deferred func()    // s.runDeferred, made on first use
	tls      *tlsState // non-nil for a TLS stream (WithTLSServer, WithTLSClient)
}

// extra returns the stream's streamExt, made on first use.
func (s *IOStream) extra() *streamExt {
	if s.ext == nil {
		s.ext = &streamExt{}
	}
	return s.ext
}

// tlsOf returns the stream's TLS state, or nil for a plain stream.
func (s *IOStream) tlsOf() *tlsState {
	if s.ext == nil {
		return nil
	}
	return s.ext.tls
}

// New wraps fd, which must be non-blocking; the stream owns it and closes
// it. It registers fd with loop, so it must be called on the loop's
// goroutine. If registration fails the stream comes back closed, with the
// reason in Error.
func New(loop *ioloop.IOLoop, fd int, opts ...Option) *IOStream {
	s := &IOStream{
		loop:     loop,
		fd:       int32(fd),
		maxRead:  DefaultMaxReadBuffer,
		maxWrite: DefaultMaxWriteBuffer,
	}
	for _, o := range opts {
		o(s)
	}
	if err := loop.AddHandler(fd, s, ioloop.READ); err != nil {
		s.closed = true
		s.err = err
		unix.Close(fd)
		return s
	}
	s.events = inRead
	if t := s.tlsOf(); t != nil {
		t.start(s)
	}
	return s
}

// Fd returns the stream's descriptor. The number stays after Close, when
// it may already belong to another file.
func (s *IOStream) Fd() int { return int(s.fd) }

// Loop returns the loop the stream belongs to.
func (s *IOStream) Loop() *ioloop.IOLoop { return s.loop }

// Closed reports whether the stream is closed.
func (s *IOStream) Closed() bool { return s.closed }

// Error returns the error that closed the stream, or nil (open, closed by
// Close, or closed cleanly by the peer).
func (s *IOStream) Error() error { return s.err }

// Reading reports whether a read is pending or a data handler is set.
func (s *IOStream) Reading() bool { return s.kind != readNone }

// Writing reports whether written bytes are waiting for the socket.
func (s *IOStream) Writing() bool { return s.wend > s.woff }

// SetCloseCallback sets fn to run on the loop (in a later callback, not
// inside Close) when the stream closes. If it is closed already, fn is
// scheduled at once. A nil fn removes the callback.
func (s *IOStream) SetCloseCallback(fn func()) {
	if fn == nil {
		s.SetCloseHandler(nil)
		return
	}
	s.SetCloseHandler(CloseHandlerFunc(fn))
}

// SetCloseHandler is SetCloseCallback with an interface: h.HandleClose
// runs on the loop when the stream closes. A connection type that
// implements it needs no closure. A nil h removes the handler.
func (s *IOStream) SetCloseHandler(h CloseHandler) {
	s.closeCB = h
	if s.closed && h != nil {
		s.loop.AddCallback(closeCall(h))
	}
}

// closeCall returns the function that runs h: a CloseHandlerFunc as it
// is, anything else as a method value (made at close time only).
func closeCall(h CloseHandler) func() {
	if f, ok := h.(CloseHandlerFunc); ok {
		return f
	}
	return h.HandleClose
}

// SetNoDelay sets TCP_NODELAY (error on non-TCP sockets).
func (s *IOStream) SetNoDelay(on bool) error {
	if s.closed {
		return ErrStreamClosed
	}
	v := 0
	if on {
		v = 1
	}
	if err := unix.SetsockoptInt(int(s.fd), unix.IPPROTO_TCP, unix.TCP_NODELAY, v); err != nil {
		return fmt.Errorf("iostream: TCP_NODELAY: %w", err)
	}
	return nil
}

// HandleEvents implements ioloop.Handler.
func (s *IOStream) HandleEvents(fd int, ev ioloop.Event) {
	if s.closed {
		return
	}
	if ev&ioloop.WRITE != 0 {
		s.onWritable()
		if s.closed {
			return
		}
	}
	switch {
	case ev&ioloop.READ != 0 || (ev&ioloop.ERROR != 0 && s.events&inRead != 0):
		if t := s.tlsOf(); t != nil && t.handshaking() {
			t.handshakeRead(s)
			return
		}
		s.onReadable()
	case ev&ioloop.ERROR != 0:
		// Not reading, so the error or hang-up cannot surface through
		// read(2); ask the socket. A plain hang-up is the peer closing:
		// input already retained stays readable.
		if e, _ := unix.GetsockoptInt(int(s.fd), unix.SOL_SOCKET, unix.SO_ERROR); e != 0 {
			s.closeWith(unix.Errno(e), false)
		} else {
			s.closeWith(nil, true)
		}
	}
}

// Close closes the stream. A pending read then fails with an error
// wrapping ErrStreamClosed (ReadUntilClose gets the buffered data instead),
// and so do pending write callbacks; these and the close callback run in
// later loop callbacks, never inside Close.
func (s *IOStream) Close() { s.closeWith(nil, false) }

// closeWith closes the stream with err (nil for a clean close). eof keeps
// the retained input so later reads can still consume it, as Tornado
// allows after the peer closes.
func (s *IOStream) closeWith(err error, eof bool) {
	if s.closed {
		return
	}
	s.closed = true
	s.eof = eof
	// A reset or broken pipe is a close like any other (nothing is
	// logged); the reason stays available from Error.
	s.err = err
	s.loop.RemoveHandler(int(s.fd))
	unix.Close(int(s.fd))
	s.events = 0
	s.userPaused, s.writePaused = false, false
	if s.closeHook != nil {
		s.closeHook(s)
	}
	if t := s.tlsOf(); t != nil {
		t.onClose(s)
	}

	switch {
	case s.kind == readNone:
	case eof && s.roff < s.rend && s.kind != readUntilClose && s.kind != readRaw:
		// Input retained while reading was paused may still satisfy
		// the read: let runProcess decide.
		s.scheduleProcess()
	default:
		s.failRead(false)
	}
	if !eof {
		s.releaseRead()
	}
	putBuf(s.wbuf)
	s.wbuf, s.woff, s.wend = nil, 0, 0
	if q := s.writes; q != nil && q.head < len(q.list) {
		s.queueWaiters()
	}
	// Last, so the failed read and write callbacks run before it, as in
	// Tornado.
	if s.closeCB != nil {
		s.loop.AddCallback(closeCall(s.closeCB))
	}
}

// closedErr is the error reported to operations on the closed stream.
func (s *IOStream) closedErr() error {
	if s.err == nil {
		return ErrStreamClosed
	}
	return fmt.Errorf("%w: %w", ErrStreamClosed, s.err)
}

// updateInterest registers READ while the stream wants input and WRITE
// while output is pending; it makes no system call if nothing changed.
func (s *IOStream) updateInterest() {
	if s.closed {
		return
	}
	var want interest
	t := s.tlsOf()
	switch {
	case t != nil && t.handshaking():
		// The handshake goroutine takes the input, up to its bound.
		if !t.hsPaused {
			want |= inRead
		}
	case !s.userPaused && !s.writePaused && (s.kind != readNone || s.rend-s.roff < readAheadLimit):
		want |= inRead
	}
	if s.wend > s.woff {
		want |= inWrite
	}
	if want != s.events {
		if err := s.loop.UpdateHandler(int(s.fd), ioloop.Event(want)); err != nil {
			s.closeWith(err, false)
			return
		}
		s.events = want
	}
	if t != nil && t.more && want&inRead != 0 {
		// crypto/tls may hold input the socket will not signal again.
		t.kick(s)
	}
}

// runDeferred is the one loop callback a stream schedules: it offers
// retained input to a new read and runs completed write callbacks, so
// neither happens inside the call that caused it.
func (s *IOStream) runDeferred() {
	proc, wait := s.procQueued, s.waitQueued
	s.procQueued, s.waitQueued = false, false // what these calls queue needs a new callback
	if proc {
		s.runProcess()
	}
	if wait {
		s.runWaiters(nil)
		if s.closed {
			s.runWaiters(s.closedErr())
		}
	}
}

func (s *IOStream) scheduleDeferred() {
	x := s.extra()
	if x.deferred == nil {
		x.deferred = s.runDeferred
	}
	s.loop.AddCallback(x.deferred)
}

func (s *IOStream) scheduleProcess() {
	if !s.procQueued {
		if !s.waitQueued {
			s.scheduleDeferred()
		}
		s.procQueued = true
	}
}

func (s *IOStream) queueWaiters() {
	if !s.waitQueued {
		if !s.procQueued {
			s.scheduleDeferred()
		}
		s.waitQueued = true
	}
}
