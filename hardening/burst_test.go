package hardening

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestBurstBaseline opens a burst of connections (keep-alive requests,
// pipelined requests, abrupt closes) and checks the target's descriptors
// (/proc/<pid>/fd) and goroutines come back to their baseline.
func TestBurstBaseline(t *testing.T) {
	const (
		conns   = 300 // concurrent connections in the burst
		perConn = 20  // keep-alive requests on each
	)
	tg := startTarget(t, nil)
	base := tg.stats()
	procBase := tg.fds()

	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for i := range conns {
		wg.Go(func() {
			c, err := net.DialTimeout("tcp", tg.addr, ioTimeout)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(ioTimeout))
			br := bufio.NewReader(c)
			for j := range perConn {
				if _, err := fmt.Fprintf(c, "GET /?i=%d HTTP/1.1\r\nHost: t\r\n\r\n", j); err != nil {
					errs <- err
					return
				}
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
					return
				}
			}
			if i%3 == 0 {
				// Leave with a request half sent and an RST.
				io.WriteString(c, "GET / HTTP/1.1\r\nHo")
				c.(*net.TCPConn).SetLinger(0)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("burst: %v", err)
	}
	st, ok := tg.waitBaseline(base, 5*time.Second)
	if !ok {
		t.Errorf("after the burst: %+v, baseline %+v", st, base)
	}
	// The last reset connections and the stats client's own connection
	// close asynchronously: wait for the count, as the slow-reader tests do.
	if !waitFor(5*time.Second, func() bool { return tg.fds() <= procBase }) {
		t.Errorf("/proc fd count %d, baseline %d", tg.fds(), procBase)
	}
	t.Logf("baseline %+v, after %+v", base, st)
	if code := tg.stop(5 * time.Second); code != 0 {
		t.Errorf("exit code %d", code)
	}
}
