package ioloop

import (
	"math/rand/v2"
	"time"
)

// A PeriodicCallback calls a function every interval on a loop, as
// Tornado's PeriodicCallback does: runs that were missed (because the loop
// was busy) are skipped to stay on schedule, and a jitter of j varies each
// interval by ±j/2 of itself. Start, Stop and IsRunning must be called on
// the loop goroutine (or before Start).
type PeriodicCallback struct {
	loop     *IOLoop
	fn       func()
	interval time.Duration
	jitter   float64
	running  bool
	next     int64 // deadline of the next run, nanos since the loop epoch
	timer    Timer
}

// NewPeriodicCallback returns a stopped PeriodicCallback. An interval of
// zero or less is treated as one millisecond.
func NewPeriodicCallback(l *IOLoop, fn func(), interval time.Duration, jitter float64) *PeriodicCallback {
	if interval <= 0 {
		interval = time.Millisecond
	}
	p := &PeriodicCallback{loop: l, fn: fn, interval: interval, jitter: jitter}
	p.timer.Init(p.run)
	return p
}

// Start schedules the first run one interval from now.
func (p *PeriodicCallback) Start() {
	if p.running {
		return
	}
	p.running = true
	p.next = p.loop.nowNanos
	p.scheduleNext()
}

// Stop cancels future runs.
func (p *PeriodicCallback) Stop() {
	p.running = false
	p.loop.Cancel(&p.timer)
}

// IsRunning reports whether the callback is started.
func (p *PeriodicCallback) IsRunning() bool { return p.running }

func (p *PeriodicCallback) run() {
	if !p.running {
		return
	}
	// Schedule before calling, so a panic in fn does not end the series.
	p.scheduleNext()
	p.fn()
}

func (p *PeriodicCallback) scheduleNext() {
	step := float64(p.interval)
	if p.jitter != 0 {
		step *= 1 + p.jitter*(rand.Float64()-0.5)
	}
	now := p.loop.nowNanos
	if p.next <= now {
		missed := float64(now-p.next) / step
		p.next += int64((float64(int64(missed)) + 1) * step)
	} else {
		p.next += int64(step)
	}
	p.loop.scheduleAt(&p.timer, p.next)
}
