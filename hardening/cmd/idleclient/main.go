// Command idleclient opens many keep-alive connections to a server, sends
// one request on each, reads the answer, then leaves them idle: the client
// side of the 10,000-idle-connection test, run in its own process so that
// client and server each stay under the 20,000-descriptor hard limit.
//
//	idleclient -addr 127.0.0.1:8888 -n 10000 -hold 20s
//
// It prints "open N" once every connection has its answer, then holds
// them until the server closes them all (its idle timeout) or -hold
// passes, prints "closed-by-server N after D", closes the rest, and exits
// (status 1 if fewer than -n connections could be served).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// dialers bounds concurrent dials, so the burst stays within the
// server's accept backlog.
const dialers = 64

func main() {
	addr := flag.String("addr", "", "server address host:port")
	n := flag.Int("n", 10000, "connections")
	hold := flag.Duration("hold", 30*time.Second, "longest time to hold the connections")
	ioTimeout := flag.Duration("timeout", 10*time.Second, "dial and first-response timeout")
	flag.Parse()
	if *addr == "" {
		fmt.Fprintln(os.Stderr, "idleclient: -addr is required")
		os.Exit(2)
	}

	conns := make([]net.Conn, *n)
	var failed atomic.Int64
	var firstErr atomic.Value
	work := make(chan int)
	var wg sync.WaitGroup
	for range dialers {
		wg.Go(func() {
			buf := make([]byte, 512)
			for i := range work {
				c, err := open(*addr, *ioTimeout, buf)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				conns[i] = c
			}
		})
	}
	for i := range *n {
		work <- i
	}
	close(work)
	wg.Wait()
	open := *n - int(failed.Load())
	fmt.Printf("open %d\n", open)
	if failed.Load() > 0 {
		fmt.Fprintf(os.Stderr, "idleclient: %d connections failed; first: %v\n", failed.Load(), firstErr.Load())
	}

	// Hold: one reader per connection notices the server's close.
	start := time.Now()
	var closed atomic.Int64
	var readers sync.WaitGroup
	for _, c := range conns {
		if c == nil {
			continue
		}
		readers.Go(func() {
			c.SetReadDeadline(start.Add(*hold))
			var b [1]byte
			if _, err := c.Read(b[:]); err != nil && !isTimeout(err) {
				closed.Add(1)
			}
			c.Close()
		})
	}
	readers.Wait()
	fmt.Printf("closed-by-server %d after %v\n", closed.Load(), time.Since(start).Round(time.Millisecond))
	if failed.Load() > 0 {
		os.Exit(1)
	}
}

// open dials addr, sends one keep-alive request and reads its answer.
func open(addr string, timeout time.Duration, buf []byte) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write([]byte("GET / HTTP/1.1\r\nHost: idle\r\n\r\n")); err != nil {
		c.Close()
		return nil, err
	}
	got := 0
	for {
		k, err := c.Read(buf[got:])
		got += k
		if i := bytes.Index(buf[:got], []byte("\r\n\r\n")); i >= 0 && bytes.HasSuffix(buf[:got], []byte("ok")) {
			if !bytes.HasPrefix(buf, []byte("HTTP/1.1 200 ")) {
				c.Close()
				return nil, fmt.Errorf("response %q", buf[:got])
			}
			break
		}
		if err != nil || got == len(buf) {
			c.Close()
			return nil, fmt.Errorf("reading the response: %v (%q)", err, buf[:got])
		}
	}
	c.SetDeadline(time.Time{})
	return c, nil
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
