// Command driver runs the HTTP benchmarks of bench/run.sh and writes the
// report. bench/run.sh builds the servers and calls it; it can also be run by
// hand:
//
//	driver -duration 3s -rounds 1 \
//	  -server 'name=net/http;role=peer;cmd=bin/nethttp -port {port} -loops 1' \
//	  -server 'name=tornago;role=tornago;vs=net/http;cmd=bin/hello -port {port} -loops 1'
//
// Every server is started pinned to one CPU (taskset), and wrk, pinned to
// the other, measures keep-alive req/s and p99 latency (wrk -t1 -c100),
// pipelined req/s (16 requests per write) and, from /proc/<pid>/stat, the
// server's CPU time per request. A fresh instance of each server then holds
// -idle keep-alive connections (bench/idleconns) to measure resident memory
// per idle connection. Rounds alternate: every server runs once per round,
// and each figure is the median over the rounds. Only 127.0.0.1 is used, and
// every run is bounded in time.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tornago/tornago/bench/internal/procfs"
)

type config struct {
	servers    []*server
	duration   time.Duration
	rounds     int
	idle       int
	connsKeep  int
	depth      int
	serverCPU  string
	clientCPU  string
	basePort   int
	wrk        string
	lua        string
	idleconns  string
	python     string
	out        string
	command    string
	quick      bool
	goBench    string
	pyBench    string
	notes      []string
	readyAfter time.Duration
	quietWait  time.Duration
	quietOnly  bool
}

type serverFlags struct{ c *config }

func (f serverFlags) String() string { return "" }
func (f serverFlags) Set(v string) error {
	s, err := parseServer(v)
	if err != nil {
		return err
	}
	f.c.servers = append(f.c.servers, s)
	return nil
}

type noteFlags struct{ c *config }

func (f noteFlags) String() string     { return "" }
func (f noteFlags) Set(v string) error { f.c.notes = append(f.c.notes, v); return nil }

func main() {
	var c config
	flag.Var(serverFlags{&c}, "server", "a server: 'name=N;role=peer|tornago;path=/;vs=A,B;cmd=BINARY ARGS' with {port} in ARGS (repeatable)")
	flag.Var(noteFlags{&c}, "note", "a line for the report's notes (repeatable)")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "length of each wrk run")
	flag.IntVar(&c.rounds, "rounds", 3, "alternating rounds; each figure is the median")
	flag.IntVar(&c.idle, "idle", 10000, "idle keep-alive connections for the memory figure (0: skip)")
	flag.IntVar(&c.connsKeep, "connections", 100, "wrk connections")
	flag.IntVar(&c.depth, "depth", 16, "pipelined requests per write")
	flag.StringVar(&c.serverCPU, "server-cpu", "0", "CPU list for the servers (taskset -c)")
	flag.StringVar(&c.clientCPU, "client-cpu", "1", "CPU list for wrk and idleconns (taskset -c)")
	flag.IntVar(&c.basePort, "base-port", 18080, "first port; servers listen on the free ports from base up, their idle instances from base+100 up")
	flag.StringVar(&c.wrk, "wrk", "wrk", "wrk binary")
	flag.StringVar(&c.lua, "pipeline-script", "pipeline.lua", "wrk script that pipelines requests")
	flag.StringVar(&c.idleconns, "idleconns", "bin/idleconns", "idleconns binary")
	flag.StringVar(&c.python, "python", "", "python3 that imports tornado (for the report's versions)")
	flag.StringVar(&c.out, "out", "RESULTS.md", "report file (markdown)")
	flag.StringVar(&c.command, "command", "", "the command line to record in the report")
	flag.BoolVar(&c.quick, "quick", false, "mark the report as a quick smoke run")
	flag.StringVar(&c.goBench, "gobench", "", "output of go test -bench Bigtable, for the template table")
	flag.StringVar(&c.pyBench, "pybench", "", "output of tornado_bigtable.py, for the template table")
	flag.DurationVar(&c.quietWait, "quiet-wait", 60*time.Second, "before each run, wait up to this long for the machine to be quiet (0: do not wait)")
	flag.BoolVar(&c.quietOnly, "quiet-only", false, "only wait (up to -quiet-wait) for the machine to be quiet, then exit")
	flag.DurationVar(&c.readyAfter, "ready-timeout", 20*time.Second, "how long a server may take to answer its first request")
	flag.Parse()
	if c.rounds < 1 {
		c.rounds = 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if c.quietOnly {
		waitQuiet(ctx, c.quietWait)
		return
	}
	if err := run(ctx, &c); err != nil {
		fmt.Fprintln(os.Stderr, "driver:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c *config) error {
	env := gatherEnv(c)
	var interrupted error
	if len(c.servers) > 0 {
		if err := measure(ctx, c); err != nil {
			// Stopped by a signal or a timeout: still report what was
			// measured, marked as partial.
			interrupted = err
			c.notes = append(c.notes, fmt.Sprintf("**Interrupted (%v): the figures are partial.**", err))
		}
	}
	tmpl, err := templateResults(c.goBench, c.pyBench)
	if err != nil {
		return err
	}
	report := renderReport(c, env, tmpl)
	fmt.Print(report)
	if c.out != "" {
		if err := os.WriteFile(c.out, []byte(report), 0o644); err != nil {
			return fmt.Errorf("writing report: %w", err)
		}
		fmt.Fprintln(os.Stderr, "driver: wrote", c.out)
	}
	return interrupted
}

// measure runs the rounds: in each, every server in turn (the order rotated
// by one each round) gets its keep-alive run, its pipelined run and its idle
// connection run.
func measure(ctx context.Context, c *config) error {
	next, nextIdle := c.basePort, c.basePort+100
	for _, s := range c.servers {
		s.port, next = freePort(next)
		s.idlePort, nextIdle = freePort(nextIdle)
	}
	defer func() {
		for _, s := range c.servers {
			s.stop()
		}
	}()
	for _, s := range c.servers {
		if err := s.start(ctx, c, s.port); err != nil {
			s.skip(fmt.Sprintf("did not start: %v", err))
			logf("%s: %v", s.name, err)
		}
	}
	for r := range c.rounds {
		for k := range c.servers {
			s := c.servers[(k+r)%len(c.servers)]
			if s.skipped != "" {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if gone, err := s.exited(); gone {
				s.skip(fmt.Sprintf("exited during the runs (%v)", err))
				logf("%s exited during the runs: %v", s.name, err)
				continue
			}
			logf("round %d/%d: %s", r+1, c.rounds, s.name)
			measureOne(ctx, c, s)
		}
	}
	return ctx.Err()
}

func measureOne(ctx context.Context, c *config, s *server) {
	url := fmt.Sprintf("http://127.0.0.1:%d%s", s.port, s.path)

	keep, ticks, foreign, err := loadRun(ctx, c, s, url, false)
	if err != nil {
		s.note(fmt.Sprintf("keep-alive run: %v", err))
		return
	}
	s.keepAlive = append(s.keepAlive, keep.reqPerSec)
	s.p99 = append(s.p99, keep.p99.Seconds()*1e6)
	s.foreign = append(s.foreign, foreign)
	s.wrkBusy = append(s.wrkBusy, keep.clientCPU.Seconds()/c.duration.Seconds())
	if keep.requests > 0 {
		s.cpu = append(s.cpu, float64(ticks)/procfs.ClockTicks*1e6/float64(keep.requests))
	}
	s.checkErrors("keep-alive", keep)
	logf("  keep-alive %.0f req/s, p99 %v, %d requests, other load %.0f%%", keep.reqPerSec, keep.p99, keep.requests, foreign*100)

	pipe, _, foreign, err := loadRun(ctx, c, s, url, true)
	if err != nil {
		s.note(fmt.Sprintf("pipelined run: %v", err))
	} else {
		s.pipelined = append(s.pipelined, pipe.reqPerSec)
		s.foreign = append(s.foreign, foreign)
		s.checkErrors("pipelined", pipe)
		logf("  pipelined %.0f req/s, other load %.0f%%", pipe.reqPerSec, foreign*100)
	}

	if c.idle > 0 {
		perConn, err := idleMemory(ctx, c, s)
		if err != nil {
			s.note(fmt.Sprintf("idle connections: %v", err))
			logf("  idle connections: %v", err)
		} else {
			s.idleBytes = append(s.idleBytes, perConn)
			logf("  idle connection %.0f bytes", perConn)
		}
	}
}

// loadRun waits for a quiet machine, then runs wrk once against s and
// returns its report, the server's CPU ticks during the run and the foreign
// load.
func loadRun(ctx context.Context, c *config, s *server, url string, pipelined bool) (wrkResult, int64, float64, error) {
	waitQuiet(ctx, c.quietWait)
	m, err := startLoad(s.pid())
	if err != nil {
		return wrkResult{}, 0, 0, err
	}
	r, err := runWrk(ctx, c, url, pipelined)
	if err != nil {
		return r, 0, 0, err
	}
	ticks, foreign, err := m.stop(s.pid(), r.clientCPU)
	return r, ticks, foreign, err
}

// idleMemory starts a fresh instance of s, so the figure is not blurred by
// what the load runs left in its heap, and measures it with idleconns.
func idleMemory(ctx context.Context, c *config, s *server) (float64, error) {
	inst := s.clone()
	if err := inst.start(ctx, c, s.idlePort); err != nil {
		return 0, err
	}
	defer inst.stop()
	out, _, err := runCommand(ctx, 150*time.Second, "taskset", "-c", c.clientCPU, c.idleconns,
		"-addr", fmt.Sprintf("127.0.0.1:%d", s.idlePort), "-path", s.path,
		"-pid", fmt.Sprint(inst.pid()), "-n", fmt.Sprint(c.idle), "-timeout", "120s")
	if err != nil {
		return 0, err
	}
	return parseIdleconns(out)
}

// freePort returns the first port from p up that nothing listens on at
// 127.0.0.1 (another program, or another run of this benchmark), and the
// port to try next.
func freePort(p int) (port, next int) {
	for ; p < 65535; p++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err == nil {
			ln.Close()
			return p, p + 1
		}
	}
	return p, p
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "driver: "+format+"\n", args...)
}
