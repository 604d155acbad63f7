package ioloop

import "time"

// A Timer is a re-armable, allocation-free timer owned by one loop, for
// per-connection deadlines (idle, header and body timeouts). Its zero
// value is ready after Init; it may be embedded in a connection struct.
//
//	var t ioloop.Timer
//	t.Init(c.onTimeout)
//	l.Schedule(&t, l.Time().Add(75*time.Second)) // re-arming moves it
//	l.Cancel(&t)
//
// A Timer must only be used from its loop's goroutine and with one loop.
//
// A connection type may implement TimerHandler and pass itself to
// InitHandler instead of a method value to Init: one closure fewer per
// connection.
type Timer struct {
	h     TimerHandler
	when  int64  // nanoseconds since the loop's epoch
	seq   uint32 // arming order, for FIFO among equal deadlines (compared by difference)
	index int32  // position in the heap + 1; 0 when idle; setAside while runTimers holds it
}

// A TimerHandler is what a Timer set up by InitHandler calls.
type TimerHandler interface {
	// HandleTimer runs on the loop when the timer fires.
	HandleTimer()
}

// timerFunc adapts Init's function to TimerHandler (a func value is
// pointer-shaped: the conversion does not allocate).
type timerFunc func()

func (f timerFunc) HandleTimer() { f() }

// setAside marks a due timer that runTimers took out of the heap because it
// was re-armed during the current pass; it goes back in after the pass.
const setAside = -1

// Init sets the function the timer calls when it fires.
func (t *Timer) Init(fn func()) {
	if fn == nil {
		t.h = nil
		return
	}
	t.h = timerFunc(fn)
}

// InitHandler sets what the timer calls when it fires: h.HandleTimer.
func (t *Timer) InitHandler(h TimerHandler) { t.h = h }

// Pending reports whether the timer is scheduled and has not fired.
func (t *Timer) Pending() bool { return t.index != 0 }

// Schedule arms t to fire at deadline, moving it if it is already armed.
// A deadline in the past fires in the next iteration. No allocation.
func (l *IOLoop) Schedule(t *Timer, deadline time.Time) {
	l.scheduleAt(t, int64(deadline.Sub(l.epoch)))
}

// ScheduleAfter arms t to fire d after the loop's cached time.
func (l *IOLoop) ScheduleAfter(t *Timer, d time.Duration) {
	l.scheduleAt(t, l.nowNanos+int64(d))
}

func (l *IOLoop) scheduleAt(t *Timer, when int64) {
	l.timeSeq++
	t.when = when
	t.seq = l.timeSeq
	if t.index == setAside {
		return // runTimers puts it back with these values
	}
	if t.index > 0 {
		l.timers.fix(int(t.index - 1))
		return
	}
	l.timers.push(t)
}

// Cancel disarms t. Cancelling a timer that is not armed does nothing.
func (l *IOLoop) Cancel(t *Timer) {
	if t == nil || t.index == 0 {
		return
	}
	if t.index == setAside {
		t.index = 0 // runTimers will not put it back
		return
	}
	l.timers.remove(int(t.index - 1))
}

// A Timeout is the handle CallLater and CallAt return, for RemoveTimeout.
type Timeout struct {
	t Timer
}

// CallLater runs fn on the loop d after the loop's cached time.
func (l *IOLoop) CallLater(d time.Duration, fn func()) *Timeout {
	to := &Timeout{}
	to.t.Init(fn)
	l.ScheduleAfter(&to.t, d)
	return to
}

// CallAt runs fn on the loop at (or soon after) t.
func (l *IOLoop) CallAt(t time.Time, fn func()) *Timeout {
	to := &Timeout{}
	to.t.Init(fn)
	l.Schedule(&to.t, t)
	return to
}

// RemoveTimeout cancels to. It is safe on nil and after the timeout fired.
func (l *IOLoop) RemoveTimeout(to *Timeout) {
	if to != nil {
		l.Cancel(&to.t)
	}
}

// runTimers runs the timers due at the cached time, at most
// maxTimersPerIteration of them (the rest run after the next poll, which
// does not block while they are due). Timers armed while
// they run (even for a time already past) wait for the next iteration, so
// a timer that re-arms itself cannot hold the loop, nor hide the due
// timers beneath it in the heap.
func (l *IOLoop) runTimers() {
	if len(l.timers) == 0 {
		return
	}
	limit := l.timeSeq
	for ran := 0; len(l.timers) > 0 && ran < maxTimersPerIteration; {
		t := l.timers[0]
		if t.when > l.nowNanos {
			break
		}
		l.timers.remove(0)
		if int32(t.seq-limit) > 0 {
			t.index = setAside // armed during this pass
			l.rearmed = append(l.rearmed, t)
			continue
		}
		if t.h != nil {
			l.where.Store(phaseTimer << 32)
			l.runTimer(t.h)
		}
		ran++
	}
	for i, t := range l.rearmed {
		if t.index == setAside { // not cancelled since
			l.timers.push(t)
		}
		l.rearmed[i] = nil
	}
	l.rearmed = l.rearmed[:0]
}

// timerHeap is a binary min-heap ordered by (when, seq). Each timer knows
// its index, so re-arming and cancelling are O(log n) without lazy
// deletion or allocation.
type timerHeap []*Timer

// minShrinkCap is the capacity below which the timer heap is never
// shrunk: 256 timers are 2 KiB, not worth copying for.
const minShrinkCap = 256

func (h timerHeap) less(i, j int) bool {
	a, b := h[i], h[j]
	// seq wraps: compared by difference, it orders timers armed within
	// 2^31 armings of each other, which equal deadlines are in practice.
	return a.when < b.when || (a.when == b.when && int32(a.seq-b.seq) < 0)
}

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = int32(i + 1)
	h[j].index = int32(j + 1)
}

func (h *timerHeap) push(t *Timer) {
	*h = append(*h, t)
	i := len(*h) - 1
	t.index = int32(i + 1)
	h.up(i)
}

func (h *timerHeap) remove(i int) {
	old := *h
	n := len(old) - 1
	t := old[i]
	if i != n {
		old.swap(i, n)
	}
	old[n] = nil
	*h = old[:n]
	if n < cap(old)/4 && cap(old) > minShrinkCap {
		// A burst of timers (10,000 connections' deadlines) is over:
		// give most of the array back rather than keep its peak.
		*h = append(make(timerHeap, 0, cap(old)/2), old[:n]...)
	}
	t.index = 0
	if i != n {
		if !h.down(i) {
			h.up(i)
		}
	}
}

func (h *timerHeap) fix(i int) {
	if !h.down(i) {
		h.up(i)
	}
}

func (h timerHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

// down sifts i toward the leaves and reports whether it moved.
func (h timerHeap) down(i0 int) bool {
	i, n := i0, len(h)
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		j := l
		if r := l + 1; r < n && h.less(r, l) {
			j = r
		}
		if !h.less(j, i) {
			break
		}
		h.swap(i, j)
		i = j
	}
	return i > i0
}
