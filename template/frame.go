package template

import (
	"io"
	"math"
	"sync"
)

const (
	// flushThreshold is how much output Execute buffers before writing to
	// its io.Writer: large enough that a socket sees few writes, small
	// enough that a huge page never sits whole in memory.
	flushThreshold = 32 << 10

	// maxPooledBuffer is the largest output buffer kept for reuse between
	// renders. Tornado's bigtable page is 343 KB; pages beyond 4 MiB are
	// rare enough to allocate afresh rather than pin that much per pool slot.
	maxPooledBuffer = 4 << 20

	noFlush = math.MaxInt
)

// ctl is how a compiled statement ends: normally, by break or continue, or
// with an error stored in the frame.
type ctl uint8

const (
	ctlNext ctl = iota
	ctlBreak
	ctlContinue
	ctlErr
)

// execFn runs one compiled statement; evalFn evaluates one expression.
type (
	execFn func(fr *frame) ctl
	evalFn func(fr *frame) (value, error)
)

// frame is the state of one render: the output buffer, local variable
// slots, the resolved global names and scratch stacks. Frames are pooled;
// compiled templates hold no per-render state, so one template renders on
// many goroutines at once.
type frame struct {
	buf      []byte
	locals   []value
	globals  []value
	args     []value    // stack of call arguments being built
	loopKeys [][]string // per for loop: the sorted keys of the last map it iterated
	tmp      []byte     // scratch for printing values that need escaping
	w        io.Writer
	flushAt  int
	err      error // the error when a statement returned ctlErr
	werr     error // a write error from streaming output; not catchable
	cur      *srcPos
}

var framePool = sync.Pool{New: func() any { return &frame{buf: make([]byte, 0, 4096)} }}

func getFrame() *frame { return framePool.Get().(*frame) }

func putFrame(fr *frame) {
	clear(fr.locals)
	clear(fr.globals)
	clear(fr.args[:cap(fr.args)])
	fr.args = fr.args[:0]
	for i, k := range fr.loopKeys[:cap(fr.loopKeys)] {
		clear(k)
		fr.loopKeys[:cap(fr.loopKeys)][i] = k[:0]
	}
	fr.w, fr.err, fr.werr, fr.cur = nil, nil, nil, nil
	if cap(fr.buf) > maxPooledBuffer {
		fr.buf = make([]byte, 0, 4096)
	}
	fr.buf = fr.buf[:0]
	framePool.Put(fr)
}

// srcPos is where a statement came from, for error messages.
type srcPos struct {
	where string // "entry.html:4 (via base.html:20)"
	code  string // "{{ user.name }}"
}

// fail records err as the statement's error, with its position.
func (fr *frame) fail(err error, pos *srcPos) ctl {
	fr.err = &RenderError{Where: pos.where, Code: pos.code, Err: err}
	return ctlErr
}

// flush writes the buffered output to the writer (Execute only).
func (fr *frame) flush() ctl {
	if fr.w == nil || len(fr.buf) == 0 {
		return ctlNext
	}
	_, err := fr.w.Write(fr.buf)
	fr.buf = fr.buf[:0]
	if err != nil {
		fr.werr = err
		fr.err = err
		return ctlErr
	}
	return ctlNext
}

// pushArg pushes onto the argument stack: calls evaluate their arguments
// there, so a call does not allocate an argument slice.
func (fr *frame) pushArg(v value) { fr.args = append(fr.args, v) }
