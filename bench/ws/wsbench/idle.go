package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tornago/tornago/bench/internal/procfs"
)

// idleConfig is one idle-memory run.
type idleConfig struct {
	addr    string
	pid     int
	n       int           // sockets held open
	sources int           // source addresses 127.0.0.2 .. 127.0.0.(1+sources)
	settle  time.Duration // wait before each reading of VmRSS
}

// idleResult is what one idle run measured.
type idleResult struct {
	beforeKiB, afterKiB int64
	alive               int
	// Go heap and stacks in use (bytes) from the server's /heap, when it
	// answers it; heapErr says why not.
	heapBefore, heapAfter int64
	heapErr               error
}

// heapPerSocket is the server's Go heap and stacks per idle socket, in
// bytes.
func (r idleResult) heapPerSocket(n int) float64 {
	if n <= 0 || r.heapErr != nil {
		return 0
	}
	return float64(r.heapAfter-r.heapBefore) / float64(n)
}

// maxHeapAnswer bounds /heap's answer: two decimal numbers.
const maxHeapAnswer = 256

// readHeap asks the server's /heap for its Go heap and stacks in use after
// a collection, and returns their sum.
func readHeap(ctx context.Context, addr string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/heap", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET /heap: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxHeapAnswer))
	if err != nil {
		return 0, fmt.Errorf("GET /heap: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET /heap: %s", resp.Status)
	}
	return parseHeap(string(body))
}

// parseHeap reads "HEAP_INUSE STACK_INUSE" and returns their sum.
func parseHeap(s string) (int64, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, fmt.Errorf("/heap answered %q, want two numbers", s)
	}
	heap, err1 := strconv.ParseInt(f[0], 10, 64)
	stack, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil || heap < 0 || stack < 0 {
		return 0, fmt.Errorf("/heap answered %q, want two numbers", s)
	}
	return heap + stack, nil
}

// perSocket is the server's resident memory per idle socket, in bytes.
func (r idleResult) perSocket(n int) float64 {
	if n <= 0 {
		return 0
	}
	return float64(r.afterKiB-r.beforeKiB) * 1024 / float64(n)
}

// idleRun reads the server's VmRSS, opens n WebSocket connections, echoes
// one message on each (so every socket has been through its handshake and
// a message), leaves them idle, and reads VmRSS again.
func idleRun(ctx context.Context, cfg idleConfig) (idleResult, error) {
	// A warm-up socket first, so the baseline includes what the server
	// sets up on its first socket and message.
	warm, err := dialAll(ctx, cfg.addr, 1, cfg.sources, false)
	if err != nil {
		return idleResult{}, fmt.Errorf("warm-up: %w", err)
	}
	if err := echoOnce(warm[0], 0); err != nil {
		closeAll(warm)
		return idleResult{}, fmt.Errorf("warm-up: %w", err)
	}
	closeAll(warm)
	var r idleResult
	// The heap first: its collection then settles before VmRSS is read.
	r.heapBefore, r.heapErr = readHeap(ctx, cfg.addr)
	if err := sleepCtx(ctx, cfg.settle/2); err != nil {
		return idleResult{}, err
	}
	if r.beforeKiB, err = procfs.RSSKiB(cfg.pid); err != nil {
		return r, err
	}
	conns, err := dialAll(ctx, cfg.addr, cfg.n, cfg.sources, false)
	if err != nil {
		return r, err
	}
	defer closeAll(conns)
	for i, c := range conns {
		if err := echoOnce(c, i); err != nil {
			return r, fmt.Errorf("connection %d: %w", i, err)
		}
	}
	if err := sleepCtx(ctx, cfg.settle); err != nil {
		return r, err
	}
	if r.afterKiB, err = procfs.RSSKiB(cfg.pid); err != nil {
		return r, err
	}
	r.alive = countAlive(conns)
	if r.alive < cfg.n {
		return r, fmt.Errorf("server closed %d of %d idle sockets during the measurement", cfg.n-r.alive, cfg.n)
	}
	if r.heapErr == nil {
		r.heapAfter, r.heapErr = readHeap(ctx, cfg.addr)
	}
	return r, nil
}

// echoOnce sends one message and checks its echo.
func echoOnce(c *wsConn, i int) error {
	w := newWorker(c, echoConfig{window: 1, size: 32}, i, nil)
	_ = c.conn.SetDeadline(time.Now().Add(10 * time.Second))
	defer func() { _ = c.conn.SetDeadline(time.Time{}) }()
	if err := w.send(1); err != nil {
		return err
	}
	_, err := w.receive()
	return err
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// countAlive peeks at every socket without blocking: one that reads EOF or
// an error was closed by the server.
func countAlive(conns []*wsConn) int {
	alive := 0
	var buf [1]byte
	for _, c := range conns {
		sc, ok := c.conn.(syscall.Conn)
		if !ok {
			continue
		}
		raw, err := sc.SyscallConn()
		if err != nil {
			continue
		}
		open := true
		_ = raw.Read(func(fd uintptr) bool {
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
