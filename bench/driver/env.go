package main

import (
	"context"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/tornago/tornago/bench/internal/procfs"
)

// env describes the machine and tools for the report.
type env struct {
	date, cpuModel, kernel, goVersion, wrkVersion, python string
	nproc                                                 int
}

func gatherEnv(c *config) env {
	e := env{date: time.Now().UTC().Format("2006-01-02 15:04 MST"), nproc: runtime.NumCPU()}
	e.cpuModel = procfs.CPUModel()
	e.kernel = procfs.KernelRelease()
	ctx := context.Background()
	if out, _, err := runCommand(ctx, 10*time.Second, "go", "version"); err == nil {
		e.goVersion = strings.TrimSpace(out)
	}
	// wrk -v prints its version and exits non-zero; keep the first line.
	if out, _ := runCommandCombined(ctx, 10*time.Second, c.wrk, "-v"); out != "" {
		first, _, _ := strings.Cut(out, "\n")
		first, _, _ = strings.Cut(first, " Copyright")
		e.wrkVersion = strings.TrimSpace(first)
	}
	if c.python != "" {
		if out, _, err := runCommand(ctx, 10*time.Second, c.python, "-c",
			"import sys, tornado; print('CPython %d.%d.%d, Tornado %s' % (sys.version_info[:3] + (tornado.version,)))"); err == nil {
			e.python = strings.TrimSpace(out)
		}
	}
	return e
}

// runCommandCombined runs a command bounded by timeout and returns its
// standard output and error together, whatever its exit status.
func runCommandCombined(ctx context.Context, timeout time.Duration, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	return string(out), err
}
