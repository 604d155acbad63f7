package iostream

import (
	"bytes"
	"fmt"

	"golang.org/x/sys/unix"
)

// ReadUntil calls cb with the input up to and including delim. If delim is
// not found within maxBytes (0: no limit) the stream is closed and cb gets
// an error wrapping ErrUnsatisfiableRead. data is valid only during cb.
func (s *IOStream) ReadUntil(delim []byte, maxBytes int, cb func(data []byte, err error)) {
	if !s.canBeginRead(cb) {
		return
	}
	rd := s.readState()
	s.kind, rd.delim, rd.n, rd.cb = readUntil, delim, maxBytes, cb
	s.afterBeginRead()
}

// ReadBytes calls cb with the next n bytes; with partial, with whatever is
// available as soon as anything is (at most n). data is valid only
// during cb.
func (s *IOStream) ReadBytes(n int, partial bool, cb func(data []byte, err error)) {
	if !s.canBeginRead(cb) {
		return
	}
	if n <= 0 {
		s.loop.AddCallback(func() { cb(nil, nil) })
		return
	}
	rd := s.readState()
	s.kind, rd.n, s.partial, rd.cb = readBytes, n, partial, cb
	s.afterBeginRead()
}

// ReadBytesStreaming delivers the next n bytes to chunk as they arrive
// (each slice valid only during its call), then calls done(nil); if the
// stream closes first, done gets the error.
func (s *IOStream) ReadBytesStreaming(n int, chunk func([]byte), done func(error)) {
	if s.kind != readNone {
		s.loop.AddCallback(func() { done(ErrReadPending) })
		return
	}
	if n <= 0 {
		s.loop.AddCallback(func() { done(nil) })
		return
	}
	rd := s.readState()
	s.kind, rd.n, rd.chunk, rd.done = readStreaming, n, chunk, done
	s.afterBeginRead()
}

// ReadUntilClose calls cb with all input up to the peer closing the
// stream (or the stream closing for any reason). data is valid only
// during cb.
func (s *IOStream) ReadUntilClose(cb func(data []byte, err error)) {
	if !s.canBeginRead(cb) {
		return
	}
	s.kind, s.readState().cb = readUntilClose, cb
	s.afterBeginRead()
}

// SetDataHandler puts the stream in raw mode: fn gets every unconsumed
// byte (the retained tail and new input, contiguous) and returns how many
// it consumed; the stream keeps the rest and offers it again, with more,
// on the next call, once more input has arrived (or ResumeReading). fn
// should consume all it can; if it leaves raw mode (SetDataHandler(nil)
// and another read), the rest goes to that read at once. A nil fn leaves
// raw mode. The slice is valid only during the call. Raw mode counts as a
// pending read.
func (s *IOStream) SetDataHandler(fn func(data []byte) (consumed int)) {
	if fn == nil {
		s.SetRawHandler(nil)
		return
	}
	s.SetRawHandler(RawHandlerFunc(fn))
}

// SetRawHandler is SetDataHandler with an interface: h.HandleData gets
// the input. A connection type that implements RawHandler needs no
// closure. A nil h leaves raw mode.
func (s *IOStream) SetRawHandler(h RawHandler) {
	if h == nil {
		if s.kind == readRaw {
			s.kind, s.raw = readNone, nil
			s.updateInterest()
		}
		return
	}
	s.kind, s.raw = readRaw, h
	s.afterBeginRead()
}

// readState returns the pending read's parameters, made on first use.
func (s *IOStream) readState() *readState {
	if s.rd == nil {
		s.rd = &readState{}
	}
	return s.rd
}

// PauseReading stops reading from the socket and delivering input until
// ResumeReading.
func (s *IOStream) PauseReading() {
	if s.userPaused || s.closed {
		return
	}
	s.userPaused = true
	s.updateInterest()
}

// ResumeReading undoes PauseReading; input retained meanwhile is
// delivered from a loop callback.
func (s *IOStream) ResumeReading() {
	if !s.userPaused {
		return
	}
	s.userPaused = false
	s.resumeDelivery()
}

// resumeDelivery hands retained input to the pending read, if any, and
// restores read interest.
func (s *IOStream) resumeDelivery() {
	if s.roff < s.rend && s.kind != readNone && !s.processing {
		s.scheduleProcess()
	}
	s.updateInterest()
}

func (s *IOStream) canBeginRead(cb func([]byte, error)) bool {
	if s.kind != readNone {
		s.loop.AddCallback(func() { cb(nil, ErrReadPending) })
		return false
	}
	return true
}

// afterBeginRead satisfies a new read from retained input (in a loop
// callback, never inside the call that started it) or waits for input.
func (s *IOStream) afterBeginRead() {
	if s.processing {
		return // the consume loop on the stack picks it up
	}
	if s.roff < s.rend || s.closed {
		s.scheduleProcess()
	}
	s.updateInterest()
}

// deliveryPaused reports whether input must wait (user pause or the write
// cap).
func (s *IOStream) deliveryPaused() bool { return s.userPaused || s.writePaused }

// runProcess offers retained input to the pending read; on a closed
// stream it then fails the read if the input did not satisfy it.
func (s *IOStream) runProcess() {
	s.procQueued = false
	if s.kind == readNone || s.deliveryPaused() {
		return
	}
	if s.roff < s.rend {
		p := s.rbuf
		rest := s.consume((*p)[s.roff:s.rend])
		if s.rbuf == p { // not released by a Close inside consume
			s.roff = s.rend - int32(len(rest))
			if s.roff == s.rend {
				s.releaseRead()
			}
		}
	}
	if s.closed {
		s.failRead(true)
		return
	}
	s.updateInterest()
}

// consume hands data to the pending reads for as long as they take it and
// returns the rest.
func (s *IOStream) consume(data []byte) []byte {
	s.processing = true
	defer func() {
		s.processing = false
		if r := recover(); r != nil {
			// A callback panicked mid-protocol: the stream's state is
			// unknown, so close it, and let the loop log the panic.
			s.closeWith(fmt.Errorf("iostream: read callback panicked: %v", r), false)
			panic(r)
		}
	}()
	for len(data) > 0 && !s.deliveryPaused() && (!s.closed || s.eof) {
		switch s.kind {
		case readRaw:
			n := s.raw.HandleData(data)
			data = data[min(max(n, 0), len(data)):]
			if s.kind == readRaw {
				return data // what is left is incomplete: wait for more
			}
		case readUntil:
			rd := s.rd
			start := max(0, rd.scanned-len(rd.delim)+1)
			i := bytes.Index(data[start:], rd.delim)
			if i < 0 || len(rd.delim) == 0 {
				rd.scanned = len(data)
				if rd.n > 0 && len(data) > rd.n {
					s.closeWith(ErrUnsatisfiableRead, false)
				}
				return data
			}
			end := start + i + len(rd.delim)
			if rd.n > 0 && end > rd.n {
				s.closeWith(ErrUnsatisfiableRead, false)
				return data
			}
			cb := rd.cb
			s.clearRead()
			cb(data[:end], nil)
			data = data[end:]
		case readBytes:
			rd := s.rd
			if len(data) < rd.n && !s.partial {
				return data
			}
			m := min(rd.n, len(data))
			cb := rd.cb
			s.clearRead()
			cb(data[:m], nil)
			data = data[m:]
		case readStreaming:
			rd := s.rd
			m := min(rd.n, len(data))
			rd.n -= m
			chunk, done := rd.chunk, rd.done
			if rd.n > 0 {
				done = nil
			} else {
				s.clearRead()
			}
			chunk(data[:m])
			data = data[m:]
			if done != nil {
				done(nil)
			}
		default: // readNone, readUntilClose: keep everything
			return data
		}
	}
	return data
}

func (s *IOStream) clearRead() {
	s.kind, s.raw, s.partial = readNone, nil, false
	if rd := s.rd; rd != nil {
		*rd = readState{}
	}
}

// failRead ends the pending read of a closed stream at once, so a new
// read may start: ReadUntilClose gets the retained input, the others the
// close error. The callback runs now if direct (the caller is a loop
// callback of the stream's own), else in a later loop callback.
func (s *IOStream) failRead(direct bool) {
	kind := s.kind
	var cb func([]byte, error)
	var done func(error)
	if rd := s.rd; rd != nil {
		cb, done = rd.cb, rd.done
	}
	s.clearRead()
	err := s.closedErr()
	var call func()
	switch kind {
	case readUntilClose:
		var data []byte
		if s.roff < s.rend {
			data = (*s.rbuf)[s.roff:s.rend]
			if !direct {
				data = append([]byte(nil), data...)
			}
		}
		call = func() { cb(data, nil) }
	case readUntil, readBytes:
		call = func() { cb(nil, err) }
	case readStreaming:
		call = func() { done(err) }
	default:
		return
	}
	if direct {
		call()
	} else {
		s.loop.AddCallback(call)
	}
	if kind == readUntilClose {
		s.releaseRead()
	}
}

// releaseRead gives the retained-input buffer back to its pool.
func (s *IOStream) releaseRead() {
	putBuf(s.rbuf)
	s.rbuf, s.roff, s.rend = nil, 0, 0
}

// onReadable reads once per readiness event, again only while each read
// fills the buffer.
func (s *IOStream) onReadable() {
	for range maxReadsPerEvent {
		again := s.readOnce()
		if s.closed {
			return
		}
		s.updateInterest()
		if !again || s.events&inRead == 0 {
			return
		}
	}
}

// readOnce makes one read(2) and hands the input to the pending read. It
// reports whether the read filled the space it was given.
func (s *IOStream) readOnce() bool {
	shared := s.loop.ReadBuffer()
	t := int(s.rend - s.roff)
	if t <= len(shared)/2 {
		// Read into the shared buffer behind room for the retained
		// tail, then put the tail in front: the consumer sees one
		// contiguous slice, and the stream holds no buffer unless bytes
		// are left over.
		space := shared[t:]
		n, ok := s.readFD(space)
		if !ok {
			return false
		}
		if t > 0 {
			copy(shared, (*s.rbuf)[s.roff:s.rend])
			s.releaseRead()
		}
		rest := s.consume(shared[:t+n])
		if s.closed {
			return false
		}
		if len(rest) > 0 {
			s.retain(rest)
		}
		return n == len(space)
	}

	// A large retained input: read straight into its buffer.
	p := s.rbuf
	b := (*p)[:cap(*p)]
	minSpace := len(shared) / 2
	if len(b)-int(s.rend) < minSpace {
		if len(b)-t >= 2*minSpace {
			copy(b, b[s.roff:s.rend])
		} else {
			np := getBuf(max(2*len(b), t+len(shared)))
			nb := (*np)[:cap(*np)]
			copy(nb, b[s.roff:s.rend])
			putBuf(p)
			p, b, s.rbuf = np, nb, np
		}
		s.roff, s.rend = 0, int32(t)
	}
	space := b[s.rend:]
	n, ok := s.readFD(space)
	if !ok {
		return false
	}
	s.rend += int32(n)
	rest := s.consume(b[s.roff:s.rend])
	if s.closed || s.rbuf != p {
		return false
	}
	s.roff = s.rend - int32(len(rest))
	if s.roff == s.rend {
		s.releaseRead()
	} else if s.rend-s.roff > s.maxRead {
		s.closeWith(ErrBufferFull, false)
		return false
	}
	return n == len(space)
}

// retain copies rest (a view of the shared buffer) into a pooled buffer.
func (s *IOStream) retain(rest []byte) {
	if len(rest) > int(s.maxRead) {
		s.closeWith(ErrBufferFull, false)
		return
	}
	p := getBuf(len(rest))
	*p = append((*p)[:0], rest...)
	s.rbuf, s.roff, s.rend = p, 0, int32(len(rest))
}

// readFD reads into b. It returns false, having dealt with it, on
// EAGAIN (nothing), end of input (close keeping retained input) and
// errors (close).
func (s *IOStream) readFD(b []byte) (int, bool) {
	if t := s.tlsOf(); t != nil {
		return t.read(s, b)
	}
	return s.readRawFD(b)
}

// readRawFD is readFD for the socket's own bytes.
func (s *IOStream) readRawFD(b []byte) (int, bool) {
	for {
		n, err := sysRead(s.fd, b)
		switch {
		case err == nil && n > 0:
			return n, true
		case err == nil:
			s.closeWith(nil, true)
			return 0, false
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			return 0, false
		default:
			s.closeWith(err, false)
			return 0, false
		}
	}
}
