// Package ioloop is tornago's event loop: Tornado's IOLoop on epoll (kqueue
// on macOS and the BSDs), with timers, a thread-safe callback queue,
// Futures and a bounded executor for blocking work.
//
// An IOLoop runs on one goroutine, the one that calls Start. Every method
// except AddCallback, Stop, AddFuture and RunInExecutor must be called on
// that goroutine (from a handler, a callback or a timer). AddCallback is the
// way in from any other goroutine: it queues the function and wakes the loop
// at most once per batch.
//
//	loop, err := ioloop.New()
//	if err != nil { ... }
//	loop.CallLater(time.Second, func() { fmt.Println("tick"); loop.Stop() })
//	loop.Start() // returns after Stop
//
// A panic in a callback, timer or handler is recovered and logged with its
// stack through log/slog; the loop keeps running. A watchdog goroutine logs
// when the loop has not returned to epoll_wait for longer than a threshold
// (100 ms by default), naming the label the upper layers set with
// SetActivity.
package ioloop
