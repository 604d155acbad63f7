package ioloop

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

var (
	// ErrRunning is returned by Start when the loop is already running.
	ErrRunning = errors.New("ioloop: loop is already running")
	// ErrClosed is returned by methods called after Close.
	ErrClosed = errors.New("ioloop: loop is closed")
	// ErrTimeout is returned by RunSync when the timeout expires first.
	ErrTimeout = errors.New("ioloop: operation timed out")
	// ErrStopped is returned by RunSync when the loop stops before the
	// future resolves.
	ErrStopped = errors.New("ioloop: loop stopped before the future resolved")
	// ErrBadFD is returned for a negative descriptor or one without a handler.
	ErrBadFD = errors.New("ioloop: bad file descriptor")
	// ErrExists is returned by AddHandler when fd already has a handler.
	ErrExists = errors.New("ioloop: file descriptor already has a handler")
)

// fdPageBits sets the size of a page of the fd table: 512 descriptors,
// about 8.5 KiB.
const fdPageBits = 9

const fdPageSize = 1 << fdPageBits

// fdPage is one page of the fd-indexed handler table. The table is paged
// so that it never grows by copying (no doubled copy, no old copy left
// for the collector, which a burst of 10,000 connections would leave
// behind) and a page whose descriptors are all gone is given back at
// once. Every connection has a slot: a handler (two words) and the
// events it is registered for (one byte).
type fdPage struct {
	h  [fdPageSize]Handler
	ev [fdPageSize]uint8
	n  int32 // slots in use
}

// lookup returns fd's page and index in it, or nil when fd has no page.
func (l *IOLoop) lookup(fd int) (*fdPage, int) {
	if fd < 0 || fd>>fdPageBits >= len(l.pages) {
		return nil, 0
	}
	return l.pages[fd>>fdPageBits], fd & (fdPageSize - 1)
}

// handlerOf returns fd's handler, or nil.
func (l *IOLoop) handlerOf(fd int) Handler {
	if p, i := l.lookup(fd); p != nil {
		return p.h[i]
	}
	return nil
}

// IOLoop is a level-triggered event loop over one epoll (or kqueue)
// descriptor. See the package comment for which methods are safe from
// other goroutines.
type IOLoop struct {
	poller  *poller
	waker   *waker
	pages   []*fdPage // the handler table, by fd >> fdPageBits; nil: no handler there
	readBuf []byte
	log     *slog.Logger
	exec    *executor

	// The callback queue: producers append under mu; the loop swaps
	// pending with spare, so steady state allocates nothing.
	mu      sync.Mutex
	pending []func()
	spare   []func()
	closed  bool
	// awake is true while the loop is not (about to be) blocked in
	// epoll_wait; AddCallback writes the waker only when it flips it.
	awake atomic.Bool

	stopReq atomic.Bool
	running atomic.Bool

	timers  timerHeap
	timeSeq uint32
	rearmed []*Timer // runTimers' set-aside, kept for its capacity

	epoch    time.Time // monotonic base for timer deadlines
	now      time.Time // cached per iteration
	nowNanos int64     // now - epoch

	// watchdog state, written by the loop, read by the monitor.
	watchdog  time.Duration
	busySince atomic.Int64 // nanos since epoch the loop left epoll_wait; 0 while polling
	where     atomic.Int64 // phase<<32 | fd of what the loop runs now
	act       activity
	actPtr    *byte // loop-local copy of the label, to skip redundant stores
	actLen    int
}

// New creates a loop with its poller and waker. Close releases them.
func New(opts ...Option) (*IOLoop, error) {
	cfg := config{watchdog: DefaultWatchdogThreshold, bufSize: readBufferSize}
	for _, o := range opts {
		o(&cfg)
	}
	p, err := newPoller()
	if err != nil {
		return nil, fmt.Errorf("ioloop: creating poller: %w", err)
	}
	w, err := newWaker()
	if err != nil {
		p.close()
		return nil, fmt.Errorf("ioloop: creating waker: %w", err)
	}
	if err := p.add(w.fd(), READ); err != nil {
		w.close()
		p.close()
		return nil, fmt.Errorf("ioloop: registering waker: %w", err)
	}
	l := &IOLoop{
		poller:   p,
		waker:    w,
		readBuf:  make([]byte, cfg.bufSize),
		log:      cfg.logger,
		pending:  make([]func(), 0, 64),
		spare:    make([]func(), 0, 64),
		watchdog: cfg.watchdog,
		epoch:    time.Now(),
	}
	if cfg.noMonitor {
		l.watchdog = 0
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	if cfg.workers > 0 {
		l.exec = newExecutor(cfg.workers)
	} else {
		l.exec = defaultExecutor()
	}
	l.now = l.epoch
	l.awake.Store(true)
	return l, nil
}

// ReadBuffer returns the loop's shared read buffer. Whatever a reader
// leaves in it is overwritten by the next read on any descriptor of this
// loop, so a stream copies out the bytes it keeps before returning to the
// loop.
func (l *IOLoop) ReadBuffer() []byte { return l.readBuf }

// Time returns the wall clock, read once per loop iteration. Deadlines
// computed from it (CallLater) may be early by the length of the current
// iteration, which is what keeps the hot path free of clock reads.
func (l *IOLoop) Time() time.Time { return l.now }

// updateTime refreshes the cached clock.
func (l *IOLoop) updateTime() {
	l.now = time.Now()
	l.nowNanos = int64(l.now.Sub(l.epoch))
}

// AddHandler registers h for events on fd. The ERROR condition is always
// reported. It must be called on the loop goroutine (or before Start).
func (l *IOLoop) AddHandler(fd int, h Handler, events Event) error {
	if fd < 0 || h == nil {
		return ErrBadFD
	}
	if l.handlerOf(fd) != nil {
		return ErrExists
	}
	if err := l.poller.add(fd, events&(READ|WRITE)); err != nil {
		return fmt.Errorf("ioloop: add fd %d: %w", fd, err)
	}
	pi := fd >> fdPageBits
	if pi >= len(l.pages) {
		l.pages = append(l.pages, make([]*fdPage, pi+1-len(l.pages))...)
	}
	p := l.pages[pi]
	if p == nil {
		p = new(fdPage)
		l.pages[pi] = p
	}
	i := fd & (fdPageSize - 1)
	p.h[i], p.ev[i] = h, uint8(events&(READ|WRITE))
	p.n++
	return nil
}

// UpdateHandler changes the events fd is watched for. It makes no system
// call when the set is unchanged.
func (l *IOLoop) UpdateHandler(fd int, events Event) error {
	p, i := l.lookup(fd)
	if p == nil || p.h[i] == nil {
		return ErrBadFD
	}
	events &= READ | WRITE
	old := Event(p.ev[i])
	if old == events {
		return nil
	}
	if err := l.poller.mod(fd, old, events); err != nil {
		return fmt.Errorf("ioloop: modify fd %d: %w", fd, err)
	}
	p.ev[i] = uint8(events)
	return nil
}

// RemoveHandler stops watching fd. Events already reported for fd in the
// current iteration are dropped. Removing an unknown fd does nothing. A
// page of the table left empty is given back.
func (l *IOLoop) RemoveHandler(fd int) {
	p, i := l.lookup(fd)
	if p == nil || p.h[i] == nil {
		return
	}
	l.poller.del(fd, Event(p.ev[i])) // the fd may already be closed
	p.h[i], p.ev[i] = nil, 0
	if p.n--; p.n == 0 {
		l.pages[fd>>fdPageBits] = nil
	}
}

// AddCallback queues fn to run on the loop goroutine in a later part of
// the current or the next iteration. It is safe from any goroutine; the
// loop is woken at most once per batch. Callbacks added after Close are
// dropped.
func (l *IOLoop) AddCallback(fn func()) {
	if fn == nil {
		return
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.pending = append(l.pending, fn)
	if !l.awake.Swap(true) {
		// The write happens under mu so that Close cannot close the
		// waker's descriptor (and a new file reuse its number) meanwhile.
		l.waker.wake()
	}
	l.mu.Unlock()
}

// AddFuture runs cb on the loop goroutine when f resolves. It is safe from
// any goroutine.
func (l *IOLoop) AddFuture(f *Future, cb func(*Future)) {
	f.AddDoneCallback(func(f *Future) { l.AddCallback(func() { cb(f) }) })
}

// Stop asks the loop to return from Start after the current iteration. It
// is safe from any goroutine and from callbacks. A Stop before Start makes
// the next Start return after one iteration.
func (l *IOLoop) Stop() {
	l.stopReq.Store(true)
	l.mu.Lock()
	if !l.closed && !l.awake.Swap(true) {
		l.waker.wake()
	}
	l.mu.Unlock()
}

// Running reports whether Start is executing. Safe from any goroutine.
func (l *IOLoop) Running() bool { return l.running.Load() }

// Close releases the poller and the waker. It does not close descriptors
// registered with AddHandler. Close on a running loop returns ErrRunning.
func (l *IOLoop) Close() error {
	if l.running.Load() {
		return ErrRunning
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.pending = nil
	werr := l.waker.close()
	l.mu.Unlock()
	perr := l.poller.close()
	if l.exec != sharedExecutor {
		l.exec.close()
	}
	return errors.Join(perr, werr)
}

// Start runs the loop on the calling goroutine until Stop.
func (l *IOLoop) Start() error {
	l.mu.Lock()
	closed := l.closed
	l.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if !l.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer l.running.Store(false)
	stopWatch := l.startWatchdog()
	defer stopWatch()

	l.updateTime()
	l.busySince.Store(max(l.nowNanos, 1))
	for {
		if l.stopReq.Swap(false) {
			return nil
		}
		l.resetActivity()

		// Take this iteration's batch; callbacks queued while it runs
		// wait for the next iteration.
		l.mu.Lock()
		batch := l.pending
		l.pending = l.spare[:0]
		l.mu.Unlock()

		l.runTimers()
		for i, fn := range batch {
			l.where.Store(phaseCallback << 32)
			l.runCallback(fn)
			batch[i] = nil
		}
		l.spare = batch[:0]

		timeout := l.pollTimeout()
		l.busySince.Store(0)
		// Look first without blocking: under load there is usually
		// something ready, and the non-blocking poll is much cheaper
		// for the Go runtime than a blocking one (see poller.poll).
		// Only an empty look costs an extra system call, and then the
		// loop had nothing to do anyway.
		n, err := l.poller.poll()
		if n == 0 && err == nil && timeout != 0 {
			n, err = l.poller.wait(timeout)
		}
		l.awake.Store(true)
		l.updateTime()
		l.busySince.Store(max(l.nowNanos, 1))
		if err != nil {
			if err == unix.EINTR {
				continue
			}
			return fmt.Errorf("ioloop: poll: %w", err)
		}
		l.dispatch(n)
	}
}

// pollTimeout announces that the loop is going to sleep and returns how
// long it may: 0 if work is already queued, the time to the next timer,
// or -1 (forever).
func (l *IOLoop) pollTimeout() int {
	l.awake.Store(false)
	l.mu.Lock()
	queued := len(l.pending) > 0
	l.mu.Unlock()
	if queued || l.stopReq.Load() {
		l.awake.Store(true)
		return 0
	}
	if len(l.timers) == 0 {
		return -1
	}
	when, now := l.timers[0].when, int64(time.Since(l.epoch))
	if when <= now { // compared, not subtracted: a deadline far in the past would overflow
		return 0
	}
	d := when - now
	// Round up so the loop never wakes just before a deadline and spins.
	ms := (d + int64(time.Millisecond) - 1) / int64(time.Millisecond)
	return int(min(ms, 3600*1000))
}

// dispatch hands the n ready events to their handlers.
func (l *IOLoop) dispatch(n int) {
	wfd := l.waker.fd()
	for i := 0; i < n; i++ {
		fd, ev := l.poller.event(i)
		if fd == wfd {
			l.waker.drain()
			continue
		}
		p, i := l.lookup(fd)
		if p == nil || p.h[i] == nil {
			continue // removed earlier in this batch
		}
		// Report only what was asked for, plus errors.
		ev &= Event(p.ev[i]) | ERROR
		if ev == 0 {
			continue
		}
		l.where.Store(phaseHandler<<32 | int64(fd))
		l.runHandler(p.h[i], fd, ev)
	}
}

func (l *IOLoop) runCallback(fn func()) {
	defer l.recoverPanic("callback", -1)
	fn()
}

func (l *IOLoop) runTimer(h TimerHandler) {
	defer l.recoverPanic("callback", -1)
	h.HandleTimer()
}

func (l *IOLoop) runHandler(h Handler, fd int, ev Event) {
	defer l.recoverPanic("handler", fd)
	h.HandleEvents(fd, ev)
}

// recoverPanic logs a panic from user code with its stack; the loop goes on.
func (l *IOLoop) recoverPanic(what string, fd int) {
	if r := recover(); r != nil {
		attrs := []any{"panic", r, "activity", l.act.get(), "stack", string(debug.Stack())}
		if fd >= 0 {
			attrs = append(attrs, "fd", fd)
		}
		l.log.Error("ioloop: panic in "+what, attrs...)
	}
}
