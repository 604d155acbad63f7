package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wrkResult is what one wrk run reports.
type wrkResult struct {
	reqPerSec    float64
	requests     int64
	p99          time.Duration
	socketErrors int64
	non2xx       int64
	clientCPU    time.Duration // wrk's own user+system time
}

// runWrk runs wrk pinned to the client CPU against url, pipelined or not.
func runWrk(ctx context.Context, c *config, url string, pipelined bool) (wrkResult, error) {
	args := []string{"-c", c.clientCPU, c.wrk, "-t1", fmt.Sprintf("-c%d", c.connsKeep),
		fmt.Sprintf("-d%ds", int(c.duration.Round(time.Second)/time.Second)), "--latency"}
	if pipelined {
		args = append(args, "-s", c.lua, url, "--", fmt.Sprint(c.depth))
	} else {
		args = append(args, url)
	}
	out, cpu, err := runCommand(ctx, c.duration+30*time.Second, "taskset", args...)
	if err != nil {
		return wrkResult{}, err
	}
	r, err := parseWrk(out)
	r.clientCPU = cpu
	return r, err
}

var (
	wrkReqPerSec = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkRequests  = regexp.MustCompile(`(?m)^\s*(\d+) requests in `)
	wrkP99       = regexp.MustCompile(`(?m)^\s*99%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	wrkSocket    = regexp.MustCompile(`(?m)^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx    = regexp.MustCompile(`(?m)^\s*Non-2xx or 3xx responses: (\d+)`)
)

// parseWrk reads wrk's text report (run with --latency).
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	m := wrkReqPerSec.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no Requests/sec in wrk output:\n%s", out)
	}
	r.reqPerSec, _ = strconv.ParseFloat(m[1], 64)
	if m = wrkRequests.FindStringSubmatch(out); m != nil {
		r.requests, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m = wrkP99.FindStringSubmatch(out); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute}[m[2]]
		r.p99 = time.Duration(v * float64(unit))
	}
	if m = wrkSocket.FindStringSubmatch(out); m != nil {
		for _, f := range m[1:] {
			n, _ := strconv.ParseInt(f, 10, 64)
			r.socketErrors += n
		}
	}
	if m = wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.non2xx, _ = strconv.ParseInt(m[1], 10, 64)
	}
	return r, nil
}

// runCommand runs a command bounded by timeout and returns its standard
// output and its CPU time (user+system); standard error is included in the
// error when it fails.
func runCommand(ctx context.Context, timeout time.Duration, name string, args ...string) (string, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	var cpu time.Duration
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return stdout.String(), cpu, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), cpu, nil
}

var idleLine = regexp.MustCompile(`bytes_per_conn=(-?[0-9.]+)`)

// parseIdleconns reads idleconns' one-line report.
func parseIdleconns(out string) (float64, error) {
	m := idleLine.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no bytes_per_conn in idleconns output %q", out)
	}
	return strconv.ParseFloat(m[1], 64)
}
