//go:build !race

package iostream

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// roundTrips runs the loop on a goroutine and measures the allocations of
// one request/echo round trip driven from the test goroutine.
func roundTrips(t *testing.T, setup func(s *IOStream)) float64 {
	t.Helper()
	l, s, peer := pair(t)
	setup(s)
	done := make(chan error, 1)
	go func() { done <- l.Start() }()
	defer func() {
		l.Stop()
		<-done
	}()
	req := []byte("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	resp := make([]byte, 256)
	trip := func() {
		if _, err := unix.Write(peer, req); err != nil {
			t.Fatal(err)
		}
		got := 0
		for got < len(req) {
			n, err := unix.Read(peer, resp[got:])
			if err != nil || n <= 0 {
				t.Fatalf("read: %d, %v", n, err)
			}
			got += n
		}
	}
	for range 100 {
		trip() // warm up the pools and the runtime's threads
	}
	return testing.AllocsPerRun(2000, trip)
}

// The raw-mode echo an HTTP/1.1 connection is built on: zero allocations
// per round trip.
func TestRawEchoDoesNotAllocate(t *testing.T) {
	n := roundTrips(t, func(s *IOStream) {
		s.SetDataHandler(func(b []byte) int {
			s.Write(b, nil)
			return len(b)
		})
	})
	if n != 0 {
		t.Fatalf("raw echo allocates %.2f times per round trip", n)
	}
}

// Tornado-style reads re-armed from their callback do not allocate either.
func TestReadUntilEchoDoesNotAllocate(t *testing.T) {
	delim := []byte("\r\n\r\n")
	n := roundTrips(t, func(s *IOStream) {
		var next func([]byte, error)
		next = func(b []byte, err error) {
			if err != nil {
				return
			}
			s.Write(b, nil)
			s.ReadUntil(delim, 0, next)
		}
		s.ReadUntil(delim, 0, next)
	})
	if n != 0 {
		t.Fatalf("ReadUntil echo allocates %.2f times per round trip", n)
	}
}

// A write the kernel takes only partly, then drains: the remainder is
// buffered in a pooled buffer, so steady state allocates nothing.
func TestPartialWriteDoesNotAllocate(t *testing.T) {
	l, s, peer := pair(t)
	big := make([]byte, 1<<20)
	sink := make([]byte, 1<<20)
	cycle := func() {
		s.Write(big, nil)
		for s.PendingWrite() > 0 {
			for got := 0; got < 64<<10; {
				n, _ := unix.Read(peer, sink)
				got += n
				if s.PendingWrite() == 0 {
					break
				}
				s.onWritable()
				if s.PendingWrite() == 0 {
					break
				}
			}
		}
		unix.SetNonblock(peer, true)
		for {
			if n, _ := unix.Read(peer, sink); n <= 0 {
				break
			}
		}
		unix.SetNonblock(peer, false)
	}
	_ = l
	cycle()
	if n := testing.AllocsPerRun(20, cycle); n != 0 {
		t.Fatalf("a partial write and its drain allocate %.2f times", n)
	}
}

// An idle connection costs one small struct: New allocates only the
// IOStream (no buffer, no closure), and the struct stays at 144 bytes.
func TestNewStreamIsOneSmallObject(t *testing.T) {
	if size := unsafe.Sizeof(IOStream{}); size > 144 {
		t.Errorf("IOStream is %d bytes, want at most 144", size)
	}
	l, _, _ := pair(t)
	fds := make([][2]int, 0, 300)
	for range cap(fds) {
		p, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		fds = append(fds, [2]int{p[0], p[1]})
	}
	defer func() {
		for _, p := range fds {
			unix.Close(p[1])
		}
	}()
	hook := WithCloseHook(func(*IOStream) {})
	opts := []Option{hook}
	i := 0
	var streams []*IOStream
	streams = make([]*IOStream, 0, cap(fds))
	n := testing.AllocsPerRun(200, func() {
		streams = append(streams, New(l, fds[i][0], opts...))
		i++
	})
	for _, s := range streams {
		if s.Closed() {
			t.Fatalf("stream closed: %v", s.Error())
		}
		s.Close()
	}
	if n != 1 {
		t.Fatalf("New allocates %.1f objects, want 1", n)
	}
}
