package iostream_test

import (
	"fmt"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
	"golang.org/x/sys/unix"
)

// Reading lines from a socket, Tornado style.
func Example() {
	loop, _ := ioloop.New()
	defer loop.Close()
	fds, _ := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	unix.SetNonblock(fds[0], true)
	defer unix.Close(fds[1])

	s := iostream.New(loop, fds[0])
	s.SetCloseCallback(loop.Stop)
	var next func(line []byte, err error)
	next = func(line []byte, err error) {
		if err != nil {
			fmt.Println("closed")
			return
		}
		fmt.Printf("line: %q\n", line)
		s.ReadUntil([]byte("\n"), 1024, next)
	}
	s.ReadUntil([]byte("\n"), 1024, next)

	unix.Write(fds[1], []byte("GET /\nHost: example\npartial"))
	unix.Close(fds[1]) // the peer goes away mid-line
	loop.Start()
	// Output:
	// line: "GET /\n"
	// line: "Host: example\n"
	// closed
}

// Raw mode, as a protocol engine uses it: the handler sees every byte not
// yet consumed and says how much it used.
func ExampleIOStream_SetDataHandler() {
	loop, _ := ioloop.New()
	defer loop.Close()
	fds, _ := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	unix.SetNonblock(fds[0], true)
	defer unix.Close(fds[1])

	s := iostream.New(loop, fds[0])
	defer s.Close()
	offered := make(chan struct{}, 1)
	s.SetDataHandler(func(data []byte) int {
		fmt.Printf("offered %q\n", data)
		if len(data) < 4 {
			offered <- struct{}{}
			return 0 // incomplete: keep it
		}
		loop.Stop()
		return 4
	})
	go func() {
		unix.Write(fds[1], []byte("ab"))
		<-offered // the rest comes in a later read
		unix.Write(fds[1], []byte("cd"))
	}()
	loop.Start()
	// Output:
	// offered "ab"
	// offered "abcd"
}
