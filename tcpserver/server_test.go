package tcpserver

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tornago/tornago/iostream"
)

// echo is Tornado's tcpecho handler.
func echo(s *iostream.IOStream, _ netip.AddrPort) {
	var next func([]byte, error)
	next = func(line []byte, err error) {
		if err != nil {
			return
		}
		s.Write(line, nil)
		s.ReadUntil([]byte("\n"), 1<<20, next)
	}
	s.ReadUntil([]byte("\n"), 1<<20, next)
}

func newEcho(t *testing.T, opts Options) *TCPServer {
	t.Helper()
	srv := New(StreamHandlerFunc(echo), opts)
	t.Cleanup(srv.Stop)
	return srv
}

// checkEcho sends lines over a new connection to network/addr and checks
// they come back.
func checkEcho(t *testing.T, network, addr string) {
	t.Helper()
	c, err := net.DialTimeout(network, addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	for _, line := range []string{"hello\n", strings.Repeat("long ", 20000) + "\n", "bye\n"} {
		if _, err := io.WriteString(c, line); err != nil {
			t.Fatal(err)
		}
		got, err := r.ReadString('\n')
		if err != nil || got != line {
			t.Fatalf("echo of %d bytes: got %d bytes, %v", len(line), len(got), err)
		}
	}
}

func TestEchoIPv4(t *testing.T) {
	srv := newEcho(t, Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().(*net.TCPAddr)
	if addr.Port == 0 || !addr.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Fatalf("Addr() = %v", addr)
	}
	checkEcho(t, "tcp", addr.String())
	if n := len(srv.Loops()); n != 1 {
		t.Fatalf("%d loops, want 1", n)
	}
}

func TestEchoIPv6(t *testing.T) {
	srv := newEcho(t, Options{})
	if err := srv.Listen(0, "::1"); err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	checkEcho(t, "tcp6", srv.Addr().String())
}

func TestListenAllInterfaces(t *testing.T) {
	srv := newEcho(t, Options{})
	if err := srv.Listen(0, ""); err != nil {
		t.Fatal(err)
	}
	port := srv.Addr().(*net.TCPAddr).Port
	checkEcho(t, "tcp4", fmt.Sprintf("127.0.0.1:%d", port))
	if c, err := net.Dial("tcp6", fmt.Sprintf("[::1]:%d", port)); err == nil {
		c.Close()
		checkEcho(t, "tcp6", fmt.Sprintf("[::1]:%d", port)) // same port on both families
	}
}

func TestListenHostname(t *testing.T) {
	srv := newEcho(t, Options{})
	if err := srv.Listen(0, "localhost"); err != nil {
		t.Fatal(err)
	}
	checkEcho(t, "tcp", srv.Addr().String())
}

func TestListenErrors(t *testing.T) {
	srv := newEcho(t, Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	port := srv.Addr().(*net.TCPAddr).Port
	other := newEcho(t, Options{})
	if err := other.Listen(port, "127.0.0.1"); err == nil {
		t.Fatal("second Listen on a used port succeeded")
	}
	if err := other.Listen(0, "no-such-host.invalid"); err == nil {
		t.Fatal("Listen on an unresolvable host succeeded")
	}
	if err := other.Start(1); !errors.Is(err, ErrNotBound) {
		t.Fatalf("Start without Bind: %v", err)
	}
}

func TestEchoUnixSocket(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "echo.sock")
	// A stale socket file from an earlier run is replaced.
	stale, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	stale.(*net.UnixListener).SetUnlinkOnClose(false)
	stale.Close()

	var peer netip.AddrPort
	got := make(chan struct{}, 1)
	srv := New(StreamHandlerFunc(func(s *iostream.IOStream, addr netip.AddrPort) {
		peer = addr
		got <- struct{}{}
		echo(s, addr)
	}), Options{})
	t.Cleanup(srv.Stop)
	if err := srv.ListenUnix(path, 0o660); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o660 {
		t.Fatalf("socket mode %v, want 0660", fi.Mode().Perm())
	}
	if a, ok := srv.Addr().(*net.UnixAddr); !ok || a.Name != path {
		t.Fatalf("Addr() = %v", srv.Addr())
	}
	checkEcho(t, "unix", path)
	<-got
	if peer.IsValid() {
		t.Fatalf("unix peer address %v, want the zero AddrPort", peer)
	}
	srv.Stop()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("socket file left behind: %v", err)
	}
}

func TestUnixSocketRefusesToReplaceAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "not-a-socket")
	os.WriteFile(path, []byte("keep me"), 0o600)
	srv := newEcho(t, Options{})
	if err := srv.ListenUnix(path, 0); err == nil {
		t.Fatal("ListenUnix replaced a regular file")
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Fatal("file was changed")
	}
}

func TestAbstractUnixSocket(t *testing.T) {
	name := fmt.Sprintf("@tornago-test-%d", os.Getpid())
	srv := newEcho(t, Options{})
	if err := srv.ListenUnix(name, 0); err != nil {
		t.Skipf("abstract sockets: %v", err)
	}
	checkEcho(t, "unix", name)
}

func TestPeerAddress(t *testing.T) {
	for _, address := range []string{"127.0.0.1", "::1"} {
		t.Run(address, func(t *testing.T) {
			addrs := make(chan netip.AddrPort, 1)
			srv := New(StreamHandlerFunc(func(s *iostream.IOStream, addr netip.AddrPort) {
				addrs <- addr
				s.Close()
			}), Options{})
			t.Cleanup(srv.Stop)
			if err := srv.Listen(0, address); err != nil {
				if address == "::1" {
					t.Skipf("no IPv6 loopback here: %v", err)
				}
				t.Fatal(err)
			}
			c, err := net.Dial("tcp", srv.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			// The port checks the byte order of the decoded address.
			want := c.LocalAddr().(*net.TCPAddr).AddrPort()
			if got := <-addrs; got != want {
				t.Fatalf("peer %v, want %v", got, want)
			}
		})
	}
}

func TestStartManyLoops(t *testing.T) {
	var mu sync.Mutex
	perLoop := map[any]int{}
	srv := New(StreamHandlerFunc(func(s *iostream.IOStream, addr netip.AddrPort) {
		mu.Lock()
		perLoop[s.Loop()]++
		mu.Unlock()
		echo(s, addr)
	}), Options{})
	t.Cleanup(srv.Stop)
	if err := srv.Bind(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(2); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Loops()); n != 2 {
		t.Fatalf("%d loops, want 2", n)
	}
	for range 24 {
		checkEcho(t, "tcp", srv.Addr().String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(perLoop) != 2 {
		t.Fatalf("connections per loop %v: SO_REUSEPORT did not spread them", perLoop)
	}
}

func TestStopClosesConnections(t *testing.T) {
	closeCallbacks := 0 // loop goroutine only; read after Stop
	srv := New(StreamHandlerFunc(func(s *iostream.IOStream, addr netip.AddrPort) {
		s.SetCloseCallback(func() { closeCallbacks++ })
		echo(s, addr)
	}), Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().String()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "x\n")
	bufio.NewReader(c).ReadString('\n') // served
	if srv.Connections() != 1 {
		t.Fatalf("%d connections", srv.Connections())
	}
	srv.Stop()
	srv.Stop()
	if closeCallbacks != 1 {
		t.Fatalf("%d close callbacks ran before Stop returned, want 1", closeCallbacks)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("read after Stop: %v, want EOF", err)
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Fatal("still accepting after Stop")
	}
	if err := srv.Listen(0, "127.0.0.1"); !errors.Is(err, ErrStopped) {
		t.Fatalf("Listen after Stop: %v", err)
	}
}

func TestStopAccepting(t *testing.T) {
	srv := newEcho(t, Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().String()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	io.WriteString(c, "accepted?\n")
	r.ReadString('\n') // accepted: not just in the backlog
	srv.StopAccepting()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c2, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c2.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting")
		}
		time.Sleep(time.Millisecond)
	}
	io.WriteString(c, "still here\n")
	if got, err := r.ReadString('\n'); got != "still here\n" {
		t.Fatalf("open connection after StopAccepting: %q, %v", got, err)
	}
}

func TestMaxConnections(t *testing.T) {
	srv := newEcho(t, Options{MaxConnections: 2})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().String()
	dial := func() (net.Conn, *bufio.Reader) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c, bufio.NewReader(c)
	}
	served := func(c net.Conn, r *bufio.Reader, wait time.Duration) bool {
		c.SetReadDeadline(time.Now().Add(wait))
		io.WriteString(c, "ping\n")
		_, err := r.ReadString('\n')
		return err == nil
	}
	c1, r1 := dial()
	c2, r2 := dial()
	if !served(c1, r1, 5*time.Second) || !served(c2, r2, 5*time.Second) {
		t.Fatal("connections under the limit not served")
	}
	c3, r3 := dial() // completes in the kernel's backlog...
	c3.SetWriteDeadline(time.Now().Add(time.Second))
	io.WriteString(c3, "ping\n")
	c3.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if _, err := r3.ReadString('\n'); err == nil {
		t.Fatal("third connection served over the limit of 2")
	}
	c1.Close() // ...and is accepted once one closes
	c3.SetReadDeadline(time.Now().Add(5 * time.Second))
	if got, err := r3.ReadString('\n'); err != nil || got != "ping\n" {
		t.Fatalf("third connection after one closed: %q, %v", got, err)
	}
}

func TestHandleStreamPanicClosesConnection(t *testing.T) {
	calls := 0
	srv := New(StreamHandlerFunc(func(s *iostream.IOStream, addr netip.AddrPort) {
		calls++
		if calls == 1 {
			panic("handler bug")
		}
		echo(s, addr)
	}), Options{})
	t.Cleanup(srv.Stop)
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("connection of the panicking handler: %v, want EOF", err)
	}
	c.Close()
	checkEcho(t, "tcp", srv.Addr().String()) // the server lives on
}

func TestListenTwiceSharesTheLoop(t *testing.T) {
	srv := newEcho(t, Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	first := srv.Addr().String()
	path := filepath.Join(t.TempDir(), "second.sock")
	if err := srv.ListenUnix(path, 0); err != nil { // added to the running loop
		t.Fatal(err)
	}
	if n := len(srv.Loops()); n != 1 {
		t.Fatalf("%d loops, want 1", n)
	}
	checkEcho(t, "tcp", first)
	checkEcho(t, "unix", path)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("default mode: %v, %v", fi.Mode().Perm(), err)
	}
}

func TestStartDefaultsToOneLoopPerCPU(t *testing.T) {
	srv := newEcho(t, Options{})
	if err := srv.Bind(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(0); err != nil {
		t.Fatal(err)
	}
	if got, want := len(srv.Loops()), runtime.GOMAXPROCS(0); got != want {
		t.Fatalf("%d loops, want %d", got, want)
	}
	checkEcho(t, "tcp", srv.Addr().String())
}

func TestManyClientsConcurrently(t *testing.T) {
	srv := newEcho(t, Options{})
	if err := srv.Bind(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(2); err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().String()
	const clients, lines = 40, 50
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			// Write everything (pipelined) while a reader checks the echo.
			var sent strings.Builder
			for j := range lines {
				sent.WriteString(strings.Repeat(string(rune('a'+(i+j)%26)), 1+(i*j*37)%3000) + "\n")
			}
			want := sent.String()
			go io.WriteString(c, want)
			got := make([]byte, len(want))
			if _, err := io.ReadFull(c, got); err != nil {
				errs <- fmt.Errorf("client %d: %w", i, err)
				return
			}
			if string(got) != want {
				errs <- fmt.Errorf("client %d: echo differs", i)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for srv.Connections() != 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := srv.Connections(); n != 0 {
		t.Fatalf("%d connections still counted after all clients closed", n)
	}
}
