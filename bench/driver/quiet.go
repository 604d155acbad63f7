package main

import (
	"context"
	"time"

	"github.com/tornago/tornago/bench/internal/procfs"
)

const (
	// quietBusy is the share of the machine's CPU time other work may use
	// for the machine to count as quiet before a run. The idle servers of
	// this benchmark use next to nothing; 15% leaves room for a shell and an
	// editor, not for a compiler or a fuzzer.
	quietBusy = 0.15

	// quietSample is how long each look at the machine's load lasts.
	quietSample = time.Second
)

// waitQuiet waits, up to maxWait, until the machine is quiet, so that a run
// does not share its CPUs with someone else's build or test. It reports
// whether the machine was quiet when it returned.
func waitQuiet(ctx context.Context, maxWait time.Duration) bool {
	deadline := time.Now().Add(maxWait)
	waited := false
	for {
		load, err := procfs.MachineLoad(ctx, quietSample)
		if err != nil {
			return false
		}
		if load <= quietBusy {
			if waited {
				logf("  machine quiet again (%.0f%% busy)", load*100)
			}
			return true
		}
		if time.Now().After(deadline) {
			logf("  machine still %.0f%% busy after waiting %v: running anyway", load*100, maxWait)
			return false
		}
		if !waited {
			logf("  machine %.0f%% busy with other work: waiting up to %v", load*100, maxWait)
			waited = true
		}
	}
}

// loadMeter measures a run: the server's CPU time, and the foreign load,
// the share of the machine's CPU time spent neither by the server nor by the
// client (other people's work, and kernel time such as softirq charged to
// neither process).
type loadMeter struct {
	busy, total, server int64
}

func startLoad(pid int) (loadMeter, error) {
	busy, total, err := procfs.MachineTicks()
	if err != nil {
		return loadMeter{}, err
	}
	server, err := procfs.ProcessTicks(pid)
	return loadMeter{busy, total, server}, err
}

// stop returns the server's ticks during the run and the foreign share,
// given the client's CPU time.
func (m loadMeter) stop(pid int, client time.Duration) (serverTicks int64, foreign float64, err error) {
	busy, total, err := procfs.MachineTicks()
	if err != nil {
		return 0, 0, err
	}
	server, err := procfs.ProcessTicks(pid)
	if err != nil {
		return 0, 0, err
	}
	serverTicks = server - m.server
	clientTicks := int64(client.Seconds() * procfs.ClockTicks)
	if total > m.total {
		foreign = float64(busy-m.busy-serverTicks-clientTicks) / float64(total-m.total)
	}
	return serverTicks, max(foreign, 0), nil
}
