package iostream

import (
	"github.com/tornago/tornago/ioloop"
	"golang.org/x/sys/unix"
)

// Write sends data: straight to the socket if nothing is pending, and
// only what the kernel did not take is copied into a pooled buffer and
// sent when the socket is writable. Write does not keep data. cb (may be
// nil) runs in a later loop callback once every byte up to the end of
// data has been handed to the kernel, or with an error wrapping
// ErrStreamClosed if the stream closes first. While more than the write
// cap is pending, the stream stops reading until it has all gone.
//
// On a TLS stream data is encrypted at once and the records are what is
// pending (so PendingWrite counts ciphertext); bytes written before the
// handshake completes wait, in plaintext, until it does.
func (s *IOStream) Write(data []byte, cb func(error)) {
	if t := s.tlsOf(); t != nil && !s.closed {
		t.write(s, data, cb)
		return
	}
	s.writeRaw(data, cb)
}

// writeRaw is Write for bytes that go to the socket as they are.
func (s *IOStream) writeRaw(data []byte, cb func(error)) {
	if s.closed {
		if cb != nil {
			err := s.closedErr()
			s.loop.AddCallback(func() { cb(err) })
		}
		return
	}
	q := s.writes
	if cb != nil && q == nil {
		// The first callback: count from here, with what is pending
		// already queued and not yet sent.
		q = &writeQueue{queued: uint64(s.wend - s.woff)}
		s.writes = q
	}
	if q != nil {
		q.queued += uint64(len(data))
		if cb != nil {
			q.list = append(q.list, writeWaiter{pos: q.queued, cb: cb})
		}
	}
	if s.wend == s.woff && len(data) > 0 {
		n, ok := s.writeFD(data)
		if !ok {
			return // closed; the waiter was failed
		}
		s.sentBytes(n)
		data = data[n:]
	}
	if len(data) > 0 {
		s.appendWrite(data)
		if s.wend-s.woff > s.maxWrite && !s.writePaused {
			s.writePaused = true
		}
		s.updateInterest()
	}
	if cb != nil && q.sent >= q.queued {
		s.queueWaiters()
	}
}

func (s *IOStream) sentBytes(n int) {
	if s.writes != nil {
		s.writes.sent += uint64(n)
	}
}

// WriteFuture is Write with a Future that resolves (on the loop) with nil
// or the error.
func (s *IOStream) WriteFuture(data []byte) *ioloop.Future {
	f := ioloop.NewFuture()
	s.Write(data, func(err error) {
		if err != nil {
			f.SetError(err)
		} else {
			f.SetResult(nil)
		}
	})
	return f
}

// PendingWrite returns the number of written bytes not yet handed to the
// kernel.
func (s *IOStream) PendingWrite() int { return int(s.wend - s.woff) }

// maxPendingWrite bounds the output a stream holds for a slow socket: its
// offsets are 32-bit to keep the struct small. Past it (2 GiB, hundreds
// of times the write cap) the stream closes with ErrBufferFull.
const maxPendingWrite = 1<<31 - 1

// appendWrite copies data behind the pending output.
func (s *IOStream) appendWrite(data []byte) {
	woff, wend := int(s.woff), int(s.wend)
	pending := wend - woff
	if len(data) > maxPendingWrite-pending {
		s.closeWith(ErrBufferFull, false)
		return
	}
	if s.wbuf == nil {
		s.wbuf = getBuf(len(data))
		woff, wend = 0, 0
	}
	b := (*s.wbuf)[:cap(*s.wbuf)]
	if len(b)-wend < len(data) {
		if len(b)-pending >= len(data) && woff > 0 {
			copy(b, b[woff:wend])
		} else {
			np := getBuf(max(2*len(b), pending+len(data)))
			nb := (*np)[:cap(*np)]
			copy(nb, b[woff:wend])
			putBuf(s.wbuf)
			s.wbuf, b = np, nb
		}
		woff, wend = 0, pending
	}
	wend += copy(b[wend:], data)
	s.woff, s.wend = int32(woff), int32(wend)
}

// onWritable sends pending output; when it has all gone it gives the
// buffer back, drops WRITE interest, resumes reading if the cap had
// paused it, and runs the completed write callbacks.
func (s *IOStream) onWritable() {
	if s.wend == s.woff {
		s.updateInterest()
		return
	}
	b := (*s.wbuf)[:cap(*s.wbuf)]
	n, ok := s.writeFD(b[s.woff:s.wend])
	if !ok {
		return
	}
	s.woff += int32(n)
	s.sentBytes(n)
	if s.woff == s.wend {
		putBuf(s.wbuf)
		s.wbuf, s.woff, s.wend = nil, 0, 0
		if s.writePaused {
			s.writePaused = false
			s.resumeDelivery()
		}
	}
	s.updateInterest()
	s.runWaiters(nil)
}

// writeFD makes one write(2). It returns false if the stream closed.
func (s *IOStream) writeFD(b []byte) (int, bool) {
	for {
		n, err := sysWrite(s.fd, b)
		switch err {
		case nil:
			return n, true
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return 0, true
		default:
			s.closeWith(err, false)
			return 0, false
		}
	}
}

// runWaiters calls the write callbacks that are complete (all of them,
// with err, when err is not nil). Callbacks may write again.
func (s *IOStream) runWaiters(err error) {
	q := s.writes
	if q == nil {
		return
	}
	for q.head < len(q.list) {
		w := q.list[q.head]
		if err == nil && w.pos > q.sent {
			break
		}
		q.list[q.head] = writeWaiter{}
		q.head++
		w.cb(err)
	}
	if q.head == len(q.list) {
		q.list, q.head = q.list[:0], 0
	}
}
