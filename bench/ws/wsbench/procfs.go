package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	// clockTicks is USER_HZ, the unit of /proc's CPU times: 100 on every
	// Linux architecture Go supports.
	clockTicks = 100

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
		if m.server, err = cpuTicks(pid); err != nil {
			return m, err
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return m, fmt.Errorf("getrusage: %w", err)
	}
	m.client = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	m.busy, m.total, err = machineTicks()
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
	clientTicks := (later.client - m.client).Seconds() * clockTicks
	server = float64(serverTicks) / clockTicks / secs
	client = (later.client - m.client).Seconds() / secs
	if later.total > m.total {
		foreign = (float64(later.busy-m.busy-serverTicks) - clientTicks) / float64(later.total-m.total)
	}
	return server, client, max(foreign, 0)
}

// cpuTicks returns utime+stime of a process from /proc/<pid>/stat.
func cpuTicks(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("reading server CPU time: %w", err)
	}
	return parseStatTicks(string(data))
}

// parseStatTicks reads fields 14 and 15 (utime, stime) of a stat line,
// counting from the command name's last ')' since the name may hold
// spaces and parentheses.
func parseStatTicks(stat string) (int64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed /proc stat %q", stat)
	}
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc stat %q", stat)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("malformed /proc stat times %q %q", f[11], f[12])
	}
	return utime + stime, nil
}

// machineTicks returns the busy and total ticks of all CPUs from the first
// line of /proc/stat.
func machineTicks() (busy, total int64, err error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, fmt.Errorf("reading /proc/stat: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("malformed /proc/stat line %q", line)
	}
	var v [8]int64
	for i := range v {
		if v[i], err = strconv.ParseInt(f[i+1], 10, 64); err != nil {
			return 0, 0, fmt.Errorf("malformed /proc/stat line %q", line)
		}
	}
	// user nice system idle iowait irq softirq steal
	busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
	return busy, busy + v[3] + v[4], nil
}

// rssKiB reads VmRSS, in KiB, from /proc/<pid>/status.
func rssKiB(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("reading server memory: %w", err)
	}
	return parseVmRSS(data)
}

func parseVmRSS(status []byte) (int64, error) {
	for line := range bytes.Lines(status) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			v := strings.TrimSuffix(strings.TrimSpace(string(rest)), " kB")
			kb, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parsing VmRSS %q: %w", bytes.TrimSpace(rest), err)
			}
			return kb, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS line")
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
		b0, t0, err := machineTicks()
		if err != nil {
			return time.Since(start)
		}
		select {
		case <-ctx.Done():
			return time.Since(start)
		case <-time.After(time.Second):
		}
		b1, t1, err := machineTicks()
		if err != nil || t1 == t0 {
			return time.Since(start)
		}
		load := float64(b1-b0) / float64(t1-t0)
		if load <= quietBusy {
			return time.Since(start)
		}
		if time.Since(start) >= maxWait {
			logf("  machine still %.0f%% busy after %v: running anyway", load*100, maxWait)
			return time.Since(start)
		}
	}
}
