package iostream

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/tornago/tornago/internal/testcert"
	"github.com/tornago/tornago/ioloop"
	"golang.org/x/sys/unix"
)

// testTLS returns a server configuration with a fresh self-signed ECDSA
// P-256 certificate for "localhost" and a client configuration trusting
// it (no key file is committed).
func testTLS(t testing.TB) (server, client *tls.Config) {
	t.Helper()
	c, err := testcert.New()
	if err != nil {
		t.Fatal(err)
	}
	server = &tls.Config{Certificates: []tls.Certificate{c.TLS}}
	client = &tls.Config{RootCAs: c.Pool, ServerName: "localhost"}
	return server, client
}

// peerConn wraps the test's end of a socketpair as a net.Conn.
func peerConn(t *testing.T, fd int) net.Conn {
	t.Helper()
	dup, err := unix.Dup(fd)
	if err != nil {
		t.Fatal(err)
	}
	f := os.NewFile(uintptr(dup), "peer")
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return c
}

// TestTLSReadUntilEcho: Tornado-style reads and writes over a TLS server
// stream, TLS 1.2 and 1.3, against crypto/tls on the other end.
func TestTLSReadUntilEcho(t *testing.T) {
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(tls.VersionName(v), func(t *testing.T) {
			srvCfg, cliCfg := testTLS(t)
			cliCfg.MaxVersion = v
			l, s, peer := pair(t, WithTLSServer(srvCfg, 0))
			pc := peerConn(t, peer)
			errc := make(chan error, 1)
			go func() {
				c := tls.Client(pc, cliCfg)
				_, err := io.WriteString(c, "one\ntwo\nthree\n")
				if err != nil {
					errc <- err
					return
				}
				got := make([]byte, len("ONE\nTWO\nTHREE\n"))
				if _, err := io.ReadFull(c, got); err != nil {
					errc <- err
					return
				}
				if string(got) != "one\ntwo\nthree\n" {
					errc <- errors.New("echo " + string(got))
					return
				}
				errc <- nil
			}()
			var lines int
			var next func()
			next = func() {
				s.ReadUntil([]byte("\n"), 100, func(line []byte, err error) {
					if err != nil {
						t.Error(err)
						l.Stop()
						return
					}
					s.Write(line, nil)
					if lines++; lines == 3 {
						l.Stop()
						return
					}
					next()
				})
			}
			next()
			run(t, l, 10*time.Second)
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
			st, ok := s.ConnectionState()
			if !ok || st.Version != v || !s.IsTLS() {
				t.Fatalf("ConnectionState %v %x", ok, st.Version)
			}
		})
	}
}

// TestTLSLargeTransfer: 3 MiB each way in single writes. Input crypto/tls
// has read from the socket but not returned yet must still be delivered
// (the socket will not signal it again), and the write cap pauses
// reading while the echo is pending.
func TestTLSLargeTransfer(t *testing.T) {
	const size = 3 << 20
	srvCfg, cliCfg := testTLS(t)
	l, s, peer := pair(t, WithTLSServer(srvCfg, 0), WithMaxWriteBuffer(256<<10))
	pc := peerConn(t, peer)
	data := make([]byte, size)
	rand.Read(data)
	errc := make(chan error, 2)
	var got []byte
	go func() {
		c := tls.Client(pc, cliCfg)
		go func() {
			_, err := c.Write(data)
			errc <- err
		}()
		got = make([]byte, size)
		_, err := io.ReadFull(c, got)
		errc <- err
	}()
	n := 0
	s.SetDataHandler(func(b []byte) int {
		n += len(b)
		s.Write(b, nil)
		if n == size {
			s.Write(nil, func(error) { l.Stop() })
		}
		return len(b)
	})
	run(t, l, 20*time.Second)
	if n != size {
		t.Fatalf("stream received %d bytes, want %d", n, size)
	}
	// The loop stopped once the whole echo was in the kernel: the
	// client reads the rest without it.
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, data) {
		t.Fatal("echo differs from what was sent")
	}
}

// streamPair returns a server and a client TLS stream over a socketpair
// on one loop.
func streamPair(t *testing.T, srvCfg, cliCfg *tls.Config, timeout time.Duration) (*ioloop.IOLoop, *IOStream, *IOStream) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ioloop.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := New(l, fds[0], WithTLSServer(srvCfg, timeout))
	cli := New(l, fds[1], WithTLSClient(cliCfg, timeout))
	t.Cleanup(func() {
		srv.Close()
		cli.Close()
		l.Close()
	})
	return l, srv, cli
}

// TestTLSClientStream: a client stream's writes made before its handshake
// completes are sent once it has, with their callback; both ends are
// streams of one loop; a close_notify ends ReadUntilClose cleanly.
func TestTLSClientStream(t *testing.T) {
	srvCfg, cliCfg := testTLS(t)
	l, srv, cli := streamPair(t, srvCfg, cliCfg, 0)
	var wrote error = errors.New("write callback not run")
	cli.Write([]byte("ping\n"), func(err error) { wrote = err })
	srv.ReadUntil([]byte("\n"), 0, func(line []byte, err error) {
		if err != nil || string(line) != "ping\n" {
			t.Errorf("server read %q, %v", line, err)
		}
		srv.Write([]byte("pong"), func(error) { srv.CloseWrite() })
	})
	var reply []byte
	cli.ReadUntilClose(func(data []byte, err error) {
		reply = append(reply, data...)
		if err != nil {
			t.Error(err)
		}
		l.Stop()
	})
	run(t, l, 10*time.Second)
	if wrote != nil {
		t.Fatalf("write callback: %v", wrote)
	}
	if string(reply) != "pong" {
		t.Fatalf("client read %q", reply)
	}
	if cli.Error() != nil {
		t.Fatalf("client closed with %v, want a clean close", cli.Error())
	}
}

// TestTLSHandshakeFailure: a client that does not trust the server fails
// its handshake; both streams close, the pending write's callback gets the
// error, and nothing panics.
func TestTLSHandshakeFailure(t *testing.T) {
	srvCfg, cliCfg := testTLS(t)
	cliCfg.ServerName = "elsewhere"
	l, srv, cli := streamPair(t, srvCfg, cliCfg, 0)
	var writeErr error
	cli.Write([]byte("never sent"), func(err error) { writeErr = err })
	closed := 0
	for _, s := range []*IOStream{srv, cli} {
		s.SetCloseCallback(func() {
			if closed++; closed == 2 {
				l.Stop()
			}
		})
	}
	run(t, l, 10*time.Second)
	if !errors.Is(cli.Error(), ErrHandshake) {
		t.Fatalf("client stream error %v, want ErrHandshake", cli.Error())
	}
	if !errors.Is(writeErr, ErrStreamClosed) {
		t.Fatalf("queued write's callback got %v", writeErr)
	}
}

// TestTLSHandshakeTimeout: a peer that never completes the handshake is
// dropped at the timeout, and the handshake goroutine ends.
func TestTLSHandshakeTimeout(t *testing.T) {
	srvCfg, _ := testTLS(t)
	l, s, peer := pair(t, WithTLSServer(srvCfg, 100*time.Millisecond))
	unix.Write(peer, []byte{0x16, 0x03, 0x01}) // a third of a record header
	start := time.Now()
	s.SetCloseCallback(l.Stop)
	run(t, l, 5*time.Second)
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("closed after %v", el)
	}
	if !errors.Is(s.Error(), ErrHandshakeTimeout) {
		t.Fatalf("stream error %v, want ErrHandshakeTimeout", s.Error())
	}
	waitHandshakeGoroutines(t, 0, "after the timeout")
}

// TestTLSNotTLS: bytes that are not TLS fail the handshake; an HTTP
// request is told so in plain HTTP before the close.
func TestTLSNotTLS(t *testing.T) {
	srvCfg, _ := testTLS(t)
	l, s, peer := pair(t, WithTLSServer(srvCfg, 0))
	unix.Write(peer, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	s.SetCloseCallback(l.Stop)
	run(t, l, 5*time.Second)
	if !errors.Is(s.Error(), ErrHandshake) {
		t.Fatalf("stream error %v, want ErrHandshake", s.Error())
	}
	got := make([]byte, 100)
	n, _ := unix.Read(peer, got)
	if !bytes.HasPrefix(got[:n], []byte("HTTP/1.0 400 Bad Request")) {
		t.Fatalf("peer read %q", got[:n])
	}
}

// handshakeGoroutines counts the running handshake goroutines, by their
// stacks: other goroutines (a previous test's, winding down) do not count.
func handshakeGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return bytes.Count(buf[:n], []byte("iostream.(*tlsState).launch.func1("))
		}
		buf = make([]byte, 2*len(buf))
	}
}

// waitHandshakeGoroutines waits up to 5 s for the number of handshake
// goroutines to be n, and fails t with what it is otherwise.
func waitHandshakeGoroutines(t *testing.T, n int, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		g := handshakeGoroutines()
		if g == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d handshake goroutines %s, want %d", g, what, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTLSSilentPeerNoGoroutine: a server stream whose peer has sent
// nothing has no handshake goroutine yet; the first byte starts it, and
// it ends with the stream.
func TestTLSSilentPeerNoGoroutine(t *testing.T) {
	srvCfg, _ := testTLS(t)
	l, err := ioloop.New()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	waitHandshakeGoroutines(t, 0, "left by earlier tests")
	const n = 20
	var streams []*IOStream
	var peers []int
	for range n {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		streams = append(streams, New(l, fds[0], WithTLSServer(srvCfg, 0)))
		peers = append(peers, fds[1])
	}
	defer func() {
		for _, p := range peers {
			unix.Close(p)
		}
	}()
	if g := handshakeGoroutines(); g != 0 {
		t.Fatalf("%d handshake goroutines for %d silent TLS streams", g, n)
	}
	// A byte each: every handshake goroutine starts.
	for _, p := range peers {
		unix.Write(p, []byte{0x16})
	}
	l.CallLater(100*time.Millisecond, l.Stop)
	run(t, l, 5*time.Second)
	if g := handshakeGoroutines(); g != n {
		t.Fatalf("%d handshake goroutines for %d started handshakes", g, n)
	}
	for _, s := range streams {
		s.Close()
	}
	waitHandshakeGoroutines(t, 0, "left after closing the streams")
}

// TestTLSOptionShared: one option made for many streams (as a server's
// StreamOptions are) gives each the same handshake timeout: none stays
// none, and the default stays the default.
func TestTLSOptionShared(t *testing.T) {
	srvCfg, _ := testTLS(t)
	for _, tt := range []struct {
		in, want time.Duration
	}{
		{-1, 0},
		{0, DefaultHandshakeTimeout},
		{time.Second, time.Second},
	} {
		opt := WithTLSServer(srvCfg, tt.in)
		for i := range 3 {
			_, s, _ := pair(t, opt)
			if got := s.tlsOf().timeout; got != tt.want {
				t.Errorf("WithTLSServer(%v), stream %d: handshake timeout %v, want %v", tt.in, i, got, tt.want)
			}
		}
	}
}
