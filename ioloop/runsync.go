package ioloop

import "time"

// RunSync starts the loop, calls fn on it, and runs until the future fn
// returns resolves; it then stops the loop and returns the future's
// result. A nil future counts as resolved with (nil, nil). With a
// positive timeout, RunSync gives up after it with ErrTimeout. If the
// loop is stopped by someone else first, RunSync returns ErrStopped.
// It must not be called while the loop is running.
func (l *IOLoop) RunSync(fn func() *Future, timeout time.Duration) (any, error) {
	if l.running.Load() {
		return nil, ErrRunning // queueing fn would stop the running loop later
	}
	var fut *Future
	var timedOut bool
	l.AddCallback(func() {
		fut = fn()
		if fut == nil {
			fut = NewFuture()
			fut.SetResult(nil)
		}
		fut.AddDoneCallback(func(*Future) { l.Stop() })
	})
	var to *Timeout
	if timeout > 0 {
		l.updateTime()
		to = l.CallLater(timeout, func() { timedOut = true; l.Stop() })
	}
	if err := l.Start(); err != nil {
		return nil, err
	}
	l.RemoveTimeout(to)
	switch {
	case fut != nil && fut.Done():
		return fut.Result()
	case timedOut:
		return nil, ErrTimeout
	default:
		return nil, ErrStopped
	}
}
