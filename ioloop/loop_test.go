package ioloop

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func newTestLoop(t *testing.T, opts ...Option) *IOLoop {
	t.Helper()
	l, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// runFor runs l until it stops, failing the test if that takes longer
// than limit.
func runFor(t *testing.T, l *IOLoop, limit time.Duration) {
	t.Helper()
	to := l.CallLater(limit, func() { t.Errorf("loop still running after %v", limit); l.Stop() })
	if err := l.Start(); err != nil {
		t.Fatal(err)
	}
	l.RemoveTimeout(to)
}

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func testLogger() (*slog.Logger, *syncBuffer) {
	var buf syncBuffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

func TestEventString(t *testing.T) {
	for _, tc := range []struct {
		e    Event
		want string
	}{{0, "0"}, {READ, "READ"}, {READ | WRITE, "READ|WRITE"}, {ERROR, "ERROR"}} {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("%#x.String() = %q, want %q", uint32(tc.e), got, tc.want)
		}
	}
}

func TestTimersFireInOrder(t *testing.T) {
	l := newTestLoop(t)
	var got []int
	for _, d := range []int{30, 10, 20, 10, 0} {
		l.CallLater(time.Duration(d)*time.Millisecond, func() { got = append(got, d) })
	}
	l.CallLater(50*time.Millisecond, l.Stop)
	runFor(t, l, 5*time.Second)
	want := []int{0, 10, 10, 20, 30}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestTimersNotEarly(t *testing.T) {
	l := newTestLoop(t)
	start := time.Now()
	var fired time.Duration
	l.CallLater(30*time.Millisecond, func() { fired = time.Since(start); l.Stop() })
	runFor(t, l, 5*time.Second)
	if fired < 29*time.Millisecond {
		t.Fatalf("30ms timer fired after %v", fired)
	}
}

func TestCallAt(t *testing.T) {
	l := newTestLoop(t)
	var order []string
	now := time.Now()
	l.CallAt(now.Add(20*time.Millisecond), func() { order = append(order, "later"); l.Stop() })
	l.CallAt(now.Add(-time.Hour), func() { order = append(order, "past") })
	runFor(t, l, 5*time.Second)
	if strings.Join(order, ",") != "past,later" {
		t.Fatalf("order %v", order)
	}
}

func TestRemoveTimeout(t *testing.T) {
	l := newTestLoop(t)
	fired := map[string]bool{}
	a := l.CallLater(10*time.Millisecond, func() { fired["a"] = true })
	b := l.CallLater(20*time.Millisecond, func() { fired["b"] = true })
	c := l.CallLater(0, func() { fired["c"] = true })
	l.RemoveTimeout(b)
	l.RemoveTimeout(b) // twice is fine
	l.RemoveTimeout(nil)
	l.CallLater(40*time.Millisecond, func() {
		l.RemoveTimeout(a) // after it fired
		l.RemoveTimeout(c)
		l.Stop()
	})
	runFor(t, l, 5*time.Second)
	if !fired["a"] || fired["b"] || !fired["c"] {
		t.Fatalf("fired %v, want a and c", fired)
	}
	if len(l.timers) != 0 {
		t.Fatalf("%d timers left in the heap", len(l.timers))
	}
}

func TestTimerRearmAndCancel(t *testing.T) {
	l := newTestLoop(t)
	var tm Timer
	n := 0
	tm.Init(func() { n++ })
	if tm.Pending() {
		t.Fatal("zero timer is pending")
	}
	l.ScheduleAfter(&tm, time.Hour)
	if !tm.Pending() {
		t.Fatal("armed timer not pending")
	}
	l.ScheduleAfter(&tm, 10*time.Millisecond) // moves it earlier
	l.CallLater(30*time.Millisecond, func() {
		if tm.Pending() || n != 1 {
			t.Errorf("after firing: pending=%v runs=%d", tm.Pending(), n)
		}
		l.ScheduleAfter(&tm, 10*time.Millisecond)
		l.Cancel(&tm)
		l.Cancel(&tm)
		l.CallLater(30*time.Millisecond, l.Stop)
	})
	runFor(t, l, 5*time.Second)
	if n != 1 {
		t.Fatalf("timer ran %d times, want 1", n)
	}
}

func TestTimerHeapRandomOps(t *testing.T) {
	l := newTestLoop(t)
	ts := make([]Timer, 200)
	for i := range ts {
		l.scheduleAt(&ts[i], int64((i*7919)%1000))
	}
	for i := 0; i < len(ts); i += 3 {
		l.Cancel(&ts[i])
	}
	for i := 1; i < len(ts); i += 5 {
		l.scheduleAt(&ts[i], int64((i*31)%1000))
	}
	var last int64 = -1
	for len(l.timers) > 0 {
		tm := l.timers[0]
		if tm.when < last {
			t.Fatalf("heap out of order: %d after %d", tm.when, last)
		}
		last = tm.when
		l.timers.remove(0)
		if tm.index != 0 {
			t.Fatal("removed timer still has an index")
		}
	}
}

func TestSelfRearmingTimerDoesNotHoldLoop(t *testing.T) {
	l := newTestLoop(t)
	var tm Timer
	spins := 0
	tm.Init(func() {
		spins++
		l.Schedule(&tm, time.Time{}) // in the past: due again at once
	})
	l.ScheduleAfter(&tm, 0)
	ran := false
	l.AddCallback(func() {
		l.CallLater(20*time.Millisecond, func() { ran = true; l.Cancel(&tm); l.Stop() })
	})
	runFor(t, l, 5*time.Second)
	if !ran || spins == 0 {
		t.Fatalf("ran=%v spins=%d", ran, spins)
	}
}

// TestManyDueTimersDoNotHoldIO: thousands of timers due at once (idle
// connections timing out together) run in slices, and a descriptor that
// is ready meanwhile is served before the last of them fires.
func TestManyDueTimersDoNotHoldIO(t *testing.T) {
	const n = 8 * maxTimersPerIteration
	l := newTestLoop(t)
	r, w := pipe(t)
	fired, firedAtIO := 0, -1
	l.AddCallback(func() {
		for range n {
			l.CallLater(0, func() {
				fired++
				if fired == 1 { // the descriptor becomes ready mid-pass
					if _, err := unix.Write(w, []byte("x")); err != nil {
						t.Error(err)
					}
				}
				if fired == n {
					l.Stop()
				}
			})
		}
		err := l.AddHandler(r, HandlerFunc(func(fd int, ev Event) {
			var b [8]byte
			unix.Read(fd, b[:])
			firedAtIO = fired
			l.RemoveHandler(fd)
		}), READ)
		if err != nil {
			t.Error(err)
		}
	})
	runFor(t, l, 10*time.Second)
	if fired != n {
		t.Fatalf("%d of %d timers fired", fired, n)
	}
	if firedAtIO < 0 || firedAtIO >= n {
		t.Fatalf("ready descriptor served after %d of %d due timers; want before the last", firedAtIO, n)
	}
	t.Logf("descriptor served after %d of %d due timers", firedAtIO, n)
}

func TestTimeCachedPerIteration(t *testing.T) {
	l := newTestLoop(t)
	var a, b time.Time
	l.AddCallback(func() { a = l.Time() })
	l.AddCallback(func() { time.Sleep(2 * time.Millisecond); b = l.Time(); l.Stop() })
	runFor(t, l, 5*time.Second)
	if !a.Equal(b) {
		t.Fatalf("Time changed within one iteration: %v then %v", a, b)
	}
	if d := time.Since(a); d < 0 || d > time.Second {
		t.Fatalf("Time is %v away from the clock", d)
	}
}

func TestAddCallbackFromGoroutines(t *testing.T) {
	l := newTestLoop(t)
	const G, N = 8, 1000
	count := 0
	var wg sync.WaitGroup
	for range G {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range N {
				l.AddCallback(func() {
					count++
					if count == G*N {
						l.Stop()
					}
				})
			}
		}()
	}
	done := make(chan error)
	go func() { done <- l.Start() }()
	wg.Wait()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("loop did not stop")
	}
	if count != G*N {
		t.Fatalf("ran %d callbacks, want %d", count, G*N)
	}
}

func TestCallbackOrderAndNesting(t *testing.T) {
	l := newTestLoop(t)
	var got []int
	l.AddCallback(func() {
		got = append(got, 1)
		l.AddCallback(func() { got = append(got, 3); l.Stop() })
	})
	l.AddCallback(func() { got = append(got, 2) })
	runFor(t, l, 5*time.Second)
	if len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("order %v", got)
	}
}

func TestStopFromAnotherGoroutine(t *testing.T) {
	l := newTestLoop(t)
	done := make(chan error)
	go func() { done <- l.Start() }()
	for !l.Running() {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond) // let it block in epoll_wait
	l.Stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Stop did not wake the loop")
	}
	if l.Running() {
		t.Fatal("Running after Start returned")
	}
}

func TestStopBeforeStartAndRestart(t *testing.T) {
	l := newTestLoop(t)
	l.Stop()
	ran := false
	l.AddCallback(func() { ran = true })
	if err := l.Start(); err != nil { // returns at once
		t.Fatal(err)
	}
	if ran {
		t.Fatal("callback ran although Stop came first")
	}
	l.AddCallback(l.Stop)
	runFor(t, l, 5*time.Second)
	if !ran {
		t.Fatal("callback queued before the restart did not run")
	}
}

func TestStartTwiceAndAfterClose(t *testing.T) {
	l := newTestLoop(t)
	var second error
	l.AddCallback(func() { second = l.Start(); l.Stop() })
	runFor(t, l, 5*time.Second)
	if !errors.Is(second, ErrRunning) {
		t.Fatalf("nested Start: %v, want ErrRunning", second)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := l.Start(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Start after Close: %v", err)
	}
	l.AddCallback(func() {}) // dropped, no panic
	l.Stop()
}

func TestPanicsAreIsolated(t *testing.T) {
	log, buf := testLogger()
	l := newTestLoop(t, WithLogger(log))
	r, w := pipe(t)
	steps := 0
	l.AddHandler(r, HandlerFunc(func(fd int, ev Event) {
		var b [16]byte
		unix.Read(fd, b[:])
		steps++
		panic("handler boom")
	}), READ)
	l.AddCallback(func() {
		l.SetActivity("GET /panics")
		panic("callback boom")
	})
	l.AddCallback(func() { steps++ })
	l.CallLater(0, func() { steps++; panic("timer boom") })
	l.CallLater(5*time.Millisecond, func() { unix.Write(w, []byte("x")) })
	l.CallLater(30*time.Millisecond, l.Stop)
	runFor(t, l, 5*time.Second)
	if steps != 3 {
		t.Fatalf("%d of 3 steps ran", steps)
	}
	out := buf.String()
	for _, want := range []string{"callback boom", "timer boom", "handler boom", "GET /panics", "loop_test.go", "panic in handler"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func pipe(t *testing.T) (r, w int) {
	t.Helper()
	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		t.Fatal(err)
	}
	for _, fd := range p {
		unix.SetNonblock(fd, true)
		unix.CloseOnExec(fd)
	}
	t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
	return p[0], p[1]
}

func TestHandlers(t *testing.T) {
	l := newTestLoop(t)
	r, w := pipe(t)
	var events []Event
	h := HandlerFunc(func(fd int, ev Event) {
		events = append(events, ev)
		if ev&READ != 0 {
			var b [16]byte
			unix.Read(fd, b[:])
		}
	})
	if err := l.AddHandler(r, h, READ); err != nil {
		t.Fatal(err)
	}
	if err := l.AddHandler(r, h, READ); !errors.Is(err, ErrExists) {
		t.Fatalf("second AddHandler: %v, want ErrExists", err)
	}
	if err := l.AddHandler(-1, h, READ); !errors.Is(err, ErrBadFD) {
		t.Fatalf("AddHandler(-1): %v", err)
	}
	if err := l.UpdateHandler(w+1000, READ); !errors.Is(err, ErrBadFD) {
		t.Fatalf("UpdateHandler(unknown): %v", err)
	}
	wh := HandlerFunc(func(fd int, ev Event) {
		events = append(events, ev)
		l.UpdateHandler(fd, 0) // writable forever: stop asking
	})
	if err := l.AddHandler(w, wh, WRITE); err != nil {
		t.Fatal(err)
	}
	l.CallLater(5*time.Millisecond, func() { unix.Write(w, []byte("a")) })
	l.CallLater(15*time.Millisecond, func() {
		l.RemoveHandler(r)
		l.RemoveHandler(r)
		unix.Write(w, []byte("b")) // no longer watched
	})
	l.CallLater(30*time.Millisecond, l.Stop)
	runFor(t, l, 5*time.Second)
	if len(events) != 2 || events[0] != WRITE || events[1] != READ {
		t.Fatalf("events %v, want [WRITE READ]", events)
	}
}

func TestHandlerErrorEvent(t *testing.T) {
	l := newTestLoop(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	unix.SetNonblock(fds[0], true)
	defer unix.Close(fds[0])
	var got Event
	l.AddHandler(fds[0], HandlerFunc(func(fd int, ev Event) {
		got = ev
		l.RemoveHandler(fd)
		l.Stop()
	}), 0) // nothing asked for: errors are reported anyway
	unix.Close(fds[1])
	runFor(t, l, 5*time.Second)
	if got&ERROR == 0 || got&READ != 0 {
		t.Fatalf("events %v, want ERROR only", got)
	}
}

func TestEINTRIsRetried(t *testing.T) {
	l := newTestLoop(t)
	sig := make(chan os.Signal, 16)
	signal.Notify(sig, syscall.SIGUSR1)
	defer signal.Stop(sig)
	done := make(chan error)
	go func() {
		l.CallLater(200*time.Millisecond, l.Stop)
		done <- l.Start()
	}()
	for range 20 {
		syscall.Kill(os.Getpid(), syscall.SIGUSR1)
		time.Sleep(5 * time.Millisecond)
	}
	if err := <-done; err != nil {
		t.Fatalf("Start: %v", err)
	}
}

func TestRunSync(t *testing.T) {
	l := newTestLoop(t)
	v, err := l.RunSync(func() *Future {
		f := NewFuture()
		l.CallLater(5*time.Millisecond, func() { f.SetResult(42) })
		return f
	}, time.Second)
	if v != 42 || err != nil {
		t.Fatalf("RunSync = %v, %v", v, err)
	}
	v, err = l.RunSync(func() *Future { return nil }, 0)
	if v != nil || err != nil {
		t.Fatalf("nil future: %v, %v", v, err)
	}
	_, err = l.RunSync(func() *Future { return NewFuture() }, 20*time.Millisecond)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("unresolved future: %v, want ErrTimeout", err)
	}
	_, err = l.RunSync(func() *Future { l.Stop(); return NewFuture() }, time.Second)
	if !errors.Is(err, ErrStopped) {
		t.Fatalf("stopped loop: %v, want ErrStopped", err)
	}
	boom := errors.New("boom")
	_, err = l.RunSync(func() *Future { f := NewFuture(); f.SetError(boom); return f }, 0)
	if err != boom {
		t.Fatalf("error future: %v", err)
	}
}

func TestRunInExecutor(t *testing.T) {
	l := newTestLoop(t)
	onLoop := false // touched only by the loop goroutine: -race checks it
	v, err := l.RunSync(func() *Future {
		f := l.RunInExecutor(func() (any, error) {
			time.Sleep(5 * time.Millisecond)
			return "done", nil
		})
		out := NewFuture()
		f.AddDoneCallback(func(f *Future) {
			onLoop = true
			out.SetResult(f)
		})
		return out
	}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !onLoop {
		t.Fatal("done callback did not run")
	}
	if r, err := v.(*Future).Result(); r != "done" || err != nil {
		t.Fatalf("executor result %v, %v", r, err)
	}

	_, err = l.RunSync(func() *Future {
		return l.RunInExecutor(func() (any, error) { panic("in executor") })
	}, 5*time.Second)
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "in executor" || len(pe.Stack) == 0 {
		t.Fatalf("panicking fn: %v", err)
	}
}

func TestRunInExecutorDoesNotBlockLoop(t *testing.T) {
	l := newTestLoop(t)
	var order []string
	_, err := l.RunSync(func() *Future {
		f := l.RunInExecutor(func() (any, error) { time.Sleep(100 * time.Millisecond); return nil, nil })
		l.CallLater(10*time.Millisecond, func() { order = append(order, "timer") })
		f.AddDoneCallback(func(*Future) { order = append(order, "executor") })
		return f
	}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(order, ",") != "timer,executor" {
		t.Fatalf("order %v", order)
	}
}

func TestExecutorIsBounded(t *testing.T) {
	l := newTestLoop(t, WithMaxWorkers(2))
	var running, peak atomic.Int32
	const tasks = 8
	remaining := tasks
	_, err := l.RunSync(func() *Future {
		all := NewFuture()
		for range tasks {
			l.RunInExecutor(func() (any, error) {
				n := running.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(10 * time.Millisecond)
				running.Add(-1)
				return nil, nil
			}).AddDoneCallback(func(*Future) {
				remaining--
				if remaining == 0 {
					all.SetResult(nil)
				}
			})
		}
		return all
	}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p != 2 {
		t.Fatalf("peak concurrency %d, want 2", p)
	}
}

func TestFuture(t *testing.T) {
	f := NewFuture()
	if f.Done() {
		t.Fatal("new future is done")
	}
	if _, err := f.Result(); !errors.Is(err, ErrNotDone) {
		t.Fatalf("Result before done: %v", err)
	}
	var calls []string
	f.AddDoneCallback(func(*Future) { calls = append(calls, "before") })
	f.SetResult(1)
	f.SetError(errors.New("ignored"))
	f.AddDoneCallback(func(*Future) { calls = append(calls, "after") })
	if v, err := f.Result(); v != 1 || err != nil {
		t.Fatalf("Result = %v, %v", v, err)
	}
	if strings.Join(calls, ",") != "before,after" {
		t.Fatalf("callbacks %v", calls)
	}
}

func TestAddFutureFromAnotherGoroutine(t *testing.T) {
	l := newTestLoop(t)
	f := NewFuture()
	onLoop := 0
	l.AddFuture(f, func(*Future) { onLoop++; l.Stop() })
	go func() { time.Sleep(5 * time.Millisecond); f.SetResult(nil) }()
	runFor(t, l, 5*time.Second)
	if onLoop != 1 {
		t.Fatalf("callback ran %d times", onLoop)
	}
}

func TestPeriodicCallback(t *testing.T) {
	l := newTestLoop(t)
	runs := 0
	var pc *PeriodicCallback
	pc = NewPeriodicCallback(l, func() {
		runs++
		if runs == 5 {
			pc.Stop()
			l.Stop()
		}
	}, 5*time.Millisecond, 0)
	if pc.IsRunning() {
		t.Fatal("running before Start")
	}
	start := time.Now()
	l.AddCallback(pc.Start)
	runFor(t, l, 5*time.Second)
	if pc.IsRunning() {
		t.Fatal("running after Stop")
	}
	if d := time.Since(start); d < 25*time.Millisecond {
		t.Fatalf("5 runs of a 5ms callback took only %v", d)
	}
}

func TestPeriodicCallbackSkipsMissedRuns(t *testing.T) {
	l := newTestLoop(t)
	ms := int64(time.Millisecond)
	p := NewPeriodicCallback(l, func() {}, 10*time.Millisecond, 0)
	p.running = true
	for _, tc := range []struct{ next, now, want int64 }{
		{20, 20, 30}, // on time
		{20, 23, 30}, // a little late: stay on the grid
		{20, 55, 60}, // 30, 40 and 50 missed: skipped, not replayed
		{20, 60, 70}, // exactly on a later grid point
	} {
		p.next, l.nowNanos = tc.next*ms, tc.now*ms
		p.scheduleNext()
		if p.next != tc.want*ms {
			t.Errorf("next=%dms now=%dms: scheduled %vms, want %dms", tc.next, tc.now, p.next/ms, tc.want)
		}
	}
	l.Cancel(&p.timer)
}

func TestCancelDuringTimerPass(t *testing.T) {
	l := newTestLoop(t)
	var a, b, c Timer
	bRuns := 0
	b.Init(func() { bRuns++ })
	a.Init(func() { l.ScheduleAfter(&b, -time.Second) }) // due, but armed during the pass: set aside
	c.Init(func() {
		if !b.Pending() {
			t.Error("set-aside timer not pending")
		}
		l.Cancel(&b) // before it goes back into the heap
	})
	l.ScheduleAfter(&a, 0)
	l.ScheduleAfter(&c, 0)
	l.CallLater(20*time.Millisecond, l.Stop)
	runFor(t, l, 5*time.Second)
	if bRuns != 0 || b.Pending() {
		t.Fatalf("cancelled timer ran %d times (pending %v)", bRuns, b.Pending())
	}
}

func TestPeriodicCallbackJitter(t *testing.T) {
	l := newTestLoop(t)
	p := NewPeriodicCallback(l, func() {}, 100*time.Millisecond, 0.5)
	p.running = true
	seen := map[int64]bool{}
	for range 50 {
		before := p.next
		p.scheduleNext()
		step := time.Duration(p.next - before)
		if step < 75*time.Millisecond || step > 125*time.Millisecond {
			t.Fatalf("step %v outside 100ms ± 25%%", step)
		}
		seen[int64(step)] = true
		l.nowNanos = p.next
	}
	l.Cancel(&p.timer)
	if len(seen) < 10 {
		t.Fatalf("only %d distinct intervals: no jitter", len(seen))
	}
}

func TestWatchdogNamesActivity(t *testing.T) {
	log, buf := testLogger()
	l := newTestLoop(t, WithLogger(log), WithWatchdog(20*time.Millisecond))
	l.AddCallback(func() {
		l.SetActivity("GET /slow")
		time.Sleep(80 * time.Millisecond)
	})
	l.CallLater(100*time.Millisecond, l.Stop)
	runFor(t, l, 5*time.Second)
	out := buf.String()
	if !strings.Contains(out, "loop blocked") || !strings.Contains(out, "GET /slow") || !strings.Contains(out, "running=callback") {
		t.Fatalf("watchdog log:\n%s", out)
	}
	if n := strings.Count(out, "loop blocked"); n != 1 {
		t.Fatalf("one stall logged %d times:\n%s", n, out)
	}
}

func TestWatchdogQuietWhenIdle(t *testing.T) {
	log, buf := testLogger()
	l := newTestLoop(t, WithLogger(log), WithWatchdog(10*time.Millisecond))
	l.CallLater(80*time.Millisecond, l.Stop) // idle in epoll_wait meanwhile
	runFor(t, l, 5*time.Second)
	if out := buf.String(); out != "" {
		t.Fatalf("idle loop logged:\n%s", out)
	}
}

func TestActivity(t *testing.T) {
	l := newTestLoop(t)
	l.AddCallback(func() {
		l.SetActivity("route-a")
		if got := l.Activity(); got != "route-a" {
			t.Errorf("Activity = %q", got)
		}
		l.AddCallback(func() {
			if got := l.Activity(); got != "" {
				t.Errorf("label survived into the next iteration: %q", got)
			}
			l.Stop()
		})
	})
	runFor(t, l, 5*time.Second)
}

func TestReadBuffer(t *testing.T) {
	l := newTestLoop(t)
	if n := len(l.ReadBuffer()); n != 64<<10 {
		t.Fatalf("read buffer is %d bytes", n)
	}
	l2 := newTestLoop(t, WithReadBufferSize(100))
	if n := len(l2.ReadBuffer()); n != 4<<10 {
		t.Fatalf("small read buffer is %d bytes, want the 4 KiB floor", n)
	}
}

func TestRunSyncOnRunningLoop(t *testing.T) {
	l := newTestLoop(t)
	var err error
	l.AddCallback(func() {
		_, err = l.RunSync(func() *Future { t.Error("fn ran"); return nil }, 0)
		l.CallLater(10*time.Millisecond, l.Stop)
	})
	runFor(t, l, 5*time.Second)
	if !errors.Is(err, ErrRunning) {
		t.Fatalf("RunSync on a running loop: %v", err)
	}
}
