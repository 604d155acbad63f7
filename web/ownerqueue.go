package web

import "sync"

// ownerQueue stands in for a loop where there is none (the net/http bridge
// and in-process recordings): the goroutine that serves the request runs
// the functions posted to it until the response is finished.
type ownerQueue struct {
	mu   sync.Mutex
	fns  []func()
	wake chan struct{}
	done chan struct{} // closed when the response is finished
}

func newOwnerQueue() *ownerQueue {
	return &ownerQueue{wake: make(chan struct{}, 1), done: make(chan struct{})}
}

func (q *ownerQueue) post(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// runPending runs what was posted so far (and what those post in turn).
func (q *ownerQueue) runPending() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

// run serves posted functions until the response is finished or stop is
// closed; it reports whether the response finished.
func (q *ownerQueue) run(stop <-chan struct{}) bool {
	for {
		q.runPending()
		select {
		case <-q.done:
			q.runPending()
			return true
		case <-q.wake:
		case <-stop:
			return false
		}
	}
}

func (q *ownerQueue) finished() {
	select {
	case <-q.done:
	default:
		close(q.done)
	}
}
