package httpserver

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// TestDefaults: a server given zero Options has issue 6's secure defaults
// (nginx's timeouts, Tornado's size limits), and the size limits hold on
// the wire: the largest head and declared body pass, one byte more is
// refused with 431 or 413 before any body is read.
func TestDefaults(t *testing.T) {
	srv := startServer(t, HandlerFunc(echo), Options{})
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"HeaderTimeout", srv.opts.HeaderTimeout, 60 * time.Second},
		{"BodyTimeout", srv.opts.BodyTimeout, 60 * time.Second},
		{"IdleConnectionTimeout", srv.opts.IdleConnectionTimeout, 75 * time.Second},
		{"SendTimeout", srv.opts.SendTimeout, 60 * time.Second},
		{"MaxHeaderSize", srv.opts.MaxHeaderSize, 64 << 10},
		{"MaxBodySize", srv.opts.MaxBodySize, int64(100 << 20)},
		{"MaxConnections", srv.opts.MaxConnections, 0},
		{"RequestTimeout", srv.opts.RequestTimeout, time.Duration(0)},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("default %s = %v, want %v", c.name, c.got, c.want)
		}
	}

	// head returns a request head of exactly n bytes, padded in one field.
	head := func(n int) string {
		const pre, post = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: ", "\r\n\r\n"
		return pre + strings.Repeat("p", n-len(pre)-len(post)) + post
	}
	for _, c := range []struct {
		name   string
		raw    string
		status int
		close  bool
	}{
		{"head of 64 KiB", head(64 << 10), 200, false},
		{"head of 64 KiB + 1", head(64<<10 + 1), 431, true},
		{"body of 100 MiB + 1", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 104857601\r\n\r\n", 413, true},
	} {
		resp, br, _ := roundTrip(t, srv, c.raw, "GET")
		if resp.StatusCode != c.status || resp.Close != c.close {
			t.Errorf("%s: %d close %v, want %d close %v", c.name, resp.StatusCode, resp.Close, c.status, c.close)
		}
		if c.close {
			expectClosed(t, br)
		}
	}

	// A body of exactly 100 MiB is accepted: with Expect: 100-continue the
	// server asks for it rather than refusing it.
	conn := dial(t, srv)
	io.WriteString(conn, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 104857600\r\nExpect: 100-continue\r\n\r\n")
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || line != "HTTP/1.1 100 Continue\r\n" {
		t.Errorf("body of 100 MiB: %q %v, want 100 Continue", line, err)
	}
}
