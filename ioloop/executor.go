package ioloop

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// DefaultMaxWorkers bounds the shared executor: 64 goroutines per CPU, so
// blocking calls (databases, disks, remote services) overlap well beyond
// the CPU count, while a flood of them queues instead of creating
// unbounded goroutines.
var DefaultMaxWorkers = 64 * runtime.NumCPU()

// A PanicError is the error of a RunInExecutor future whose function
// panicked.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("ioloop: executor function panicked: %v", e.Value)
}

// RunInExecutor runs fn on the loop's bounded worker pool and returns a
// Future that resolves on the loop goroutine with fn's result. It is safe
// from any goroutine. A panic in fn resolves the future with a *PanicError.
func (l *IOLoop) RunInExecutor(fn func() (any, error)) *Future {
	f := NewFuture()
	l.exec.submit(func() {
		v, err := callRecovering(fn)
		l.AddCallback(func() { f.resolve(v, err) })
	})
	return f
}

func callRecovering(fn func() (any, error)) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn()
}

// executor is a bounded pool of goroutines over an unbounded FIFO queue:
// submit never blocks (so the loop never waits on it), and at most max
// tasks run at once.
type executor struct {
	mu      sync.Mutex
	cond    sync.Cond
	queue   []func()
	head    int
	workers int
	idle    int
	max     int
	closed  bool
}

var (
	sharedExecutor *executor
	sharedOnce     sync.Once
)

func defaultExecutor() *executor {
	sharedOnce.Do(func() { sharedExecutor = newExecutor(DefaultMaxWorkers) })
	return sharedExecutor
}

func newExecutor(max int) *executor {
	e := &executor{max: max}
	e.cond.L = &e.mu
	return e
}

func (e *executor) submit(task func()) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		go task() // a closed pool still honours its futures
		return
	}
	e.queue = append(e.queue, task)
	switch {
	case e.idle > 0:
		e.cond.Signal()
	case e.workers < e.max:
		e.workers++
		go e.work()
	}
	e.mu.Unlock()
}

func (e *executor) work() {
	e.mu.Lock()
	for {
		for e.head == len(e.queue) && !e.closed {
			e.idle++
			e.cond.Wait()
			e.idle--
		}
		if e.head == len(e.queue) {
			e.workers--
			e.mu.Unlock()
			return
		}
		task := e.queue[e.head]
		e.queue[e.head] = nil
		e.head++
		if e.head == len(e.queue) {
			e.queue, e.head = e.queue[:0], 0
		}
		e.mu.Unlock()
		task()
		e.mu.Lock()
	}
}

func (e *executor) close() {
	e.mu.Lock()
	e.closed = true
	e.cond.Broadcast()
	e.mu.Unlock()
}
