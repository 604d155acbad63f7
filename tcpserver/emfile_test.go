//go:build linux

package tcpserver

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// When the process runs out of descriptors, the level-triggered listener
// stays readable; the server must rest instead of calling accept in a
// loop, and recover once a descriptor is free.
func TestAcceptSurvivesEMFILE(t *testing.T) {
	srv := newEcho(t, Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	ln := srv.loops[0].listeners[0]
	loop := srv.Loops()[0]

	// Hold the loop while the stage is set, so it accepts nothing yet.
	hold, held := make(chan struct{}), make(chan struct{})
	loop.AddCallback(func() { close(held); <-hold })
	<-held
	released := false
	release := func() {
		if !released {
			released = true
			close(hold)
		}
	}
	defer release()

	// Two connections wait in the backlog.
	var clients []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", srv.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients = append(clients, c)
	}

	// Use up every descriptor number below the new limit.
	var old unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	var fillers []int
	defer func() {
		for _, fd := range fillers {
			unix.Close(fd)
		}
	}()
	for len(fillers) < 4 { // each takes the lowest free number
		fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		fillers = append(fillers, fd)
	}
	var highest uint64
	for _, fd := range fillers {
		highest = max(highest, uint64(fd))
	}
	lowered := old
	lowered.Cur = highest + 1
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lowered); err != nil {
		t.Skipf("cannot lower RLIMIT_NOFILE: %v", err)
	}
	defer unix.Setrlimit(unix.RLIMIT_NOFILE, &old)
	if fd, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0); err == nil {
		unix.Close(fd)
		t.Skip("a descriptor below the limit is still free; cannot stage EMFILE")
	}

	before := ln.calls.Load()
	release()
	time.Sleep(350 * time.Millisecond)
	calls := ln.calls.Load() - before
	// One failing accept per 100 ms rest, not a spin.
	if calls < 1 || calls > 8 {
		t.Fatalf("%d accept calls in 350 ms at EMFILE", calls)
	}

	// Free one descriptor: the next retry accepts and serves a client.
	unix.Close(fillers[len(fillers)-1])
	fillers = fillers[:len(fillers)-1]
	c := clients[0]
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "back\n")
	if got, err := bufio.NewReader(c).ReadString('\n'); err != nil || got != "back\n" {
		t.Fatalf("after freeing a descriptor: %q, %v", got, err)
	}
}
