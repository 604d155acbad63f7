package ioloop

import (
	"sync/atomic"
	"time"
	"unsafe"
)

// What the loop is running, for the watchdog's report.
const (
	phaseNone int64 = iota
	phaseCallback
	phaseTimer
	phaseHandler
)

var phaseNames = [...]string{"", "callback", "timer", "fd handler"}

// SetActivity labels what the loop is doing (for example the route of the
// request being handled) for the watchdog's report and panic logs. The
// label is cleared at the start of each iteration. It stores the string
// without copying or allocating. Loop goroutine only.
func (l *IOLoop) SetActivity(name string) {
	p := unsafe.StringData(name)
	if p == l.actPtr && len(name) == l.actLen {
		return
	}
	l.actPtr, l.actLen = p, len(name)
	l.act.set(p, len(name))
}

// Activity returns the label last set with SetActivity in this iteration.
func (l *IOLoop) Activity() string { return l.act.get() }

func (l *IOLoop) resetActivity() {
	if l.actLen != 0 {
		l.SetActivity("")
	}
	l.where.Store(phaseNone)
}

// activity is a single-writer sequence lock over a string header, so the
// watchdog goroutine can read the label the loop stores without a data race
// and without the loop allocating.
type activity struct {
	seq atomic.Uint64
	ptr atomic.Pointer[byte]
	n   atomic.Int64
}

func (a *activity) set(p *byte, n int) {
	a.seq.Add(1)
	a.ptr.Store(p)
	a.n.Store(int64(n))
	a.seq.Add(1)
}

func (a *activity) get() string {
	for {
		s := a.seq.Load()
		if s&1 != 0 {
			continue
		}
		p, n := a.ptr.Load(), a.n.Load()
		if a.seq.Load() == s {
			if p == nil || n == 0 {
				return ""
			}
			return unsafe.String(p, int(n))
		}
	}
}

// startWatchdog starts the monitor goroutine for one run of the loop and
// returns the function that ends it.
func (l *IOLoop) startWatchdog() (stop func()) {
	if l.watchdog <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		l.monitor(done)
	}()
	return func() {
		close(done)
		<-finished
	}
}

// monitor checks the heartbeat twice per threshold (so a stall is
// reported between 1 and 1.5 thresholds in, and an idle loop costs 20
// wake-ups a second at the default) and logs each stall once, with what
// the loop was running.
func (l *IOLoop) monitor(done <-chan struct{}) {
	tick := time.NewTicker(max(l.watchdog/2, time.Millisecond))
	defer tick.Stop()
	var reported int64
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		since := l.busySince.Load()
		if since == 0 || since == reported {
			continue
		}
		stuck := time.Duration(int64(time.Since(l.epoch)) - since)
		if stuck < l.watchdog {
			continue
		}
		reported = since
		where := l.where.Load()
		phase := where >> 32
		attrs := []any{"for", stuck.Round(time.Millisecond), "activity", l.act.get()}
		if phase > 0 && int(phase) < len(phaseNames) {
			attrs = append(attrs, "running", phaseNames[phase])
		}
		if phase == phaseHandler {
			attrs = append(attrs, "fd", int32(where))
		}
		l.log.Warn("ioloop: loop blocked", attrs...)
	}
}
