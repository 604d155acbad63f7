package iostream

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/tornago/tornago/ioloop"
	"golang.org/x/sys/unix"
)

// pair returns a loop and a stream over one end of a socketpair, and the
// other end (blocking) for the test to drive.
func pair(t *testing.T, opts ...Option) (*ioloop.IOLoop, *IOStream, int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.SetNonblock(fds[0], true); err != nil {
		t.Fatal(err)
	}
	l, err := ioloop.New()
	if err != nil {
		t.Fatal(err)
	}
	s := New(l, fds[0], opts...)
	t.Cleanup(func() {
		s.Close()
		unix.Close(fds[1])
		l.Close()
	})
	return l, s, fds[1]
}

// run runs the loop until stop is called or the timeout passes.
func run(t *testing.T, l *ioloop.IOLoop, timeout time.Duration) {
	t.Helper()
	to := l.CallLater(timeout, func() { t.Error("timed out"); l.Stop() })
	if err := l.Start(); err != nil {
		t.Fatal(err)
	}
	l.RemoveTimeout(to)
}

func TestReadUntilSplitDelimiter(t *testing.T) {
	l, s, peer := pair(t)
	var lines []string
	var next func([]byte, error)
	next = func(b []byte, err error) {
		if err != nil {
			t.Errorf("read: %v", err)
			l.Stop()
			return
		}
		lines = append(lines, string(b))
		if len(lines) == 3 {
			l.Stop()
			return
		}
		s.ReadUntil([]byte("\r\n"), 0, next)
	}
	s.ReadUntil([]byte("\r\n"), 0, next)
	go func() {
		for _, part := range []string{"one\r", "\ntwo\r\nthr", "ee", "\r", "\n"} {
			unix.Write(peer, []byte(part))
			time.Sleep(5 * time.Millisecond)
		}
	}()
	run(t, l, 5*time.Second)
	want := []string{"one\r\n", "two\r\n", "three\r\n"}
	if len(lines) != 3 || lines[0] != want[0] || lines[1] != want[1] || lines[2] != want[2] {
		t.Fatalf("got %q, want %q", lines, want)
	}
}

func TestPeerCloseFailsRead(t *testing.T) {
	l, s, peer := pair(t)
	var got error
	s.ReadBytes(10, false, func(b []byte, err error) { got = err; l.Stop() })
	unix.Write(peer, []byte("abc"))
	unix.Close(peer)
	run(t, l, 5*time.Second)
	if !errors.Is(got, ErrStreamClosed) {
		t.Fatalf("err = %v, want ErrStreamClosed", got)
	}
}

func TestLargeWriteCompletes(t *testing.T) {
	l, s, peer := pair(t)
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	received := make(chan []byte)
	go func() {
		var all []byte
		buf := make([]byte, 64<<10)
		for len(all) < len(data) {
			n, err := unix.Read(peer, buf)
			if n <= 0 || err != nil {
				break
			}
			all = append(all, buf[:n]...)
		}
		received <- all
	}()
	var werr error = errors.New("callback not run")
	s.Write(data, func(err error) { werr = err; l.Stop() })
	run(t, l, 5*time.Second)
	if werr != nil {
		t.Fatal(werr)
	}
	if got := <-received; !bytes.Equal(got, data) {
		t.Fatalf("received %d bytes, want %d", len(got), len(data))
	}
}
