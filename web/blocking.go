package web

import (
	"runtime"
	"sync"
)

// Blocking marks a handler that blocks (database, disk, remote calls):
// embed it, and the handler runs on the application's bounded worker pool
// instead of its connection's loop, so it never delays other connections.
// Its response is still written through the loop, in request order.
//
//	type EntryHandler struct {
//		web.RequestHandler
//		web.Blocking
//		db *sql.DB
//	}
//
// A Rule with Blocking set does the same for a handler without the marker.
type Blocking struct{}

func (Blocking) blocking() {}

// OnWorker reports whether the handler runs on the worker pool (it embeds
// Blocking, or its Rule sets Blocking), where it may block; otherwise it
// runs on the IOLoop and must hand blocking work to RunInExecutor.
func (h *RequestHandler) OnWorker() bool { return h.onWorker }

// defaultWorkersPerCPU sizes the worker pool: blocking handlers mostly wait,
// so many of them overlap usefully per CPU, while a flood of slow requests
// queues instead of creating unbounded goroutines.
const defaultWorkersPerCPU = 64

// workerPool runs jobs on at most max goroutines; jobs beyond that queue.
// Submitting never blocks (it runs on a loop).
type workerPool struct {
	mu      sync.Mutex
	max     int
	running int
	queue   []func()
}

func newWorkerPool(max int) *workerPool {
	if max <= 0 {
		max = defaultWorkersPerCPU * runtime.GOMAXPROCS(0)
	}
	return &workerPool{max: max}
}

func (p *workerPool) submit(job func()) {
	p.mu.Lock()
	if p.running >= p.max {
		p.queue = append(p.queue, job)
		p.mu.Unlock()
		return
	}
	p.running++
	p.mu.Unlock()
	go p.work(job)
}

func (p *workerPool) work(job func()) {
	for job != nil {
		job()
		p.mu.Lock()
		if len(p.queue) == 0 {
			p.running--
			p.mu.Unlock()
			return
		}
		job = p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.mu.Unlock()
	}
}
