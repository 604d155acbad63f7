package hardening

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The slow-reader test's limits.
const (
	// sendTimeout is the target's send timeout here: the time after which
	// a client that takes no byte of its pending output is dropped.
	sendTimeout = 2 * time.Second
	// slowTimeout is the target's idle and request timeout here, far
	// longer than sendTimeout, so that what drops a non-reader can only
	// be the send timeout.
	slowTimeout = 30 * time.Second
	// writeCap is iostream's default write-buffer cap.
	writeCap = 4 << 20
	// rssAllowance bounds the target's growth while a client refuses to
	// read: the write cap, one response being built (1 MiB), the read
	// buffer, and the Go heap's slack (GOGC doubles the live heap).
	rssAllowance = 6*writeCap + 8<<20
	// dropWithin is how long a connection may outlive its client's last
	// read: the send timeout, the server's check period (an eighth of the
	// timeout here), and slack for building the response and for the
	// test's polling.
	dropWithin = sendTimeout + time.Second
)

// checkRSS fails t if the target grew past rssAllowance.
func checkRSS(t *testing.T, peakKiB int, what string) {
	t.Helper()
	t.Logf("target RSS peak +%d KiB %s (allowance %d KiB)", peakKiB, what, rssAllowance/1024)
	if raceTarget {
		t.Log("race-enabled target: memory bound not checked")
		return
	}
	if peakKiB*1024 > rssAllowance {
		t.Errorf("target RSS grew %d KiB %s; allowance %d KiB", peakKiB, what, rssAllowance/1024)
	}
}

// slowTarget starts a target whose send timeout is sendTimeout (idle and
// request timeouts slowTimeout), and returns it with its descriptor count
// (from /proc, without any client connection) and resident memory at
// rest.
func slowTarget(t *testing.T) (tg *target, procBase, rss0 int) {
	tg = startTarget(t, nil, "-send-timeout", sendTimeout.String(),
		"-idle-timeout", slowTimeout.String(), "-request-timeout", slowTimeout.String())
	base := tg.stats()
	return tg, base.FDs - 1, tg.rssKiB() // the stats connection counted once
}

// finishSlow checks the target still serves and exits cleanly.
func finishSlow(t *testing.T, tg *target) {
	t.Helper()
	expectServes(t, tg)
	if code := tg.stop(5 * time.Second); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// waitAccepted waits until the target holds more than base descriptors.
func waitAccepted(t *testing.T, tg *target, base int) time.Time {
	t.Helper()
	if !waitFor(2*time.Second, func() bool { return tg.fds() > base }) {
		t.Fatal("the connection was not accepted")
	}
	return time.Now()
}

// TestSlowReaderPipelined pipelines requests for large responses and
// reads none: the server must queue no more than about the write cap,
// stop reading the requests, and drop the connection at the send timeout.
func TestSlowReaderPipelined(t *testing.T) {
	tg, procBase, rss0 := slowTarget(t)
	// 200 requests for 1 MiB each: 200 MiB if the server answered them
	// all into memory (small enough not to hurt the machine when it
	// does); then 20,000 small ones (540 KB), more than the server reads
	// at once, so that its pausing shows in its socket's receive queue.
	const requests, size, small = 200, 1 << 20, 20000
	c := dial(t, tg.addr)
	var req bytes.Buffer
	for range requests {
		fmt.Fprintf(&req, "GET /big?n=%d HTTP/1.1\r\nHost: t\r\n\r\n", size)
	}
	for range small {
		req.WriteString("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
	}
	var written atomic.Int64
	go func() {
		c.SetWriteDeadline(time.Now().Add(2 * dropWithin))
		n, _ := c.Write(req.Bytes())
		written.Store(int64(n))
	}()
	start := waitAccepted(t, tg, procBase)
	peak := 0
	waitFor(sendTimeout/2, func() bool { peak = max(peak, tg.rssKiB()-rss0); return false })
	checkRSS(t, peak, "with a client not reading 200 pipelined 1 MiB responses")
	// Reading paused: the requests all fit in the socket buffers, so the
	// client's writes cannot show it; the server socket's receive queue
	// (/proc/net/tcp rx_queue) does: bytes the server has not read.
	unread, err := serverRecvQ(tg.addr, c.LocalAddr().String())
	if err != nil {
		t.Fatalf("reading /proc/net/tcp: %v", err)
	}
	t.Logf("requests left unread in the server's socket: %d of %d bytes (client wrote %d)", unread, req.Len(), written.Load())
	if unread == 0 {
		t.Error("the server read every pipelined request while its output was over the write cap")
	}
	if !waitFor(time.Until(start.Add(slack(dropWithin))), func() bool { return tg.fds() <= procBase }) {
		t.Errorf("connection not dropped %v after the client stopped reading (fds %d, baseline %d)", time.Since(start), tg.fds(), procBase)
	} else {
		t.Logf("dropped after %v", time.Since(start).Round(time.Millisecond))
	}
	finishSlow(t, tg)
}

// TestSlowReaderBigResponse: one finished 64 MiB response the client never
// reads sits in the stream's buffer until the send timeout drops it.
func TestSlowReaderBigResponse(t *testing.T) {
	tg, procBase, _ := slowTarget(t)
	c := dial(t, tg.addr)
	fmt.Fprintf(c, "GET /big?n=%d HTTP/1.1\r\nHost: t\r\n\r\n", 64<<20)
	waitAccepted(t, tg, procBase)
	// The stall starts once the response is out (building 64 MiB takes
	// the target a moment): its first byte says so.
	c.SetReadDeadline(time.Now().Add(ioTimeout))
	if _, err := c.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if !waitFor(time.Until(start.Add(slack(dropWithin))), func() bool { return tg.fds() <= procBase }) {
		t.Errorf("connection not dropped %v after the request", time.Since(start))
	}
	t.Logf("dropped %v after the response's first byte (send timeout %v)", time.Since(start).Round(time.Millisecond), sendTimeout)
	finishSlow(t, tg)
}

// TestSlowReaderStream: a 100 MiB response streamed with back-pressure
// (each chunk written once the last reached the kernel) to a client that
// reads none. Memory stays bounded and the send timeout cuts it.
func TestSlowReaderStream(t *testing.T) {
	tg, procBase, rss0 := slowTarget(t)
	c := dial(t, tg.addr)
	fmt.Fprintf(c, "GET /stream?n=%d HTTP/1.1\r\nHost: t\r\n\r\n", 100<<20)
	start := waitAccepted(t, tg, procBase)
	peak := 0
	waitFor(sendTimeout/2, func() bool { peak = max(peak, tg.rssKiB()-rss0); return false })
	checkRSS(t, peak, "with a client not reading a 100 MiB stream")
	if !waitFor(time.Until(start.Add(slack(dropWithin))), func() bool { return tg.fds() <= procBase }) {
		t.Errorf("connection not dropped %v after the request", time.Since(start))
	}
	t.Logf("dropped after %v (send timeout %v)", time.Since(start).Round(time.Millisecond), sendTimeout)
	// The client sees what was in flight, then the cut, not 100 MiB.
	c.SetReadDeadline(time.Now().Add(ioTimeout))
	if n, _ := io.Copy(io.Discard, c); n >= 100<<20 {
		t.Errorf("the whole response arrived (%d bytes)", n)
	}
	finishSlow(t, tg)
}

// serverRecvQ returns the receive queue of the server's end of the TCP
// connection from client to server (IPv4 loopback), from /proc/net/tcp.
func serverRecvQ(server, client string) (int, error) {
	sa, err := netip.ParseAddrPort(server)
	if err != nil {
		return 0, err
	}
	ca, err := netip.ParseAddrPort(client)
	if err != nil {
		return 0, err
	}
	b, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return 0, err
	}
	local, remote := fmt.Sprintf(":%04X", sa.Port()), fmt.Sprintf(":%04X", ca.Port())
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) < 5 || !strings.HasSuffix(f[1], local) || !strings.HasSuffix(f[2], remote) {
			continue
		}
		_, rx, _ := strings.Cut(f[4], ":")
		n, err := strconv.ParseInt(rx, 16, 64)
		return int(n), err
	}
	return 0, fmt.Errorf("no socket %s <- %s", server, client)
}
