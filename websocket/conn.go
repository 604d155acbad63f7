package websocket

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"log/slog"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/tornago/tornago/escape"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

// DefaultMaxMessageSize is Tornado's websocket_max_message_size: 10 MiB.
// A bigger message, or one that inflates past it, closes the socket 1009.
const DefaultMaxMessageSize = 10 << 20

// DefaultCloseTimeout is how long a socket that sent a close frame waits
// for the peer's before dropping the connection (Tornado's 5 s).
const DefaultCloseTimeout = 5 * time.Second

// ErrClosed is returned by writes on a socket that is closing or closed,
// Tornado's WebSocketClosedError.
var ErrClosed = errors.New("websocket: connection is closed")

// Options tunes a socket, on the server (the Handler's fields) or the
// client (DialOptions).
type Options struct {
	// PingInterval sends a ping this often (0: never, Tornado's default).
	PingInterval time.Duration
	// PingTimeout closes the socket ("ping timed out") when a ping is not
	// answered within it; 0 or more than PingInterval means PingInterval.
	PingTimeout time.Duration
	// MaxMessageSize bounds a message, after decompression (0: 10 MiB).
	MaxMessageSize int
	// Compression turns on permessage-deflate when the peer offers it.
	Compression *CompressionOptions
	// CloseTimeout bounds the wait for the peer's close frame (0: 5 s).
	CloseTimeout time.Duration
}

// callbacks receive a Conn's events, on its loop.
type callbacks interface {
	onMessage(data []byte, binary bool) error
	onPing(data []byte)
	onPong(data []byte)
	onClose()
}

// Conn is one WebSocket connection, server or client side, on the loop of
// its stream. Its methods must be called on that loop (from elsewhere, go
// through Loop().AddCallback). It holds no buffer while idle: partial frames
// wait in the stream, fragmented messages in a slice freed when complete.
type Conn struct {
	stream      *iostream.IOStream
	loop        *ioloop.IOLoop
	cb          callbacks
	opts        Options
	client      bool
	deflate     bool
	level       int
	minSize     int
	subprotocol string
	logger      *slog.Logger

	// message being reassembled from fragments
	msgOp         byte
	msgCompressed bool
	msgBuf        []byte

	closeSent     bool
	closeReceived bool
	closed        bool // the stream is gone and OnClose ran
	closeCode     int
	closeReason   string

	// batch gathers the frames written while a read batch is handled
	// (echoes, pongs), sent in one write at its end; nil otherwise.
	batch    *[]byte
	batching bool
	paused   bool // PauseReading: no more messages until ResumeReading

	timer      ioloop.Timer // ping / ping-timeout / close-timeout
	timerState byte
	pongSeen   bool
}

const (
	timerIdle = iota
	timerPing
	timerPong
	timerClose
)

// bufPool holds scratch buffers for outgoing frames, returned after each
// write: Stream.Write does not keep its argument.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func newConn(s *iostream.IOStream, cb callbacks, opts Options, client bool) *Conn {
	if opts.MaxMessageSize <= 0 {
		opts.MaxMessageSize = DefaultMaxMessageSize
	}
	if opts.CloseTimeout <= 0 {
		opts.CloseTimeout = DefaultCloseTimeout
	}
	if opts.PingTimeout <= 0 || opts.PingTimeout > opts.PingInterval {
		opts.PingTimeout = opts.PingInterval
	}
	c := &Conn{stream: s, loop: s.Loop(), cb: cb, opts: opts, client: client, logger: slog.Default()}
	if opts.Compression != nil {
		c.level = opts.Compression.Level
		c.minSize = opts.Compression.MinSize
	}
	c.timer.Init(c.onTimer)
	return c
}

// start begins reading frames and pinging.
func (c *Conn) start() {
	c.stream.SetCloseCallback(c.onStreamClosed)
	// From a loop callback: start runs inside the HTTP server's own data
	// handler (the handshake), and a raw handler set during another's call
	// is offered the input that came with the handshake only once more
	// input arrives; set afresh, the stream offers it at once.
	c.loop.AddCallback(func() {
		if !c.closed {
			c.stream.SetDataHandler(c.onData)
		}
	})
	if c.opts.PingInterval > 0 && !c.closeSent {
		c.timerState = timerPing
		c.loop.ScheduleAfter(&c.timer, c.opts.PingInterval)
	}
}

// Loop returns the loop the connection runs on.
func (c *Conn) Loop() *ioloop.IOLoop { return c.loop }

// Subprotocol returns the negotiated subprotocol, or "".
func (c *Conn) Subprotocol() string { return c.subprotocol }

// Compressed reports whether permessage-deflate was negotiated.
func (c *Conn) Compressed() bool { return c.deflate }

// CloseCode returns the code of the peer's close frame (0 if none came,
// Tornado's None).
func (c *Conn) CloseCode() int { return c.closeCode }

// CloseReason returns the reason of the peer's close frame.
func (c *Conn) CloseReason() string { return c.closeReason }

// Closed reports whether the connection is closing or closed.
func (c *Conn) Closed() bool { return c.closeSent || c.closed }

// SetNoDelay sets TCP_NODELAY on the connection (Tornado's set_nodelay).
func (c *Conn) SetNoDelay(on bool) error { return c.stream.SetNoDelay(on) }

// onData is the stream's raw-mode handler: it consumes whole frames.
func (c *Conn) onData(data []byte) int {
	c.batching = true
	defer c.flush()
	consumed := 0
	for !c.closed && !c.closeReceived && !c.paused {
		limit := c.opts.MaxMessageSize - len(c.msgBuf)
		f, n, err := readFrame(data[consumed:], limit, c.deflate)
		if err != nil {
			c.fail(err)
			return len(data)
		}
		if n == 0 {
			break
		}
		consumed += n
		if err := c.handleFrame(f); err != nil {
			c.fail(err)
			return len(data)
		}
	}
	if c.closeReceived || c.closed {
		return len(data)
	}
	return consumed
}

func (c *Conn) handleFrame(f frame) error {
	if f.masked == c.client {
		if c.client {
			return protocolError("masked frame from server")
		}
		return protocolError("unmasked frame from client")
	}
	switch f.opcode {
	case opText, opBinary:
		if c.msgOp != 0 {
			return protocolError("new message inside a fragmented one")
		}
		if f.fin {
			return c.deliver(f.opcode, f.rsv1, f.payload)
		}
		c.msgOp, c.msgCompressed = f.opcode, f.rsv1
		c.msgBuf = append(c.msgBuf[:0], f.payload...)
		return nil
	case opContinuation:
		if c.msgOp == 0 {
			return protocolError("continuation without a message")
		}
		if f.rsv1 {
			return protocolError("RSV1 on a continuation frame")
		}
		c.msgBuf = append(c.msgBuf, f.payload...)
		if !f.fin {
			return nil
		}
		op, comp, buf := c.msgOp, c.msgCompressed, c.msgBuf
		c.msgOp, c.msgBuf = 0, nil
		return c.deliver(op, comp, buf)
	case opPing:
		if !c.closeSent {
			c.writeFrame(opPong, f.payload, false)
		}
		c.cb.onPing(f.payload)
	case opPong:
		c.pongSeen = true
		c.cb.onPong(f.payload)
	case opClose:
		return c.receivedClose(f.payload)
	}
	return nil
}

func (c *Conn) deliver(op byte, compressed bool, data []byte) error {
	if compressed {
		var err error
		if data, err = inflateMessage(nil, data, c.opts.MaxMessageSize); err != nil {
			return err
		}
	}
	if op == opText && !utf8.Valid(data) {
		return &CloseError{Code: CloseInvalidPayload, Reason: "invalid UTF-8"}
	}
	if c.closeSent {
		return nil // Tornado drops messages after close()
	}
	if err := c.cb.onMessage(data, op == opBinary); err != nil {
		c.logger.Error("websocket: uncaught error in OnMessage", "err", err)
		c.Close(CloseInternalError, "")
	}
	return nil
}

func (c *Conn) receivedClose(p []byte) error {
	c.closeReceived = true
	code := 0
	if len(p) == 1 {
		return protocolError("close frame of one byte")
	}
	if len(p) >= 2 {
		code = int(binary.BigEndian.Uint16(p))
		if !validCloseCode(code) {
			return protocolError("invalid close code")
		}
		if !utf8.Valid(p[2:]) {
			return &CloseError{Code: CloseInvalidPayload, Reason: "invalid UTF-8 in close reason"}
		}
		c.closeReason = string(p[2:])
	}
	c.closeCode = code
	if !c.closeSent {
		// Echo the code, as Tornado does, then drop the connection once it
		// is written (RFC 6455 section 7.1.1: the server closes TCP first).
		echo := code
		if echo == 0 {
			echo = CloseNormal
		}
		c.sendClose(echo, "")
	}
	c.sendBatch()
	c.stream.PauseReading()
	c.stream.Write(nil, func(error) { c.stream.Close() })
	return nil
}

// fail closes the connection for a protocol error: a close frame with its
// code, then the stream once the frame is written.
func (c *Conn) fail(err error) {
	code, reason := CloseProtocolError, err.Error()
	var ce *CloseError
	if errors.As(err, &ce) {
		code, reason = ce.Code, ce.Reason
	}
	c.msgBuf = nil
	c.closeReceived = true // read nothing more
	if !c.closeSent {
		c.sendClose(code, reason)
	}
	c.sendBatch()
	c.stream.PauseReading()
	c.stream.Write(nil, func(error) { c.stream.Close() })
}

// Close starts the closing handshake, Tornado's close(code, reason): a
// close frame (code 0 with a reason means 1000; code 0 and no reason, a
// frame without code), then the connection is dropped when the peer
// answers or after CloseTimeout.
func (c *Conn) Close(code int, reason string) {
	if c.closeSent || c.closed {
		return
	}
	if code == 0 && reason != "" {
		code = CloseNormal
	}
	c.sendClose(code, reason)
	if c.closeReceived {
		return
	}
	c.timerState = timerClose
	c.loop.ScheduleAfter(&c.timer, c.opts.CloseTimeout)
}

func (c *Conn) sendClose(code int, reason string) {
	c.closeSent = true
	var p []byte
	if code != 0 {
		if len(reason) > maxControlPayload-2 {
			reason = reason[:maxControlPayload-2]
			for !utf8.ValidString(reason) {
				reason = reason[:len(reason)-1]
			}
		}
		p = binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(reason)), uint16(code))
		p = append(p, reason...)
	}
	c.writeFrame(opClose, p, false)
}

// PauseReading stops delivering messages (and reading frames, pings
// included) after the current one, until ResumeReading: Tornado's
// coroutine on_message, where the next message waits for the last one's
// work. Call it from OnMessage before starting asynchronous work, and
// ResumeReading on the loop when it is done.
func (c *Conn) PauseReading() {
	if !c.paused {
		c.paused = true
		c.stream.PauseReading()
	}
}

// ResumeReading undoes PauseReading; frames that arrived meanwhile are
// handled from a loop callback.
func (c *Conn) ResumeReading() {
	if c.paused {
		c.paused = false
		c.stream.ResumeReading()
	}
}

// Flush calls cb (on the loop) once everything written so far has been
// handed to the kernel, or with the error that closed the connection: the
// completion of Tornado's write_message Future, for a writer that wants
// to wait for slow readers.
func (c *Conn) Flush(cb func(error)) {
	c.sendBatch()
	c.stream.Write(nil, cb)
}

// Ping sends a ping with data (at most 125 bytes).
func (c *Conn) Ping(data []byte) error {
	if c.Closed() {
		return ErrClosed
	}
	if len(data) > maxControlPayload {
		return errors.New("websocket: ping payload over 125 bytes")
	}
	c.writeFrame(opPing, data, false)
	return nil
}

// WriteMessage sends a message, Tornado's write_message: a string as a text
// message, a []byte as a binary one, anything else as JSON text (with
// escape.JSONEncode, so maps and structs work as in Tornado).
func (c *Conn) WriteMessage(v any) error {
	switch m := v.(type) {
	case string:
		return c.write(opText, stringBytes(m))
	case []byte:
		return c.write(opBinary, m)
	default:
		s, err := escape.JSONEncode(v)
		if err != nil {
			return err
		}
		return c.write(opText, []byte(s))
	}
}

// WriteText sends data as a text message (data must be UTF-8).
func (c *Conn) WriteText(data []byte) error { return c.write(opText, data) }

// WriteBinary sends data as a binary message.
func (c *Conn) WriteBinary(data []byte) error { return c.write(opBinary, data) }

func (c *Conn) write(op byte, data []byte) error {
	if c.Closed() {
		return ErrClosed
	}
	if c.deflate && len(data) >= c.minSize {
		bp := bufPool.Get().(*[]byte)
		z, err := deflateMessage((*bp)[:0], data, c.level)
		if err != nil {
			bufPool.Put(bp)
			return err
		}
		c.writeFrame(op, z, true)
		*bp = z[:0]
		putBuf(bp)
		return nil
	}
	c.writeFrame(op, data, false)
	return nil
}

// maxPooledBuf keeps huge one-off buffers out of the pool.
const maxPooledBuf = 64 << 10

func putBuf(bp *[]byte) {
	if cap(*bp) <= maxPooledBuf {
		bufPool.Put(bp)
	}
}

// writeFrame sends one frame; client frames are masked with a fresh key.
func (c *Conn) writeFrame(op byte, payload []byte, rsv1 bool) {
	var key [4]byte
	if c.client {
		_, _ = rand.Read(key[:])
	}
	if c.batching {
		if c.batch == nil {
			c.batch = bufPool.Get().(*[]byte)
			*c.batch = (*c.batch)[:0]
		}
		*c.batch = appendFrame(*c.batch, op, true, rsv1, payload, c.client, key)
		if len(*c.batch) >= maxBatch {
			c.sendBatch()
		}
		return
	}
	bp := bufPool.Get().(*[]byte)
	b := appendFrame((*bp)[:0], op, true, rsv1, payload, c.client, key)
	c.stream.Write(b, nil)
	*bp = b[:0]
	putBuf(bp)
}

// maxBatch is the size at which batched frames are sent without waiting
// for the end of the read batch: a write of 64 KiB already amortises the
// system call.
const maxBatch = 64 << 10

// sendBatch writes the batched frames.
func (c *Conn) sendBatch() {
	if c.batch == nil {
		return
	}
	if len(*c.batch) > 0 {
		c.stream.Write(*c.batch, nil)
	}
	*c.batch = (*c.batch)[:0]
	putBuf(c.batch)
	c.batch = nil
}

// flush ends a read batch: what it wrote goes out in one write.
func (c *Conn) flush() {
	c.batching = false
	c.sendBatch()
}

func (c *Conn) onTimer() {
	switch c.timerState {
	case timerPing:
		if c.Closed() {
			return
		}
		c.pongSeen = false
		c.writeFrame(opPing, nil, false)
		c.timerState = timerPong
		c.loop.ScheduleAfter(&c.timer, c.opts.PingTimeout)
	case timerPong:
		if !c.pongSeen {
			c.Close(CloseNormal, "ping timed out")
			return
		}
		c.timerState = timerPing
		c.loop.ScheduleAfter(&c.timer, c.opts.PingInterval-c.opts.PingTimeout)
	case timerClose:
		c.stream.Close() // the peer never answered the close frame
	}
}

func (c *Conn) onStreamClosed() {
	if c.closed {
		return
	}
	c.closed = true
	c.loop.Cancel(&c.timer)
	c.msgBuf = nil
	c.cb.onClose()
}
