package web_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// reloadWait bounds how long the test waits for the new binary to answer:
// two 500 ms polls, a Shutdown, the exec and the bind, on a busy machine.
const reloadWait = 30 * time.Second

// TestAutoreloadReexec builds a Debug program twice, starts the first
// build, replaces its binary with the second and sees the second answer on
// the same port, in the same process (syscall.Exec keeps the pid).
func TestAutoreloadReexec(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program twice")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	build := func(version, out string) {
		t.Helper()
		cmd := exec.Command(gobin, "build", "-o", out, "-ldflags", "-X main.version="+version, "./testdata/autoreload")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", version, err, b)
		}
	}
	bin := filepath.Join(dir, "server")
	build("v1", bin)
	build("v2", filepath.Join(dir, "server.v2"))

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	var logs strings.Builder
	cmd := exec.Command(bin, "-port", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("program output:\n%s", logs.String())
		}
	})
	pid := strconv.Itoa(cmd.Process.Pid)
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/"
	waitFor(t, url, "v1 "+pid)

	// Replace the binary as a build does: a new file renamed over it.
	if err := os.Rename(filepath.Join(dir, "server.v2"), bin); err != nil {
		t.Fatal(err)
	}
	waitFor(t, url, "v2 "+pid)
}

// waitFor polls url until it answers want.
func waitFor(t *testing.T, url, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), reloadWait)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	last := ""
	for ctx.Err() == nil {
		if resp, err := client.Get(url); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if last = string(b); last == want {
				return
			}
		} else {
			last = err.Error()
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never answered %q; last: %q", url, want, last)
}
