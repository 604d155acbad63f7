package hardening

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEMFILE lowers the target's RLIMIT_NOFILE to nofile and opens more
// connections than it can accept. At EMFILE the listener must not spin:
// accept(2) calls are counted with strace (the target's own accept counter
// is unexported), and CPU time is a second check. The connections it did
// accept are still served, and once the clients close, new ones are.
func TestEMFILE(t *testing.T) {
	const (
		nofile  = 64
		clients = 120 // nofile minus the target's own fds, plus a backlog's worth
		window  = time.Second
		// maxAccepts bounds accept(2) calls in window while exhausted:
		// a listener that retries every 100 ms makes about 10; a
		// level-triggered spin makes hundreds of thousands.
		maxAccepts = 50
		// maxCPU bounds the target's CPU time in window while exhausted
		// (strace's own overhead included).
		maxCPU = 250 * time.Millisecond
	)
	var prefix []string
	traceFile := filepath.Join(t.TempDir(), "strace")
	if path, err := exec.LookPath("strace"); err == nil {
		prefix = []string{path, "-f", "-qq", "-e", "trace=accept,accept4", "-o", traceFile}
	} else if os.Getenv("CI") == "true" {
		t.Fatal("strace not found: with CI=true the accept calls must be counted (.ci/run installs strace)")
	} else {
		t.Log("strace not found: checking CPU time only (install strace to count accept calls)")
	}
	tg := startTarget(t, prefix, "-nofile", "64")
	if !tg.alive() {
		t.Fatal("target died")
	}

	conns := make([]net.Conn, 0, clients)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range clients {
		c, err := net.DialTimeout("tcp", tg.addr, time.Second)
		if err != nil {
			break // the backlog is full: enough
		}
		conns = append(conns, c)
	}
	if !waitFor(3*time.Second, func() bool { return tg.fds() >= nofile-1 }) {
		t.Fatalf("target never ran out of descriptors: %d open, limit %d, %d clients", tg.fds(), nofile, len(conns))
	}
	time.Sleep(300 * time.Millisecond) // into the steady state of the episode

	accepts0, cpu0 := countAccepts(t, traceFile, prefix), tg.cpuTime()
	time.Sleep(window)
	accepts, cpu := countAccepts(t, traceFile, prefix)-accepts0, tg.cpuTime()-cpu0
	t.Logf("at EMFILE for %v: %d accept calls, %v CPU; %d clients, %d target fds", window, accepts, cpu, len(conns), tg.fds())
	if prefix != nil && accepts > maxAccepts {
		t.Errorf("%d accept calls in %v at EMFILE: the listener spins", accepts, window)
	}
	if cpu > maxCPU {
		t.Errorf("target used %v CPU in %v at EMFILE", cpu, window)
	}
	if !tg.alive() {
		t.Fatalf("target died at EMFILE: %v", tg.err)
	}
	if !strings.Contains(tg.stderr.String(), "out of resources") {
		t.Error("EMFILE was not logged")
	}

	// An accepted connection is still served at EMFILE.
	c := conns[0]
	c.SetDeadline(time.Now().Add(ioTimeout))
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("an accepted connection at EMFILE: %v", err)
	}
	resp.Body.Close()

	// The clients leave: the server accepts and serves again by itself.
	for _, c := range conns {
		c.Close()
	}
	conns = nil
	start := time.Now()
	if !waitFor(5*time.Second, func() bool {
		status, _, err := get(tg.addr, "/")
		return err == nil && status == 200
	}) {
		t.Fatal("the target does not serve again after the descriptors were freed")
	}
	t.Logf("serving again %v after the clients closed", time.Since(start).Round(time.Millisecond))
	if code := tg.stop(5 * time.Second); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// countAccepts counts the accept calls strace has logged so far.
func countAccepts(t *testing.T, file string, prefix []string) int {
	if prefix == nil {
		return 0
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("strace log: %v", err)
	}
	n := 0
	for line := range strings.Lines(string(b)) {
		if strings.Contains(line, "accept") && !strings.Contains(line, "resumed>") {
			n++
		}
	}
	return n
}
