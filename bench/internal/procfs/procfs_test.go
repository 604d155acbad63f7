package procfs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

var statTests = []struct {
	name  string
	stat  string
	ticks int64 // -1: an error
}{
	{"command name with spaces and parentheses", "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1200 345 0 0 20 0 3 0 100 1000000 500 18446744073709551615", 1545},
	{"close parenthesis in the name", "123 (a) b) c) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0", 300},
	{"no parenthesis", "no paren", -1},
	{"too few fields", "4242 (x) S 1", -1},
	{"times not numbers", "1 (x) S 1 2 3 4 5 6 7 8 9 10 u s", -1},
}

func TestParseStatTicks(t *testing.T) {
	for _, tt := range statTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStatTicks(tt.stat)
			if tt.ticks < 0 {
				if err == nil {
					t.Errorf("ParseStatTicks(%q) = %d, want an error", tt.stat, got)
				}
				return
			}
			if err != nil || got != tt.ticks {
				t.Errorf("ParseStatTicks(%q) = %d, %v; want %d", tt.stat, got, err, tt.ticks)
			}
		})
	}
}

// FuzzParseStatTicks checks that whatever the command name holds, the two
// times after it are the ones read.
func FuzzParseStatTicks(f *testing.F) {
	f.Add("bash", uint32(1200), uint32(345))
	f.Add("a) b) (c", uint32(0), uint32(7))
	f.Add(") ) 1 2 3 4 5 6 7 8 9 10 11 12 13", uint32(5), uint32(6))
	f.Fuzz(func(t *testing.T, comm string, utime, stime uint32) {
		stat := fmt.Sprintf("77 (%s) S 1 2 3 4 5 6 7 8 9 10 %d %d 0 0 20", comm, utime, stime)
		got, err := ParseStatTicks(stat)
		if err != nil || got != int64(utime)+int64(stime) {
			t.Errorf("ParseStatTicks(%q) = %d, %v; want %d", stat, got, err, int64(utime)+int64(stime))
		}
	})
}

func TestParseMachineTicks(t *testing.T) {
	tests := []struct {
		name        string
		stat        string
		busy, total int64 // total -1: an error
	}{
		{"user nice system idle iowait irq softirq steal guest guest_nice", "cpu  100 5 50 1000 20 3 7 2 0 0\ncpu0 50 2 25 500 10 1 3 1 0 0\n", 167, 1187},
		{"exactly eight times", "cpu 1 1 1 1 1 1 1 1\n", 6, 8},
		{"no cpu line first", "intr 1 2 3\n", 0, -1},
		{"a per-CPU line first", "cpu0 1 1 1 1 1 1 1 1\n", 0, -1},
		{"seven times", "cpu 1 1 1 1 1 1 1\n", 0, -1},
		{"a time not a number", "cpu 1 1 1 x 1 1 1 1\n", 0, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			busy, total, err := ParseMachineTicks(tt.stat)
			if tt.total < 0 {
				if err == nil {
					t.Errorf("ParseMachineTicks(%q) = %d, %d; want an error", tt.stat, busy, total)
				}
				return
			}
			if err != nil || busy != tt.busy || total != tt.total {
				t.Errorf("ParseMachineTicks(%q) = %d, %d, %v; want %d, %d", tt.stat, busy, total, err, tt.busy, tt.total)
			}
		})
	}
}

// FuzzParseMachineTicks checks that busy leaves out idle and iowait and
// total counts all eight times.
func FuzzParseMachineTicks(f *testing.F) {
	f.Add(uint32(100), uint32(5), uint32(50), uint32(1000), uint32(20), uint32(3), uint32(7), uint32(2))
	f.Fuzz(func(t *testing.T, user, nice, system, idle, iowait, irq, softirq, steal uint32) {
		stat := fmt.Sprintf("cpu  %d %d %d %d %d %d %d %d 0 0\ncpu0 1 2 3\n", user, nice, system, idle, iowait, irq, softirq, steal)
		wantBusy := int64(user) + int64(nice) + int64(system) + int64(irq) + int64(softirq) + int64(steal)
		busy, total, err := ParseMachineTicks(stat)
		if err != nil || busy != wantBusy || total != wantBusy+int64(idle)+int64(iowait) {
			t.Errorf("ParseMachineTicks(%q) = %d, %d, %v", stat, busy, total, err)
		}
	})
}

func TestParseVmRSS(t *testing.T) {
	tests := []struct {
		name   string
		status string
		kib    int64 // -1: an error
	}{
		{"tab and spaces before the value", "Name:\tx\nVmPeak:\t 9 kB\nVmRSS:\t   20480 kB\n", 20480},
		{"last line without a newline", "VmRSS: 7 kB", 7},
		{"no VmRSS line", "Name: x\n", -1},
		{"not a number", "VmRSS: lots kB\n", -1},
		{"VmRSS not at the start of a line", "XVmRSS: 5 kB\n", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseVmRSS([]byte(tt.status))
			if tt.kib < 0 {
				if err == nil {
					t.Errorf("ParseVmRSS(%q) = %d, want an error", tt.status, got)
				}
				return
			}
			if err != nil || got != tt.kib {
				t.Errorf("ParseVmRSS(%q) = %d, %v; want %d", tt.status, got, err, tt.kib)
			}
		})
	}
}

// FuzzParseVmRSS checks that lines before VmRSS, whatever they hold, do
// not change the value read.
func FuzzParseVmRSS(f *testing.F) {
	f.Add("Name:\tx\nVmPeak:\t 9 kB\n", uint32(20480))
	f.Fuzz(func(t *testing.T, before string, kib uint32) {
		if strings.Contains(before, "VmRSS:") {
			return
		}
		if before != "" && !strings.HasSuffix(before, "\n") {
			before += "\n"
		}
		status := fmt.Sprintf("%sVmRSS:\t%8d kB\nVmSwap: 0 kB\n", before, kib)
		got, err := ParseVmRSS([]byte(status))
		if err != nil || got != int64(kib) {
			t.Errorf("ParseVmRSS(%q) = %d, %v; want %d", status, got, err, kib)
		}
	})
}

func TestParseCPUModel(t *testing.T) {
	info := "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.00GHz\n\nprocessor\t: 1\nmodel name\t: second\n"
	if got := ParseCPUModel(info); got != "Intel(R) Xeon(R) CPU @ 2.00GHz" {
		t.Errorf("ParseCPUModel = %q", got)
	}
	if got := ParseCPUModel("processor\t: 0\nmodel\t\t: 85\n"); got != "" {
		t.Errorf("ParseCPUModel without a model name = %q, want \"\"", got)
	}
}

// TestThisProcess reads the files of this process and this machine, so a
// change in the readers (a path, a field) fails here, not in a bench run.
func TestThisProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc:", err)
	}
	if _, err := ProcessTicks(os.Getpid()); err != nil {
		t.Error(err)
	}
	if kib, err := RSSKiB(os.Getpid()); err != nil || kib <= 0 {
		t.Errorf("RSSKiB = %d, %v", kib, err)
	}
	busy, total, err := MachineTicks()
	if err != nil || busy <= 0 || total < busy {
		t.Errorf("MachineTicks = %d, %d, %v", busy, total, err)
	}
	if load, err := MachineLoad(context.Background(), 50*time.Millisecond); err != nil && !errors.Is(err, ErrNoTicks) || load < 0 || load > 1 {
		t.Errorf("MachineLoad = %v, %v", load, err)
	}
	if KernelRelease() == "" {
		t.Error("KernelRelease is empty")
	}
	if _, err := ProcessTicks(-1); err == nil {
		t.Error("ProcessTicks(-1): no error")
	}
}

func TestMachineLoadStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := MachineLoad(ctx, time.Hour); !errors.Is(err, context.Canceled) && !errors.Is(err, os.ErrNotExist) {
		t.Errorf("MachineLoad with a canceled context: %v", err)
	}
}
