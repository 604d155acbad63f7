// Package procfs reads what the benchmarks measure from Linux's /proc: a
// process's CPU time and resident memory, the whole machine's CPU time and
// load, and the CPU model and kernel for a report's header.
//
// Each reader has a parser over the file's text, so the parsing is tested
// without the file:
//
//	before, _ := procfs.ProcessTicks(pid)
//	// ... the run ...
//	after, _ := procfs.ProcessTicks(pid)
//	cpuSeconds := float64(after-before) / procfs.ClockTicks
package procfs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ClockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat and
// /proc/stat. It is 100 on every Linux architecture Go supports: the kernel
// fixes the user-visible value whatever its CONFIG_HZ.
const ClockTicks = 100

// ProcessTicks returns a process's utime+stime, in clock ticks, from
// /proc/<pid>/stat.
func ProcessTicks(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("reading the CPU time of process %d: %w", pid, err)
	}
	return ParseStatTicks(string(data))
}

// ParseStatTicks returns fields 14 and 15 (utime, stime) of a
// /proc/<pid>/stat line added together. The command name (field 2) may
// hold spaces and parentheses, so fields are counted from its last ')'.
func ParseStatTicks(stat string) (int64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed /proc stat %q", stat)
	}
	f := strings.Fields(stat[i+1:])
	// f[0] is field 3 (state), so field n is f[n-3].
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

// MachineTicks returns the busy and total clock ticks of all CPUs together
// from the first line of /proc/stat: busy is user, nice, system, irq,
// softirq and steal; total adds idle and iowait.
func MachineTicks() (busy, total int64, err error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, fmt.Errorf("reading /proc/stat: %w", err)
	}
	return ParseMachineTicks(string(data))
}

// ParseMachineTicks reads the busy and total ticks, as MachineTicks
// describes them, from the text of /proc/stat.
func ParseMachineTicks(stat string) (busy, total int64, err error) {
	line, _, _ := strings.Cut(stat, "\n")
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
	user, nice, system, idle, iowait, irq, softirq, steal := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
	busy = user + nice + system + irq + softirq + steal
	return busy, busy + idle + iowait, nil
}

// ErrNoTicks reports that the machine's CPU time did not advance during a
// sample, so no load can be computed from it.
var ErrNoTicks = errors.New("procfs: no CPU ticks passed during the sample")

// MachineLoad returns the share of the machine's CPU time that was busy
// (0 to 1) during the next sample: /proc/stat read before and after it. It
// returns ctx's error if ctx ends first.
func MachineLoad(ctx context.Context, sample time.Duration) (float64, error) {
	b0, t0, err := MachineTicks()
	if err != nil {
		return 0, err
	}
	timer := time.NewTimer(sample)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-timer.C:
	}
	b1, t1, err := MachineTicks()
	if err != nil {
		return 0, err
	}
	if t1 <= t0 {
		return 0, ErrNoTicks
	}
	return float64(b1-b0) / float64(t1-t0), nil
}

// RSSKiB returns a process's resident memory (VmRSS), in KiB, from
// /proc/<pid>/status.
func RSSKiB(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("reading the memory of process %d: %w", pid, err)
	}
	return ParseVmRSS(data)
}

// ParseVmRSS returns the VmRSS value, in KiB, of the text of
// /proc/<pid>/status.
func ParseVmRSS(status []byte) (int64, error) {
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
	return 0, errors.New("no VmRSS line in /proc status")
}

// CPUModel returns the first "model name" of /proc/cpuinfo, or "" when
// there is none (some architectures do not name one).
func CPUModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	return ParseCPUModel(string(data))
}

// ParseCPUModel returns the first "model name" of the text of
// /proc/cpuinfo, or "".
func ParseCPUModel(cpuinfo string) string {
	for line := range strings.Lines(cpuinfo) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// KernelRelease returns the running kernel's release
// (/proc/sys/kernel/osrelease), or "" when it cannot be read.
func KernelRelease() string {
	data, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}
