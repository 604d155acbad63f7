package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverSpec is one server of the report: its name and how to start it.
type serverSpec struct {
	name string
	cmd  []string // binary and arguments, "{port}" replaced
}

// parseServerSpec reads "NAME=BINARY ARGS".
func parseServerSpec(s string) (serverSpec, error) {
	name, cmd, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.TrimSpace(cmd) == "" {
		return serverSpec{}, fmt.Errorf("server %q: want NAME=BINARY ARGS", s)
	}
	return serverSpec{name: name, cmd: strings.Fields(cmd)}, nil
}

// process is a running server.
type process struct {
	addr    string
	cmd     *exec.Cmd
	done    chan struct{}
	waitErr error
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startServer runs spec pinned to cpu (taskset) in its own process group
// and waits until it completes a WebSocket handshake on /echo.
func startServer(ctx context.Context, spec serverSpec, cpu string, ready time.Duration) (*process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{"-c", cpu}
	for _, a := range spec.cmd {
		args = append(args, strings.ReplaceAll(a, "{port}", strconv.Itoa(port)))
	}
	// taskset execs the server, so the pid is the server's own.
	cmd := exec.Command("taskset", args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %v: %w", spec.cmd, err)
	}
	p := &process{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), cmd: cmd, done: make(chan struct{})}
	go func() { p.waitErr = cmd.Wait(); close(p.done) }()

	deadline := time.Now().Add(ready)
	for {
		select {
		case <-p.done:
			return nil, fmt.Errorf("%s exited before answering: %v", spec.name, p.waitErr)
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		dctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		c, err := dial(dctx, p.addr, "/echo", nil, false)
		cancel()
		if err == nil {
			err = echoOnce(c, 0)
			c.Close()
			if err == nil {
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("%s not ready after %v: %v", spec.name, ready, err)
		}
	}
}

func (p *process) pid() int { return p.cmd.Process.Pid }

// exited reports whether the server has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop ends the server's process group: SIGTERM, then SIGKILL after 3 s.
func (p *process) stop() {
	if p == nil {
		return
	}
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(3 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
}
