package main

import (
	"context"
	"fmt"
	"syscall"
	"time"

	"github.com/tornago/tornago/bench/internal/procfs"
)

const (
	// quietBusy is the share of the machine other work may use for it to
	// count as quiet before a run: room for a shell, not for a compiler.
	quietBusy = 0.15
)

// meter is a snapshot of the CPU times a run is measured by.
type meter struct {
	server      int64         // the server's ticks
	client      time.Duration // this process's user+system time
	busy, total int64         // the machine's ticks
}

func startMeter(pid int) (meter, error) {
	var m meter
	var err error
	if pid != 0 {
		if m.server, err = procfs.ProcessTicks(pid); err != nil {
			return m, err
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return m, fmt.Errorf("getrusage: %w", err)
	}
	m.client = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	m.busy, m.total, err = procfs.MachineTicks()
	return m, err
}

// shares returns, between m and later, the server's and the client's CPU
// as shares of one CPU, and the share of the whole machine used by neither
// (other people's work).
func (m meter) shares(later meter, elapsed time.Duration) (server, client, foreign float64) {
	secs := elapsed.Seconds()
	if secs <= 0 {
		return 0, 0, 0
	}
	serverTicks := later.server - m.server
	clientTicks := (later.client - m.client).Seconds() * procfs.ClockTicks
	server = float64(serverTicks) / procfs.ClockTicks / secs
	client = (later.client - m.client).Seconds() / secs
	if later.total > m.total {
		foreign = (float64(later.busy-m.busy-serverTicks) - clientTicks) / float64(later.total-m.total)
	}
	return server, client, max(foreign, 0)
}

// raiseFileLimit lifts the soft RLIMIT_NOFILE to the hard limit and fails
// when even that is below need.
func raiseFileLimit(need int) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("getrlimit: %w", err)
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			return fmt.Errorf("setrlimit: %w", err)
		}
	}
	if lim.Cur < uint64(need) {
		return fmt.Errorf("RLIMIT_NOFILE hard limit %d is below the %d descriptors needed", lim.Max, need)
	}
	return nil
}

// waitQuiet waits, up to maxWait, until other work uses at most quietBusy
// of the machine, and returns how long it waited.
func waitQuiet(ctx context.Context, maxWait time.Duration) time.Duration {
	start := time.Now()
	for {
		load, err := procfs.MachineLoad(ctx, time.Second)
		if err != nil {
			return time.Since(start)
		}
		if load <= quietBusy {
			return time.Since(start)
		}
		if time.Since(start) >= maxWait {
			logf("  machine still %.0f%% busy after %v: running anyway", load*100, maxWait)
			return time.Since(start)
		}
	}
}
