package ioloop

import (
	"log/slog"
	"time"
)

const (
	// DefaultWatchdogThreshold is how long the loop may stay away from
	// epoll_wait before the watchdog logs it. 100 ms is Tornado's old
	// blocking-log default: long enough that ordinary work never trips
	// it, short enough that a handler that blocks by mistake is noticed.
	DefaultWatchdogThreshold = 100 * time.Millisecond

	// readBufferSize is the one buffer each loop reads into. 64 KiB holds
	// a pipelined batch of typical requests in one read(2).
	readBufferSize = 64 << 10

	// maxEventsPerWait bounds the events one epoll_wait returns. 256
	// amortises the syscall over many ready descriptors without making one
	// iteration long enough to starve timers.
	maxEventsPerWait = 256

	// maxTimersPerIteration bounds the due timers one iteration runs
	// before the loop polls again. 10,000 idle connections timing out
	// together cost about 10 µs each to close, 100 ms in all; run 512 at
	// a time and the loop serves ready sockets every few milliseconds
	// meanwhile. The rest stay due, so the next poll does not block.
	maxTimersPerIteration = 512
)

// An Option configures an IOLoop.
type Option func(*config)

type config struct {
	logger    *slog.Logger
	watchdog  time.Duration
	workers   int
	bufSize   int
	noMonitor bool
}

// WithLogger sets the logger for recovered panics and watchdog reports.
// The default is slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithWatchdog sets how long the loop may be away from epoll_wait before
// the watchdog logs it. Zero or negative disables the watchdog.
func WithWatchdog(threshold time.Duration) Option {
	return func(c *config) {
		c.watchdog = threshold
		c.noMonitor = threshold <= 0
	}
}

// WithMaxWorkers gives the loop its own executor pool of at most n
// goroutines for RunInExecutor. By default all loops share one pool of
// DefaultMaxWorkers goroutines.
func WithMaxWorkers(n int) Option {
	return func(c *config) { c.workers = n }
}

// WithReadBufferSize sets the size of the loop's shared read buffer
// (default 64 KiB). Sizes below 4 KiB are raised to 4 KiB.
func WithReadBufferSize(n int) Option {
	return func(c *config) { c.bufSize = max(n, 4<<10) }
}
