package ioloop

import (
	"errors"
	"sync"
)

// ErrNotDone is the error Future.Result returns before the future resolves.
var ErrNotDone = errors.New("ioloop: future is not done")

// A Future holds a result or an error that arrives later. It is safe for
// concurrent use. Done callbacks run on the goroutine that resolves the
// future; futures from RunInExecutor and iostream are resolved on the loop,
// so their callbacks run on the loop. IOLoop.AddFuture delivers to a loop
// whoever resolves the future.
type Future struct {
	mu   sync.Mutex
	done bool
	val  any
	err  error
	cbs  []func(*Future)
}

// NewFuture returns an unresolved Future.
func NewFuture() *Future { return &Future{} }

// SetResult resolves f with v. Only the first SetResult or SetError counts.
func (f *Future) SetResult(v any) { f.resolve(v, nil) }

// SetError resolves f with err. Only the first SetResult or SetError counts.
func (f *Future) SetError(err error) { f.resolve(nil, err) }

func (f *Future) resolve(v any, err error) {
	f.mu.Lock()
	if f.done {
		f.mu.Unlock()
		return
	}
	f.done, f.val, f.err = true, v, err
	cbs := f.cbs
	f.cbs = nil
	f.mu.Unlock()
	for _, cb := range cbs {
		cb(f)
	}
}

// Done reports whether f is resolved.
func (f *Future) Done() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.done
}

// Result returns f's value and error, or ErrNotDone before it resolves.
func (f *Future) Result() (any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.done {
		return nil, ErrNotDone
	}
	return f.val, f.err
}

// AddDoneCallback calls cb(f) when f resolves, or at once if it has.
func (f *Future) AddDoneCallback(cb func(*Future)) {
	f.mu.Lock()
	if !f.done {
		f.cbs = append(f.cbs, cb)
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	cb(f)
}
