// Command idleconns measures what an idle keep-alive connection costs a
// server in resident memory. It opens -n connections to the server (10,000 by
// default), sends one request on each and reads the answer, so every
// connection has been through a full request, then leaves them all idle and
// reads the server's VmRSS from /proc/<pid>/status before and after:
//
//	idleconns -addr 127.0.0.1:18081 -pid 12345 -n 10000
//	conns=10000 rss_before_kb=7420 rss_after_kb=209112 bytes_per_conn=20677
//
// The source addresses are spread over 127.0.0.2, 127.0.0.3, ... (-sources)
// so that repeated runs never run out of ephemeral ports. It raises its own
// RLIMIT_NOFILE to the hard limit. The whole run is bounded by -timeout.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tornago/tornago/bench/internal/procfs"
)

// maxResponseSize bounds the answer read on each connection: the servers
// measured here answer a few hundred bytes, and a hello-world page or a small
// home page fits many times over.
const maxResponseSize = 1 << 20

type config struct {
	addr        string
	path        string
	pid         int
	n           int
	sources     int
	concurrency int
	settle      time.Duration
	hold        time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "127.0.0.1:8888", "server address (loopback)")
	flag.StringVar(&c.path, "path", "/", "request path")
	flag.IntVar(&c.pid, "pid", 0, "server process id whose VmRSS is read (0: report no memory)")
	flag.IntVar(&c.n, "n", 10000, "number of idle keep-alive connections")
	flag.IntVar(&c.sources, "sources", 10, "spread source addresses over 127.0.0.2 .. 127.0.0.(1+sources)")
	flag.IntVar(&c.concurrency, "concurrency", 50, "connections opened at a time (below the server's backlog of 128)")
	flag.DurationVar(&c.settle, "settle", 2*time.Second, "wait after the last connection before reading VmRSS")
	flag.DurationVar(&c.hold, "hold", 0, "keep the connections open this long after measuring")
	timeout := flag.Duration("timeout", 90*time.Second, "bound on the whole run")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "idleconns:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	if err := raiseFileLimit(c.n + 64); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return fmt.Errorf("bad -addr: %w", err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q is not a loopback address", c.addr)
	}
	request := []byte("GET " + c.path + " HTTP/1.1\r\nHost: " + c.addr + "\r\n\r\n")

	// One warm-up request first, so the baseline includes whatever the
	// server sets up on its first request.
	warm, err := open(ctx, c, 0, request)
	if err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	warm.Close()
	time.Sleep(c.settle / 2)

	before, err := rss(c.pid)
	if err != nil {
		return err
	}
	conns := make([]net.Conn, c.n)
	defer func() {
		for _, conn := range conns {
			if conn != nil {
				conn.Close()
			}
		}
	}()
	jobs := make(chan int)
	errs := make(chan error, c.concurrency)
	var wg sync.WaitGroup
	for range c.concurrency {
		wg.Go(func() {
			for i := range jobs {
				conn, err := open(ctx, c, i, request)
				if err != nil {
					errs <- fmt.Errorf("connection %d: %w", i, err)
					return
				}
				conns[i] = conn
			}
		})
	}
	var firstErr error
feed:
	for i := range c.n {
		select {
		case jobs <- i:
		case firstErr = <-errs:
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		select {
		case firstErr = <-errs:
		default:
		}
	}
	if firstErr != nil {
		return firstErr
	}
	select {
	case <-time.After(c.settle):
	case <-ctx.Done():
		return ctx.Err()
	}
	after, err := rss(c.pid)
	if err != nil {
		return err
	}
	alive := countAlive(conns)
	perConn := 0.0
	if c.pid != 0 {
		perConn = float64(after-before) * 1024 / float64(c.n)
	}
	fmt.Printf("conns=%d alive=%d rss_before_kb=%d rss_after_kb=%d bytes_per_conn=%.0f\n",
		c.n, alive, before, after, perConn)
	if alive < c.n {
		return fmt.Errorf("server closed %d of %d idle connections during the measurement", c.n-alive, c.n)
	}
	if c.hold > 0 {
		select {
		case <-time.After(c.hold):
		case <-ctx.Done():
		}
	}
	return nil
}

// open dials from a spread source address, sends one request and reads the
// whole answer, leaving the connection open.
func open(ctx context.Context, c config, i int, request []byte) (net.Conn, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	if c.sources > 0 {
		d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i%c.sources))}
	}
	conn, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return nil, err
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(30 * time.Second)
	}
	conn.SetDeadline(deadline)
	if _, err := conn.Write(request); err != nil {
		conn.Close()
		return nil, err
	}
	if err := readResponse(bufio.NewReaderSize(conn, 4096)); err != nil {
		conn.Close()
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	return conn, nil
}

// readResponse reads one HTTP/1.1 response framed by Content-Length or by
// chunked encoding, and fails on anything but a 2xx status.
func readResponse(r *bufio.Reader) error {
	status, err := r.ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading status line: %w", err)
	}
	fields := strings.Fields(status)
	if len(fields) < 2 || !strings.HasPrefix(fields[1], "2") {
		return fmt.Errorf("unexpected status line %q", strings.TrimSpace(status))
	}
	length, chunked, total := -1, false, 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("reading headers: %w", err)
		}
		total += len(line)
		if total > maxResponseSize {
			return errors.New("response head too large")
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch strings.ToLower(name) {
		case "content-length":
			if length, err = strconv.Atoi(value); err != nil || length > maxResponseSize {
				return fmt.Errorf("bad Content-Length %q", value)
			}
		case "transfer-encoding":
			chunked = strings.EqualFold(value, "chunked")
		}
	}
	switch {
	case chunked:
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return fmt.Errorf("reading chunk size: %w", err)
			}
			size, err := strconv.ParseInt(strings.TrimSpace(strings.SplitN(line, ";", 2)[0]), 16, 32)
			if err != nil || size > maxResponseSize {
				return fmt.Errorf("bad chunk size %q", line)
			}
			if _, err := r.Discard(int(size) + 2); err != nil {
				return fmt.Errorf("reading chunk: %w", err)
			}
			if size == 0 {
				return nil
			}
		}
	case length >= 0:
		_, err := r.Discard(length)
		return err
	default:
		return errors.New("response has neither Content-Length nor chunked body")
	}
}

// countAlive polls every connection without blocking: one that reads EOF or
// an error was closed by the server.
func countAlive(conns []net.Conn) int {
	alive := 0
	var buf [1]byte
	for _, conn := range conns {
		sc, ok := conn.(syscall.Conn)
		if !ok {
			continue
		}
		raw, err := sc.SyscallConn()
		if err != nil {
			continue
		}
		open := true
		raw.Read(func(fd uintptr) bool {
			n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
			if n == 0 && err == nil {
				open = false // orderly shutdown by the server
			} else if err != nil && err != syscall.EAGAIN {
				open = false
			}
			return true
		})
		if open {
			alive++
		}
	}
	return alive
}

// rss reads the server's VmRSS, in KiB; 0 when no -pid was given.
func rss(pid int) (int64, error) {
	if pid == 0 {
		return 0, nil
	}
	return procfs.RSSKiB(pid)
}

// raiseFileLimit lifts the soft RLIMIT_NOFILE to the hard limit, and fails
// when even that is below need.
func raiseFileLimit(need int) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("getrlimit: %w", err)
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			return fmt.Errorf("setrlimit: %w", err)
		}
	}
	if lim.Cur < uint64(need) {
		return fmt.Errorf("RLIMIT_NOFILE hard limit %d is below the %d descriptors needed", lim.Max, need)
	}
	return nil
}
