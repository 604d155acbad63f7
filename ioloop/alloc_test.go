//go:build !race

package ioloop

import (
	"testing"
	"time"
)

// The per-connection and per-request paths of the loop allocate nothing.
func TestLoopPathsDoNotAllocate(t *testing.T) {
	l := newTestLoop(t)
	var tm Timer
	fn := func() {}
	tm.Init(fn)
	l.AddCallback(fn) // grow the queue once
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"Timer re-arm", func() { l.ScheduleAfter(&tm, time.Minute); l.ScheduleAfter(&tm, time.Second) }},
		{"Timer schedule+cancel", func() { l.Schedule(&tm, l.Time().Add(time.Second)); l.Cancel(&tm) }},
		{"SetActivity", func() { l.SetActivity("GET /a"); l.SetActivity("GET /b") }},
		{"Time", func() { _ = l.Time() }},
		{"UpdateHandler unchanged", func() { l.UpdateHandler(l.waker.fd(), READ) }},
	} {
		if n := testing.AllocsPerRun(1000, tc.f); n != 0 {
			t.Errorf("%s allocates %.1f times", tc.name, n)
		}
	}
	l.Cancel(&tm)
}

// A loop iteration that runs a queued callback and a timer allocates
// nothing once its slices have grown. (The watchdog is off: each Start
// starts its goroutine, which a long-running loop does once.)
func TestIterationDoesNotAllocate(t *testing.T) {
	l := newTestLoop(t, WithWatchdog(0))
	var tm Timer
	step := func() {}
	tm.Init(step)
	stop := l.Stop
	iterate := func() {
		l.ScheduleAfter(&tm, 0)
		l.AddCallback(step)
		l.AddCallback(stop)
		l.Start()
	}
	iterate()
	if n := testing.AllocsPerRun(200, iterate); n != 0 {
		t.Fatalf("an iteration allocates %.1f times", n)
	}
}
