package httpserver

import (
	"fmt"
	"math"
	"runtime/debug"
	"time"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

// connState is where a connection stands in its request cycle.
type connState uint8

const (
	stIdle     connState = iota // between requests; no byte of the next one yet
	stHead                      // part of a head received; scanning for its end
	stBody                      // reading a Content-Length body
	stChunked                   // reading a chunked body
	stServing                   // the handler has the request; no reading
	stClosing                   // last response out; discarding input until close
	stDetached                  // handed over by ResponseWriter.Detach
)

// conn is one HTTP/1.1 connection. It holds no buffer while idle: the
// stream keeps unconsumed input (none, between requests), the exchange
// comes from the loop's free list when a request starts. Its size is most
// of what an idle connection costs besides its stream, so it is kept to
// 96 bytes: it is its own data, timer and close handler (no closures),
// and the head-parse position lives in the exchange.
type conn struct {
	lc *loopState
	s  *iostream.IOStream
	ip *string // the peer's address, shared by connections from it

	ex *exchange // the request being read or served

	timer    ioloop.Timer // fires c.HandleTimer
	deadline msTime       // when the current wait ends (if hasDeadline)
	timerAt  msTime       // when timer is armed for

	idx         int32  // position in lc.conns
	lastPending int32  // output pending at the last send check (saturated)
	stallSince  msTime // when the pending output last shrank (sendWatch)

	state     connState
	skipped   bool // the one tolerated empty line before a request was seen
	inData    bool // HandleData is on the stack: it will flush the output
	closing   bool // close after the current response
	paused    bool // reading paused while an asynchronous handler runs
	aborted   bool // closed for an output error
	lingering bool // the close after the last response has begun
	uncounted bool // no longer counted as open by the server
	closeDone bool // onClose has run

	hasDeadline bool
	sendWatch   bool // output is pending: the send timeout is watched
}

// msTime is the loop's clock in milliseconds, wrapping every 49 days; it
// is compared by difference, so deadlines up to maxTimeout away compare
// right. Four bytes instead of eight keep conn in a smaller size class.
type msTime int32

// maxTimeout bounds a timeout measured in msTime (12 days): longer ones
// are cut to it.
const maxTimeout = (1 << 30) * time.Millisecond

// before reports whether a comes before b.
func (a msTime) before(b msTime) bool { return int32(a-b) < 0 }

// nowMS returns the loop's cached clock as an msTime.
func (c *conn) nowMS() msTime { return msTime(c.lc.loop.Time().UnixNano() / int64(time.Millisecond)) }

// remoteIP returns the peer's address as a string.
func (c *conn) remoteIP() string { return *c.ip }

// HandleData is the stream's raw handler (iostream.RawHandler): it parses
// and serves every complete request in data, in order, then sends all
// their responses in one write. It returns how much of data it consumed;
// the stream keeps the rest (an incomplete request) and offers it again
// with more.
func (c *conn) HandleData(data []byte) int {
	c.inData = true
	n := c.process(data)
	if (c.state == stBody || c.state == stChunked) && c.ex != nil {
		// The head (and any body so far) must outlive this input.
		c.ex.detach(data)
	}
	c.inData = false
	c.flush()
	c.armTimer()
	return n
}

func (c *conn) process(data []byte) int {
	off := 0
	for off < len(data) {
		switch c.state {
		case stIdle:
			if c.outputFull() {
				// Pipelined requests whose answers the client does not
				// read: leave the rest until the output drains (the
				// stream offers it again then).
				return off
			}
			rest := data[off:]
			if !c.skipped && (rest[0] == '\n' || rest[0] == '\r') {
				// RFC 9112 section 2.2: ignore one empty line before a
				// request line (clients that send CRLF after a POST body).
				if rest[0] == '\n' {
					off++
					c.skipped = true
					continue
				}
				if len(rest) < 2 {
					return off
				}
				if rest[1] == '\n' {
					off += 2
					c.skipped = true
					continue
				}
			}
			n, ok := c.readHead(rest, true)
			if !ok {
				return len(data)
			}
			if n == 0 {
				return off
			}
			off += n
			if !c.startBody(data, &off) {
				return len(data)
			}
		case stHead:
			n, ok := c.readHead(data[off:], false)
			if !ok {
				return len(data)
			}
			if n == 0 {
				return off
			}
			off += n
			if !c.startBody(data, &off) {
				return len(data)
			}
		case stBody:
			ex := c.ex
			m := int(min(ex.bodyLeft, int64(len(data)-off)))
			piece := data[off : off+m]
			off += m
			ex.bodyLeft -= int64(m)
			if ex.stream {
				if !c.deliver(ex, piece) {
					if c.state == stClosing {
						return len(data)
					}
					return off // paused: the handler holds the piece
				}
			} else {
				ex.body = append(ex.body, piece...)
			}
			if ex.bodyLeft > 0 {
				return off
			}
			if !ex.stream {
				ex.req.Body = ex.body
			}
			c.dispatch(data)
		case stChunked:
			ex := c.ex
			n, done, err := ex.ck.decode(data[off:], &ex.body, ex.maxBody)
			off += n
			if err != nil {
				c.reject(err)
				return len(data)
			}
			if ex.stream {
				piece := ex.body
				ex.body, ex.ckDone = piece[:0], done
				if !c.deliver(ex, piece) {
					if c.state == stClosing {
						return len(data)
					}
					return off // paused: the handler holds the piece
				}
			}
			if !done {
				return off
			}
			if !ex.stream {
				ex.req.Body = ex.body
			}
			c.dispatch(data)
		case stServing:
			// An asynchronous handler has the connection: later requests
			// wait their turn. Keep reading (to notice a close) up to a
			// bound.
			if len(data)-off > maxHeldInput && !c.paused {
				c.paused = true
				c.s.PauseReading()
			}
			return off
		case stClosing:
			return len(data)
		case stDetached:
			return off // the rest is the new owner's
		}
	}
	return off
}

// outputFull flushes a large batch of queued responses and reports
// whether the output waiting for the client has reached the stream's
// write cap, past which the stream stops reading and delivering input
// until it drains.
func (c *conn) outputFull() bool {
	if lc := c.lc; lc.outConn == c && len(lc.out) >= maxBatchOutput {
		c.flush()
	}
	return c.s.PendingWrite() >= iostream.DefaultMaxWriteBuffer
}

// readHead parses the head at the start of b. fresh says no part of it
// was seen before: then it is parsed in one pass, else the parse resumes
// at the first line not yet parsed, and the head is parsed again, whole,
// once complete (the views of the first pass point into input that is
// gone).
// It returns the head's length, or 0 if more input is needed; ok is false
// when the request was refused.
func (c *conn) readHead(b []byte, fresh bool) (n int, ok bool) {
	max := c.lc.srv.opts.MaxHeaderSize
	ex := c.ex
	if ex == nil {
		ex = c.lc.acquire()
		c.ex = ex
	}
	if fresh {
		ex.scan = headScan{}
	}
	n, err := ex.scan.parse(b, &ex.req, &ex.info, max)
	if err == nil && n > 0 && !fresh {
		// The lines parsed before this input are views into input that
		// is gone: parse the head again, whole, now that it is here.
		ex.req.reset()
		var s headScan
		n, err = s.parse(b, &ex.req, &ex.info, max)
	}
	if err == nil && n > 0 {
		err = checkHead(&ex.req, &ex.info)
	}
	if err != nil {
		c.reject(err)
		return 0, false
	}
	if n == 0 {
		// Views into this input must not outlive it; the head info
		// (counts, lengths seen) goes on.
		ex.req.reset()
		if fresh {
			c.state = stHead
			c.setDeadline(c.lc.srv.opts.HeaderTimeout)
		}
		return 0, true
	}
	ex.scan = headScan{}
	c.startRequest(ex)
	if !c.headersReceived(ex) {
		c.reject(errHandlerPanicked)
		return 0, false
	}
	return n, true
}

// startRequest fills in what the server knows about a parsed request.
func (c *conn) startRequest(ex *exchange) {
	r := &ex.req
	srv := c.lc.srv
	r.loop = c.lc.loop
	r.start = c.lc.loop.Time()
	r.RemoteIP = *c.ip
	r.Protocol = srv.opts.Protocol
	r.Host = "127.0.0.1"
	if ex.info.hosts > 0 {
		r.Host = view(ex.info.host)
	}
	if srv.opts.XHeaders {
		srv.applyXHeaders(r)
	}
	ex.keep = c.wantsKeepAlive(r, &ex.info)
	w := &ex.w
	w.c, w.loop = c, c.lc.loop
	w.status, w.declared = 200, -1
}

// wantsKeepAlive applies Tornado's keep-alive rule: HTTP/1.1 unless
// "Connection: close"; HTTP/1.0 only with "Connection: keep-alive" and a
// request whose end is known (a length, or GET/HEAD).
func (c *conn) wantsKeepAlive(r *Request, h *headInfo) bool {
	switch {
	case c.lc.srv.opts.NoKeepAlive || h.connClose:
		return false
	case r.Version == "HTTP/1.1":
		return true
	}
	return h.connKeep && (h.length >= 0 || r.Method == "GET" || r.Method == "HEAD")
}

// startBody sets up the body of the request whose head ends at *off and
// dispatches it if it is complete. It returns false when the request was
// refused.
func (c *conn) startBody(data []byte, off *int) bool {
	ex := c.ex
	info := &ex.info
	switch {
	case info.chunked:
		c.state = stChunked
		if *off == len(data) {
			c.continue100(ex)
		}
		return true
	case info.length > 0:
		if info.length > ex.maxBody {
			c.reject(errBodyTooLarge)
			return false
		}
		if ex.stream {
			// Delivered by process, piece by piece, from here.
			c.state = stBody
			ex.bodyLeft = info.length
			if *off == len(data) {
				c.continue100(ex)
			}
			return true
		}
		avail := int64(len(data) - *off)
		if avail >= info.length {
			end := *off + int(info.length)
			ex.req.Body = data[*off:end:end]
			*off = end
			c.dispatch(data)
			return true
		}
		// The body comes later: keep what is here, and the head.
		c.state = stBody
		ex.bodyLeft = info.length - avail
		ex.body = append(ex.body[:0], data[*off:]...)
		*off = len(data)
		if avail == 0 {
			c.continue100(ex)
		}
		return true
	}
	c.dispatch(data)
	return true
}

// continue100 answers "Expect: 100-continue" before the body is read.
func (c *conn) continue100(ex *exchange) {
	if ex.info.expect100 && ex.req.Version == "HTTP/1.1" {
		c.lc.take(c)
		c.lc.out = append(c.lc.out, "HTTP/1.1 100 Continue\r\n\r\n"...)
	}
}

// dispatch hands a complete request to the handler. If the handler
// returns without finishing, the request is detached from data so that
// it stays valid, and the connection waits for Finish.
func (c *conn) dispatch(data []byte) {
	ex := c.ex
	c.skipped = false
	if c.lc.srv.opts.Decompress && ex.info.gzip && !ex.stream {
		if err := c.lc.srv.gunzip(c.lc, ex); err != nil {
			c.reject(err)
			return
		}
	}
	c.state = stServing
	ex.inServe = true
	c.serve(ex)
	ex.inServe = false
	if ex.finished {
		if ex.panicked {
			// What the handler left running may still hold r and w:
			// they stay valid (w finished, r detached from data) and
			// are never handed to another request.
			ex.detach(data)
			return
		}
		// Finished inside ServeHTTP: the handler is done with r and w
		// now that it returned.
		c.lc.release(ex)
		return
	}
	if c.ex == ex && !ex.w.finished {
		// An asynchronous handler: the request must outlive data, and
		// the wait is the handler's (RequestTimeout, by default none).
		ex.detach(data)
		c.setDeadline(c.lc.srv.opts.RequestTimeout)
	}
}

// serve runs the handler, turning a panic into a 500 (or a close, if the
// head is out) so that the connection and the loop live on.
func (c *conn) serve(ex *exchange) {
	defer func() {
		if v := recover(); v != nil {
			c.lc.srv.opts.Logger.Error("httpserver: panic in handler", "panic", v,
				"method", ex.req.Method, "uri", ex.req.URI, "stack", string(debug.Stack()))
			c.handlerPanicked(ex)
		}
	}()
	c.lc.srv.h.ServeHTTP(&ex.w, &ex.req)
}

// handlerPanicked answers the request whose handler panicked. Before any
// of the response is out, the answer is a 500 and the connection stays
// open, as in Tornado: ServeHTTP runs only once the whole request body has
// been read, so the framing of what follows is intact. Once the head is
// out the response can't be completed: the connection is cut. Either way
// ex is retired rather than reused (dispatch), since the handler may have
// left work running that holds r and w.
func (c *conn) handlerPanicked(ex *exchange) {
	ex.panicked = true
	if c.state == stDetached && c.ex == nil {
		// It took the stream (Detach) and panicked before it could
		// hand it on or close it: nobody else will.
		c.s.Close()
		return
	}
	if c.ex != ex || ex.w.finished {
		return
	}
	if ex.w.headSent {
		ex.w.finished = true
		c.abort()
		return
	}
	w := &ex.w
	w.header.Reset()
	w.body = w.body[:0]
	w.SetStatus(500, "")
	w.Finish()
}

// finishExchange ends the current request after its response was queued:
// the connection reads the next request or closes.
//
// The exchange is reused only once the handler is done with it: when
// ServeHTTP returns, or for an asynchronous Finish, after the loop
// callback that called it, so r and w stay valid (e.g. for logging)
// until then.
func (c *conn) finishExchange() {
	ex := c.ex
	c.ex = nil
	if ex.inServe {
		ex.finished = true
	} else {
		c.lc.loop.AddCallback(ex.release)
	}
	if c.closing || c.lc.draining {
		c.state = stClosing
	} else {
		c.state = stIdle
	}
	if c.inData {
		return // HandleData goes on with the next request and flushes
	}
	// Finished later (an asynchronous handler): send now, and offer the
	// input that waited to the parser again.
	c.flush()
	if c.state == stIdle {
		if c.paused {
			c.paused = false
			c.s.ResumeReading()
		} else {
			c.s.SetRawHandler(c)
		}
	}
	c.armTimer()
}

// flush hands the output queued for c to its stream; after a final
// response it starts the lingering close.
func (c *conn) flush() {
	c.flushWith(nil)
}

func (c *conn) flushWith(cb func(error)) {
	lc := c.lc
	if lc.outConn == c {
		if len(lc.out) > 0 || cb != nil {
			c.s.Write(lc.out, cb)
		}
		lc.out = lc.out[:0]
		lc.outConn = nil
	} else if cb != nil {
		c.s.Write(nil, cb)
	}
	if c.state == stClosing && !c.lingering && !c.s.Closed() {
		c.lingering = true
		c.s.Write(nil, c.closeWrite)
		c.setDeadline(lingerTimeout)
	}
	c.watchSend()
}

// closeWrite runs when the last response has gone to the kernel: the
// server half-closes and discards input until the client closes, or the
// linger timeout.
func (c *conn) closeWrite(err error) {
	if err != nil || c.s.Closed() {
		return
	}
	if c.aborted {
		c.s.Close()
		return
	}
	_ = c.s.CloseWrite() // after close_notify, on TLS; a failure shows in the linger
	c.hasDeadline = false
	c.setDeadline(lingerTimeout)
	// Its HTTP work is done: a graceful shutdown need not wait for the
	// client to close its side.
	c.uncount()
}

// uncount takes c out of the server's count of open connections, once.
func (c *conn) uncount() {
	if !c.uncounted {
		c.uncounted = true
		c.lc.srv.connClosed()
	}
}

// reject answers a malformed request with err's status and closes.
func (c *conn) reject(err *ParseError) {
	c.lc.srv.opts.Logger.Info("httpserver: malformed HTTP message", "remote", c.remoteIP(), "status", err.Status, "reason", err.Reason)
	if ex := c.ex; ex != nil && (c.state != stServing || ex.w.finished) {
		c.ex = nil
		c.lc.release(ex)
	}
	c.lc.take(c)
	c.lc.out = appendErrorResponse(c.lc.out, err.Status)
	c.closing = true
	c.state = stClosing
	if !c.inData {
		c.flush()
	}
}

// appendErrorResponse appends the small response that answers a refused
// request: the status, an empty body, and Connection: close.
func appendErrorResponse(dst []byte, status int) []byte {
	dst = appendStatusLine(dst, status, "")
	return append(dst, "Content-Length: 0\r\nConnection: close\r\n\r\n"...)
}

// abort closes the connection at once, for an output error (the framing
// can no longer be trusted).
func (c *conn) abort() {
	c.aborted = true
	c.closing = true
	if c.lc.outConn == c {
		c.lc.out = c.lc.out[:0]
		c.lc.outConn = nil
	}
	c.s.Close()
}

// armTimer sets the deadline for what the connection waits for now.
func (c *conn) armTimer() {
	opts := &c.lc.srv.opts
	switch c.state {
	case stIdle:
		c.setDeadline(opts.IdleConnectionTimeout)
	case stHead:
		// Counted from the head's first byte: set once, in readHead.
	case stBody, stChunked:
		c.setDeadline(opts.BodyTimeout)
	case stServing:
		// Set once by dispatch; more input does not extend it.
	}
}

// setDeadline makes the current wait end d from now (d == 0: never). The
// timer is moved only when the deadline comes earlier; when it fires
// early it re-arms itself, so the common case, a later deadline, costs
// one store.
func (c *conn) setDeadline(d time.Duration) {
	if d <= 0 {
		c.hasDeadline = false
		return
	}
	d = min(d, maxTimeout)
	c.deadline = c.nowMS() + msTime(d/time.Millisecond)
	c.hasDeadline = true
	if !c.timer.Pending() || c.deadline.before(c.timerAt) {
		c.timerAt = c.deadline
		c.lc.loop.ScheduleAfter(&c.timer, d)
	}
}

// HandleTimer is the timer's handler (ioloop.TimerHandler).
func (c *conn) HandleTimer() { c.wake() }

// HandleClose is the stream's close handler (iostream.CloseHandler). The
// conn is its own handler of data, timer and close: no closure per
// connection.
func (c *conn) HandleClose() { c.wake() }

// wake runs when the timer fires or the stream has closed.
func (c *conn) wake() {
	if c.s.Closed() {
		if !c.closeDone {
			c.onClose()
		}
		return
	}
	c.onTimer()
}

// onTimer runs when the connection's timer fires: for its deadline, or
// to check on output the client is slow to take.
func (c *conn) onTimer() {
	if c.s.Closed() {
		return
	}
	now := c.nowMS()
	if c.sendWatch && c.checkSend(now) {
		return // dropped
	}
	if !c.hasDeadline || now.before(c.deadline) {
		c.rearm(now)
		return
	}
	if c.sendWatch && (c.state == stIdle || c.state == stClosing) {
		// The client is still taking a response: its time is not idle.
		// The send timeout watches it; the wait starts again once the
		// output has gone.
		c.hasDeadline = false
		c.rearm(now)
		return
	}
	c.hasDeadline = false
	switch c.state {
	case stHead, stBody, stChunked:
		if c.paused {
			// The handler holds a piece of a streamed body: not the
			// client's time. Output still pending keeps its send watch.
			c.rearm(now)
			return
		}
		// A client too slow with its request: 408, as nginx.
		c.reject(errHeaderTimeout)
	case stServing:
		c.requestTimedOut()
	default:
		// Idle keep-alive connection, or the linger after the last
		// response: close silently.
		c.s.Close()
	}
}

// sendCheckPeriod is how often the timer looks at pending output: an
// eighth of the send timeout, at most maxSendSlack. Progress is noticed
// at the check after it, so a client that stopped reading is dropped at
// most one period after SendTimeout has passed since its last byte.
func (c *conn) sendCheckPeriod() time.Duration {
	return max(min(c.lc.srv.opts.SendTimeout/8, maxSendSlack), minSendCheck)
}

// watchSend starts watching the output if some is pending: from now,
// the client must take a byte of it at least every SendTimeout.
func (c *conn) watchSend() {
	if c.sendWatch || c.lc.srv.opts.SendTimeout <= 0 || c.s.Closed() {
		return
	}
	p := c.s.PendingWrite()
	if p == 0 {
		return
	}
	// The clock now, not the loop's cached one: the handler that
	// queued the output may have run for a while in this iteration, and
	// the kernel took the first bytes just now.
	now := msTime(time.Now().UnixNano() / int64(time.Millisecond))
	c.sendWatch = true
	c.lastPending = int32(min(p, math.MaxInt32))
	c.stallSince = now
	d := c.sendCheckPeriod()
	if at := now + msTime(d/time.Millisecond); !c.timer.Pending() || at.before(c.timerAt) {
		c.timerAt = at
		c.lc.loop.ScheduleAfter(&c.timer, d)
	}
}

// checkSend is the send timeout (nginx's send_timeout): it drops the
// connection when its pending output has not shrunk for SendTimeout and
// reports whether it did. Once the output has gone, the idle or linger
// wait that the output suspended starts again.
func (c *conn) checkSend(now msTime) bool {
	p := int32(min(c.s.PendingWrite(), math.MaxInt32))
	if p == 0 {
		c.sendWatch = false
		if !c.hasDeadline && (c.state == stIdle || c.state == stClosing) {
			c.setDeadline(c.waitPeriod())
		}
		return false
	}
	if p < c.lastPending {
		c.stallSince = now // progress: the client took bytes
	}
	c.lastPending = p
	if time.Duration(now-c.stallSince)*time.Millisecond >= c.lc.srv.opts.SendTimeout {
		c.lc.srv.opts.Logger.Info("httpserver: send timeout", "remote", c.remoteIP(), "pending", p)
		c.abort()
		return true
	}
	return false
}

// rearm schedules the timer for the deadline or the next send check,
// whichever comes first.
func (c *conn) rearm(now msTime) {
	var at msTime
	ok := false
	if c.hasDeadline {
		at, ok = c.deadline, true
	}
	if c.sendWatch {
		// The next check, or the moment the output will have stalled
		// for SendTimeout if it stays put, whichever comes first.
		s := now + msTime(c.sendCheckPeriod()/time.Millisecond)
		if end := c.stallSince + msTime(c.lc.srv.opts.SendTimeout/time.Millisecond); end.before(s) {
			s = end
		}
		if !ok || s.before(at) {
			at, ok = s, true
		}
	}
	if !ok {
		return
	}
	c.timerAt = at
	c.lc.loop.ScheduleAfter(&c.timer, max(time.Duration(at-now)*time.Millisecond, 0))
}

// requestTimedOut answers a request whose handler did not finish within
// RequestTimeout with 503 (or, if its head is out, cuts the connection).
// The handler's exchange is abandoned, never reused: its later calls fail
// with ErrConnectionClosed, and its close callback runs.
func (c *conn) requestTimedOut() {
	ex := c.ex
	if ex == nil {
		return
	}
	w := &ex.w
	c.lc.srv.opts.Logger.Warn("httpserver: request timed out", "method", ex.req.Method, "uri", ex.req.URI, "remote", c.remoteIP())
	c.ex = nil
	w.c = nil
	headSent := w.headSent
	if cb := w.closeCB; cb != nil {
		w.closeCB = nil
		cb()
	}
	if headSent {
		c.abort()
		return
	}
	c.lc.take(c)
	c.lc.out = appendErrorResponse(c.lc.out, 503)
	c.closing = true
	c.state = stClosing
	c.flush()
}

// waitPeriod is the timeout of the idle and closing states.
func (c *conn) waitPeriod() time.Duration {
	if c.state == stClosing {
		return lingerTimeout
	}
	return c.lc.srv.opts.IdleConnectionTimeout
}

// onClose runs (from a loop callback) once the stream has closed.
func (c *conn) onClose() {
	c.closeDone = true
	lc := c.lc
	lc.loop.Cancel(&c.timer)
	lc.removeConn(c)
	if lc.outConn == c {
		lc.out = lc.out[:0]
		lc.outConn = nil
	}
	if ex := c.ex; ex != nil {
		c.ex = nil
		w := &ex.w
		if c.state == stServing && !w.finished {
			// The handler still holds the exchange: it is abandoned,
			// never reused; its writes now fail.
			w.c = nil
			if cb := w.closeCB; cb != nil {
				w.closeCB = nil
				cb()
			}
		} else if !ex.panicked { // a panicked handler's is retired
			lc.release(ex)
		}
	}
	c.uncount()
}

func (c *conn) String() string {
	return fmt.Sprintf("httpserver.conn(fd %d, %s)", c.s.Fd(), c.remoteIP())
}
