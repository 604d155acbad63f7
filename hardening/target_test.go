package hardening

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// targetBin is the target built once per test binary by TestMain.
var targetBin string

// raceTarget: HARDENING_TARGET_RACE=1 builds the target with -race, to
// hunt data races in the server under hostile clients. Its shadow memory
// and slowdown void the memory bounds and stretch the timings, so the
// tests skip the former and double the latter.
var raceTarget = os.Getenv("HARDENING_TARGET_RACE") == "1"

// slack scales a timing window for the race-enabled target.
func slack(d time.Duration) time.Duration {
	if raceTarget {
		return 2 * d
	}
	return d
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hardening-target")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	targetBin = filepath.Join(dir, "target")
	args := []string{"build", "-o", targetBin}
	if raceTarget {
		// The server under the race detector: for a race hunt, not for
		// the memory bounds, which its shadow memory inflates.
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, "./cmd/target")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the target:", err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer collects the target's stderr.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// target is one running target process.
type target struct {
	t      *testing.T
	cmd    *exec.Cmd
	addr   string
	pid    int // the server's pid (not strace's, when traced)
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // Wait's result, after done
}

// startupTimeout bounds the wait for the target to listen (a fresh build
// on a loaded two-core machine can be slow to start).
const startupTimeout = 15 * time.Second

// startTarget runs the target with args; prefix (e.g. strace) wraps it.
func startTarget(t *testing.T, prefix []string, args ...string) *target {
	t.Helper()
	addrFile := filepath.Join(t.TempDir(), "addr")
	argv := append(append(append([]string{}, prefix...), targetBin, "-addr-file", addrFile), args...)
	tg := &target{t: t, stderr: &syncBuffer{}, done: make(chan struct{})}
	tg.cmd = exec.Command(argv[0], argv[1:]...)
	tg.cmd.Stderr = tg.stderr
	if err := tg.cmd.Start(); err != nil {
		t.Fatalf("starting target: %v", err)
	}
	go func() {
		tg.err = tg.cmd.Wait()
		close(tg.done)
	}()
	t.Cleanup(func() {
		select {
		case <-tg.done:
		default:
			// The server itself too: under strace it is not cmd's process,
			// and Wait waits for the stderr it holds.
			if tg.pid > 0 {
				syscall.Kill(tg.pid, syscall.SIGKILL)
			}
			tg.cmd.Process.Kill()
			<-tg.done
		}
		if strings.Contains(tg.stderr.String(), "DATA RACE") {
			t.Error("the target reported a data race")
		}
		if t.Failed() {
			t.Logf("target stderr (tail):\n%s", tail(tg.stderr.String(), 4000))
		}
	})
	deadline := time.Now().Add(startupTimeout)
	for {
		b, err := os.ReadFile(addrFile)
		if err == nil {
			f := strings.Fields(string(b))
			tg.addr = f[0]
			tg.pid, _ = strconv.Atoi(f[1])
			return tg
		}
		select {
		case <-tg.done:
			t.Fatalf("target exited at start: %v\n%s", tg.err, tg.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("target did not listen within %v", startupTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// stop sends SIGTERM and returns the exit code (fatal past wait).
func (tg *target) stop(wait time.Duration) int {
	tg.t.Helper()
	tg.sigterm()
	select {
	case <-tg.done:
	case <-time.After(wait):
		tg.t.Fatalf("target did not exit within %v of SIGTERM", wait)
	}
	var ee *exec.ExitError
	if errors.As(tg.err, &ee) {
		return ee.ExitCode()
	}
	if tg.err != nil {
		tg.t.Fatalf("target: %v", tg.err)
	}
	return 0
}

// sigterm signals the server process (not strace, when traced).
func (tg *target) sigterm() {
	syscall.Kill(tg.pid, syscall.SIGTERM)
}

func (tg *target) alive() bool {
	select {
	case <-tg.done:
		return false
	default:
		return true
	}
}

// stats is the target's /debug/stats report.
type stats struct {
	Goroutines  int `json:"goroutines"`
	FDs         int `json:"fds"`
	RSSKiB      int `json:"rss_kib"`
	Connections int `json:"connections"`
}

// stats fetches /debug/stats on a connection of its own, which the
// report counts (one fd, one connection).
func (tg *target) stats() stats {
	tg.t.Helper()
	status, body, err := get(tg.addr, "/debug/stats")
	if err != nil || status != 200 {
		tg.t.Fatalf("/debug/stats: %d %v", status, err)
	}
	var st stats
	if err := json.Unmarshal(body, &st); err != nil {
		tg.t.Fatalf("/debug/stats: %v: %q", err, body)
	}
	return st
}

// fds counts the target's open descriptors through /proc.
func (tg *target) fds() int {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", tg.pid))
	if err != nil {
		return -1
	}
	return len(ents)
}

// cpuTime is the target's user+system CPU time so far.
func (tg *target) cpuTime() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", tg.pid))
	if err != nil {
		return -1
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(f[11], 10, 64)        // field 14, utime
	st, _ := strconv.ParseInt(f[12], 10, 64)        // field 15, stime
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

// rssKiB reads the target's resident memory through /proc.
func (tg *target) rssKiB() int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", tg.pid))
	if err != nil {
		return -1
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.Fields(rest)[0])
			return n
		}
	}
	return -1
}

// waitFor polls cond every 50 ms until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ioTimeout bounds every client read and write so no test can hang.
const ioTimeout = 10 * time.Second

// get does one request on a fresh connection with Connection: close.
func get(addr, path string) (int, []byte, error) {
	c, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return 0, nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(ioTimeout))
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", path); err != nil {
		return 0, nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// waitBaseline waits until the target's fds and goroutines are back to
// base (the stats connection itself is counted in both readings).
func (tg *target) waitBaseline(base stats, d time.Duration) (stats, bool) {
	var st stats
	ok := waitFor(d, func() bool {
		st = tg.stats()
		return st.FDs <= base.FDs && st.Goroutines <= base.Goroutines
	})
	return st, ok
}
