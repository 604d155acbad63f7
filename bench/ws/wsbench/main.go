// Command wsbench measures WebSocket servers for bench/ws.sh: echoed
// messages per second on one core, and resident memory per idle socket.
//
//	taskset -c 1 wsbench -duration 10s -rounds 3 -idle 10000 \
//	  -server 'tornago=bin/tornagows -port {port} -compress' \
//	  -server 'gorilla/websocket=bin/gorillaws -port {port} -compress'
//
// Each server is started pinned to -server-cpu (taskset) and must serve a
// WebSocket echo at /echo; run wsbench itself pinned to the other CPU. The
// echo run opens -conns connections and keeps -window text messages of
// -size bytes in flight on each, checking every echo against the message
// it answers; it counts echoes for -duration after a warm-up. With
// -deflate each server is measured a second time with permessage-deflate
// offered (no context takeover both ways). The idle run starts a fresh
// instance of each server, opens -idle connections (one echo each), leaves
// them idle and reads the server's VmRSS from /proc before and after.
// Rounds alternate the servers; each figure is the median over rounds.
// Every run is bounded by -timeout; on a timeout or a signal the report
// holds what was measured, marked partial. -cpuprofile writes the client's
// profile, to see where a client-limited row's time went.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"
)

// config is the command line.
type config struct {
	servers     []serverSpec
	baseline    string
	conns       int
	window      int
	size        int
	deflate     bool
	duration    time.Duration
	warmup      time.Duration
	rounds      int
	idle        int
	sources     int
	settle      time.Duration
	serverCPU   string
	ready       time.Duration
	quietWait   time.Duration
	quietBudget time.Duration
	timeout     time.Duration
	out         string
	command     string
	quick       bool
	notes       []string
}

type listFlag struct{ add func(string) error }

func (f listFlag) String() string     { return "" }
func (f listFlag) Set(v string) error { return f.add(v) }

func main() {
	var c config
	flag.Var(listFlag{func(v string) error {
		s, err := parseServerSpec(v)
		c.servers = append(c.servers, s)
		return err
	}}, "server", "a server: 'NAME=BINARY ARGS' with {port} in ARGS, serving a WebSocket echo at /echo (repeatable)")
	flag.Var(listFlag{func(v string) error { c.notes = append(c.notes, v); return nil }}, "note", "a line for the report's notes (repeatable)")
	flag.StringVar(&c.baseline, "baseline", "", "the server the others are divided by (default: the last -server)")
	flag.IntVar(&c.conns, "conns", 100, "echo connections")
	flag.IntVar(&c.window, "window", 16, "messages in flight per echo connection")
	flag.IntVar(&c.size, "size", 32, "bytes per message (at least 20)")
	flag.BoolVar(&c.deflate, "deflate", true, "also measure each server with permessage-deflate")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "measured length of each echo run")
	flag.DurationVar(&c.warmup, "warmup", time.Second, "echo load before each measured run")
	flag.IntVar(&c.rounds, "rounds", 3, "alternating rounds; each figure is the median")
	flag.IntVar(&c.idle, "idle", 10000, "idle sockets for the memory figure (0: skip)")
	flag.IntVar(&c.sources, "sources", 10, "idle sockets come from 127.0.0.2 .. 127.0.0.(1+sources)")
	flag.DurationVar(&c.settle, "settle", 2*time.Second, "wait before reading VmRSS with the idle sockets open")
	flag.StringVar(&c.serverCPU, "server-cpu", "0", "CPU list for the servers (taskset -c)")
	flag.DurationVar(&c.ready, "ready-timeout", 20*time.Second, "how long a server may take to accept its first socket")
	flag.DurationVar(&c.quietWait, "quiet-wait", 10*time.Second, "before each run, wait up to this long for the machine to be quiet")
	flag.DurationVar(&c.quietBudget, "quiet-budget", 40*time.Second, "total waiting for quiet over the whole run")
	flag.DurationVar(&c.timeout, "timeout", 290*time.Second, "bound on the whole run")
	flag.StringVar(&c.out, "out", "", "markdown report file (also printed)")
	flag.StringVar(&c.command, "command", "", "the command line to record in the report")
	flag.BoolVar(&c.quick, "quick", false, "mark the report as a quick smoke run")
	cpuProfile := flag.String("cpuprofile", "", "write the client's CPU profile here (to see whether the client limits a row)")
	flag.Parse()
	if err := c.check(); err != nil {
		fmt.Fprintln(os.Stderr, "wsbench:", err)
		os.Exit(2)
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "wsbench:", err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if err := run(ctx, &c); err != nil {
		fmt.Fprintln(os.Stderr, "wsbench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func (c *config) check() error {
	if len(c.servers) == 0 {
		return fmt.Errorf("no -server given")
	}
	seen := map[string]bool{}
	for _, s := range c.servers {
		if seen[s.name] {
			return fmt.Errorf("two servers named %q", s.name)
		}
		seen[s.name] = true
	}
	if c.baseline == "" {
		c.baseline = c.servers[len(c.servers)-1].name
	} else if !seen[c.baseline] {
		return fmt.Errorf("-baseline %q is not a -server", c.baseline)
	}
	switch {
	case c.size < seqDigits:
		return fmt.Errorf("-size %d: at least %d bytes carry the sequence number", c.size, seqDigits)
	case c.conns < 1 || c.window < 1:
		return fmt.Errorf("-conns and -window must be at least 1")
	case c.rounds < 1:
		return fmt.Errorf("-rounds must be at least 1")
	case c.idle < 0 || c.sources < 0 || c.sources > 250:
		return fmt.Errorf("-idle must be positive and -sources within 0..250")
	case c.duration <= 0:
		return fmt.Errorf("-duration must be positive")
	}
	return nil
}

func run(ctx context.Context, c *config) error {
	if err := raiseFileLimit(c.idle + c.conns + 64); err != nil {
		return err
	}
	env := gatherEnv()
	t := newTable(c)
	err := measure(ctx, c, t)
	if err != nil {
		// Stopped by the time bound or a signal: report what was measured.
		t.notes = append(t.notes, fmt.Sprintf("**Interrupted (%v): the figures are partial.**", err))
	}
	report := renderReport(c, env, t)
	fmt.Print(report)
	if c.out != "" {
		if werr := os.WriteFile(c.out, []byte(report), 0o644); werr != nil {
			return fmt.Errorf("writing report: %w", werr)
		}
		logf("wrote %s", c.out)
	}
	return err
}

// measure runs the rounds: in each, every echo case (server and framing)
// in turn, the order rotated by one each round, then every server's idle
// run on a fresh instance.
func measure(ctx context.Context, c *config, t *table) error {
	procs := make([]*process, len(c.servers))
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	for i, s := range c.servers {
		p, err := startServer(ctx, s, c.serverCPU, c.ready)
		if err != nil {
			t.skip(s.name, fmt.Sprintf("did not start: %v", err))
			logf("%v", err)
			continue
		}
		procs[i] = p
	}
	budget := c.quietBudget
	quiet := func() {
		if budget > 0 {
			budget -= waitQuiet(ctx, min(c.quietWait, budget))
		}
	}
	cases := t.echoCases()
	for r := range c.rounds {
		for k := range cases {
			ec := cases[(k+r)%len(cases)]
			p := procs[ec.server]
			if p == nil || ctx.Err() != nil {
				continue
			}
			if p.exited() {
				t.skip(c.servers[ec.server].name, fmt.Sprintf("exited during the runs (%v)", p.waitErr))
				continue
			}
			quiet()
			logf("round %d/%d: %s, %s", r+1, c.rounds, c.servers[ec.server].name, ec.framing())
			res, err := echoRun(ctx, echoConfig{addr: p.addr, conns: c.conns, window: c.window, size: c.size,
				deflate: ec.deflate, warmup: c.warmup, duration: c.duration, pid: p.pid()})
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				t.notef("%s, %s, round %d: %v", c.servers[ec.server].name, ec.framing(), r+1, err)
				logf("  %v", err)
				continue
			}
			t.addEcho(ec, res)
			logf("  %.0f messages/s, server CPU %.0f%%, client CPU %.0f%%, other load %.0f%%",
				res.rate(), res.serverCPU*100, res.clientCPU*100, res.foreign*100)
		}
		if c.idle > 0 {
			for k := range c.servers {
				i := (k + r) % len(c.servers)
				if procs[i] == nil || ctx.Err() != nil {
					continue
				}
				quiet()
				if err := idleOne(ctx, c, t, i, r); err != nil {
					return err
				}
			}
		}
	}
	return ctx.Err()
}

// idleOne measures server i's memory per idle socket on a fresh instance.
func idleOne(ctx context.Context, c *config, t *table, i, r int) error {
	s := c.servers[i]
	logf("round %d/%d: %s, %d idle sockets", r+1, c.rounds, s.name, c.idle)
	p, err := startServer(ctx, s, c.serverCPU, c.ready)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t.notef("%s idle run, round %d: %v", s.name, r+1, err)
		return nil
	}
	defer p.stop()
	res, err := idleRun(ctx, idleConfig{addr: p.addr, pid: p.pid(), n: c.idle, sources: c.sources, settle: c.settle})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t.notef("%s idle run, round %d: %v", s.name, r+1, err)
		logf("  %v", err)
		return nil
	}
	t.addIdle(i, res)
	logf("  VmRSS %d KiB -> %d KiB: %.0f bytes per idle socket", res.beforeKiB, res.afterKiB, res.perSocket(c.idle))
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "wsbench: "+format+"\n", args...)
}
