package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// server is one row of the report: how to start it and what it measured.
type server struct {
	name string
	role string   // "tornago" or "peer"
	path string   // request path, "/" by default
	vs   []string // the rows a tornago row is divided by
	cmd  []string // binary and arguments, "{port}" replaced

	port, idlePort int
	proc           *exec.Cmd
	done           chan struct{} // closed when the process has exited
	waitErr        error         // Wait's result, once done is closed

	keepAlive, pipelined, p99, cpu, idleBytes []float64 // one per round
	foreign                                   []float64 // other load, one per run
	wrkBusy                                   []float64 // wrk's share of its CPU in the keep-alive run, one per round
	skipped                                   string
	notes                                     []string
}

// parseServer reads 'name=N;role=R;path=P;vs=A,B;cmd=BIN ARGS'. cmd comes
// last and runs to the end, so its arguments may hold ';'.
func parseServer(spec string) (*server, error) {
	s := &server{role: "peer", path: "/"}
	rest := spec
	for rest != "" {
		var field string
		if strings.HasPrefix(rest, "cmd=") {
			field, rest = rest, ""
		} else {
			field, rest, _ = strings.Cut(rest, ";")
		}
		key, value, ok := strings.Cut(field, "=")
		if !ok {
			return nil, fmt.Errorf("server %q: field %q is not key=value", spec, field)
		}
		switch key {
		case "name":
			s.name = value
		case "role":
			if value != "peer" && value != "tornago" {
				return nil, fmt.Errorf("server %q: role must be peer or tornago", spec)
			}
			s.role = value
		case "path":
			s.path = value
		case "vs":
			for v := range strings.SplitSeq(value, ",") {
				if v = strings.TrimSpace(v); v != "" {
					s.vs = append(s.vs, v)
				}
			}
		case "cmd":
			s.cmd = strings.Fields(value)
		default:
			return nil, fmt.Errorf("server %q: unknown field %q", spec, key)
		}
	}
	if s.name == "" || len(s.cmd) == 0 {
		return nil, fmt.Errorf("server %q: name and cmd are required", spec)
	}
	if !strings.HasPrefix(s.path, "/") {
		return nil, fmt.Errorf("server %q: path must start with /", spec)
	}
	return s, nil
}

// clone is a fresh, not yet started copy of s.
func (s *server) clone() *server {
	return &server{name: s.name, role: s.role, path: s.path, cmd: s.cmd}
}

// start runs the server pinned to the server CPU, in its own process group,
// and waits until it answers a request on path with a 2xx status.
func (s *server) start(ctx context.Context, c *config, port int) error {
	args := []string{"-c", c.serverCPU}
	for _, a := range s.cmd {
		args = append(args, strings.ReplaceAll(a, "{port}", fmt.Sprint(port)))
	}
	// taskset execs the server, so the pid is the server's own.
	cmd := exec.Command("taskset", args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %v: %w", s.cmd, err)
	}
	s.proc = cmd
	done := make(chan struct{})
	s.done = done
	go func() { s.waitErr = cmd.Wait(); close(done) }()

	url := fmt.Sprintf("http://127.0.0.1:%d%s", port, s.path)
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(c.readyAfter)
	for {
		select {
		case <-done:
			s.proc = nil
			return fmt.Errorf("exited before answering: %v", s.waitErr)
		case <-ctx.Done():
			s.stop()
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := client.Get(url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode/100 == 2 {
				return nil
			}
			err = fmt.Errorf("GET %s: %s", s.path, resp.Status)
		}
		if time.Now().After(deadline) {
			s.stop()
			return fmt.Errorf("not ready after %v: %v", c.readyAfter, err)
		}
	}
}

func (s *server) pid() int {
	if s.proc == nil || s.proc.Process == nil {
		return 0
	}
	return s.proc.Process.Pid
}

// stop ends the server's process group: SIGTERM, then SIGKILL after 3 s.
func (s *server) stop() {
	if s.proc == nil || s.proc.Process == nil {
		return
	}
	pgid := s.proc.Process.Pid
	// The group outlives its leader when it forked (Tornado with -loops),
	// so it is signalled even when the leader is gone.
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(3 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.done
	}
	s.proc = nil
}

// exited reports whether the server's process has ended, and how.
func (s *server) exited() (bool, error) {
	if s.proc == nil {
		return true, nil
	}
	select {
	case <-s.done:
		return true, s.waitErr
	default:
		return false, nil
	}
}

func (s *server) skip(reason string) { s.skipped = reason }
func (s *server) note(n string)      { s.notes = append(s.notes, n) }

// checkErrors notes a run whose answers were not all good.
func (s *server) checkErrors(run string, r wrkResult) {
	if r.socketErrors > 0 || r.non2xx > 0 {
		s.note(fmt.Sprintf("%s run: %d socket errors, %d non-2xx answers", run, r.socketErrors, r.non2xx))
	}
}
