package iostream

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/ioloop"
	"golang.org/x/sys/unix"
)

// pair returns a loop and a stream over one end of a socketpair, and the
// other end (blocking) for the test to drive.
func pair(t *testing.T, opts ...Option) (*ioloop.IOLoop, *IOStream, int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	unix.CloseOnExec(fds[0])
	unix.CloseOnExec(fds[1])
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

// feed writes parts to fd from a goroutine, pausing between them so each
// arrives in its own read.
func feed(fd int, parts ...string) {
	go func() {
		for _, p := range parts {
			unix.Write(fd, []byte(p))
			time.Sleep(3 * time.Millisecond)
		}
	}()
}

// drain reads fd until it has n bytes or fails, and sends what it got.
func drain(fd, n int) <-chan []byte {
	ch := make(chan []byte, 1)
	go func() {
		var all []byte
		buf := make([]byte, 64<<10)
		for len(all) < n {
			m, err := unix.Read(fd, buf)
			if m <= 0 || err != nil {
				break
			}
			all = append(all, buf[:m]...)
		}
		ch <- all
	}()
	return ch
}

func TestReadUntil(t *testing.T) {
	for _, tc := range []struct {
		name  string
		parts []string
		delim string
		want  []string
	}{
		{"one read", []string{"a\r\nbb\r\nccc\r\n"}, "\r\n", []string{"a\r\n", "bb\r\n", "ccc\r\n"}},
		{"delimiter split across reads", []string{"one\r", "\ntwo\r\nthr", "ee", "\r", "\n"}, "\r\n", []string{"one\r\n", "two\r\n", "three\r\n"}},
		{"byte at a time", []string{"a", "b", "|", "|", "c", "d", "|", "|"}, "||", []string{"ab||", "cd||"}},
		{"long delimiter", []string{"x--bound", "ary--y--boundary--"}, "--boundary--", []string{"x--boundary--", "y--boundary--"}},
		{"empty line", []string{"\n\nz\n"}, "\n", []string{"\n", "\n", "z\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, s, peer := pair(t)
			var got []string
			var next func([]byte, error)
			next = func(b []byte, err error) {
				if err != nil {
					t.Errorf("read: %v", err)
					l.Stop()
					return
				}
				got = append(got, string(b))
				if len(got) == len(tc.want) {
					l.Stop()
					return
				}
				s.ReadUntil([]byte(tc.delim), 0, next)
			}
			s.ReadUntil([]byte(tc.delim), 0, next)
			feed(peer, tc.parts...)
			run(t, l, 5*time.Second)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReadUntilMaxBytes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input string
		max   int
		ok    bool
	}{
		{"fits exactly", "abc\n", 4, true},
		{"delimiter past max", "abcd\n", 4, false},
		{"no delimiter within max", "abcdefgh", 4, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, s, peer := pair(t)
			var gotErr error
			var got string
			s.ReadUntil([]byte("\n"), tc.max, func(b []byte, err error) {
				got, gotErr = string(b), err
				l.Stop()
			})
			feed(peer, tc.input)
			run(t, l, 5*time.Second)
			if tc.ok {
				if gotErr != nil || got != tc.input {
					t.Fatalf("got %q, %v", got, gotErr)
				}
				return
			}
			if !errors.Is(gotErr, ErrUnsatisfiableRead) || !errors.Is(gotErr, ErrStreamClosed) || !s.Closed() {
				t.Fatalf("err %v, closed %v; want ErrUnsatisfiableRead and closed", gotErr, s.Closed())
			}
		})
	}
}

// push writes chunk to the peer and lets the stream read it, so each
// chunk arrives in exactly one read (the loop is not running).
func push(t *testing.T, s *IOStream, peer int, chunk string) {
	t.Helper()
	if _, err := unix.Write(peer, []byte(chunk)); err != nil {
		t.Fatal(err)
	}
	s.onReadable()
}

func TestReadBytes(t *testing.T) {
	l, s, peer := pair(t)
	var got []string
	s.ReadBytes(5, false, func(b []byte, err error) {
		got = append(got, string(b))
		s.ReadBytes(100, true, func(b []byte, err error) {
			got = append(got, string(b)) // partial: whatever is there
			s.ReadBytes(3, true, func(b []byte, err error) {
				got = append(got, string(b)) // partial but capped at n
				s.ReadBytes(0, false, func(b []byte, err error) {
					got = append(got, "empty:"+string(b))
					l.Stop()
				})
			})
		})
	})
	push(t, s, peer, "ab")
	push(t, s, peer, "cdefg")
	push(t, s, peer, "hijkl")
	run(t, l, 5*time.Second)
	want := []string{"abcde", "fg", "hij", "empty:"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestReadBytesLarge(t *testing.T) {
	// Larger than the loop's read buffer: exercises reading straight into
	// the retained buffer as it grows.
	l, s, peer := pair(t)
	data := bytes.Repeat([]byte("0123456789"), 50_000)
	var got []byte
	s.ReadBytes(len(data), false, func(b []byte, err error) {
		if err != nil {
			t.Error(err)
		}
		got = append([]byte(nil), b...)
		l.Stop()
	})
	go unix.Write(peer, data)
	run(t, l, 10*time.Second)
	if !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes, want %d", len(got), len(data))
	}
	if s.rbuf != nil {
		t.Fatal("stream kept its read buffer after it emptied")
	}
}

func TestReadBytesStreaming(t *testing.T) {
	l, s, peer := pair(t)
	data := bytes.Repeat([]byte("xyz"), 100_000)
	var got []byte
	chunks := 0
	s.ReadBytesStreaming(len(data)-1, func(b []byte) {
		chunks++
		got = append(got, b...)
	}, func(err error) {
		if err != nil {
			t.Error(err)
		}
		s.ReadBytes(1, false, func(b []byte, err error) {
			got = append(got, b...)
			l.Stop()
		})
	})
	go unix.Write(peer, data)
	run(t, l, 10*time.Second)
	if !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes, want %d", len(got), len(data))
	}
	if chunks < 2 {
		t.Fatalf("%d chunks: not streamed", chunks)
	}
}

func TestReadBytesStreamingPeerClose(t *testing.T) {
	l, s, peer := pair(t)
	var doneErr error
	n := 0
	s.ReadBytesStreaming(10, func(b []byte) { n += len(b) }, func(err error) { doneErr = err; l.Stop() })
	unix.Write(peer, []byte("1234"))
	unix.Close(peer)
	run(t, l, 5*time.Second)
	if n != 4 || !errors.Is(doneErr, ErrStreamClosed) {
		t.Fatalf("got %d bytes, done(%v)", n, doneErr)
	}
}

func TestReadUntilClose(t *testing.T) {
	l, s, peer := pair(t)
	var got string
	var gotErr error
	s.ReadUntilClose(func(b []byte, err error) { got, gotErr = string(b), err; l.Stop() })
	big := strings.Repeat("q", 100_000)
	go func() {
		unix.Write(peer, []byte("head,"))
		time.Sleep(5 * time.Millisecond)
		unix.Write(peer, []byte(big))
		unix.Close(peer)
	}()
	run(t, l, 5*time.Second)
	if gotErr != nil || got != "head,"+big {
		t.Fatalf("got %d bytes, %v", len(got), gotErr)
	}
}

func TestPeerCloseFailsRead(t *testing.T) {
	l, s, peer := pair(t)
	var got error
	closed := 0
	s.SetCloseCallback(func() { closed++ })
	s.ReadBytes(10, false, func(b []byte, err error) {
		got = err
		l.CallLater(5*time.Millisecond, l.Stop)
	})
	unix.Write(peer, []byte("abc"))
	unix.Close(peer)
	run(t, l, 5*time.Second)
	if !errors.Is(got, ErrStreamClosed) {
		t.Fatalf("err = %v, want ErrStreamClosed", got)
	}
	if !s.Closed() || s.Error() != nil || closed != 1 {
		t.Fatalf("closed=%v error=%v close callbacks=%d", s.Closed(), s.Error(), closed)
	}
}

func TestBufferedInputReadableAfterPeerClose(t *testing.T) {
	// As in Tornado: what arrived before the peer closed can still be
	// read, even by reads started after the close was seen.
	l, s, peer := pair(t)
	var got []string
	s.ReadUntil([]byte("\n"), 0, func(b []byte, err error) {
		got = append(got, string(b))
		l.CallLater(20*time.Millisecond, func() { // the close arrives meanwhile
			if !s.Closed() {
				t.Error("close not seen")
			}
			s.ReadUntil([]byte("\n"), 0, func(b []byte, err error) {
				got = append(got, string(b))
				s.ReadUntil([]byte("\n"), 0, func(b []byte, err error) {
					if !errors.Is(err, ErrStreamClosed) {
						t.Errorf("read past the end: %q, %v", b, err)
					}
					l.Stop()
				})
			})
		})
	})
	unix.Write(peer, []byte("one\ntwo\n"))
	unix.Close(peer)
	run(t, l, 5*time.Second)
	if strings.Join(got, "") != "one\ntwo\n" {
		t.Fatalf("got %q", got)
	}
}

func TestMaxReadBuffer(t *testing.T) {
	l, s, peer := pair(t, WithMaxReadBuffer(1024))
	var gotErr error
	s.ReadUntil([]byte("\n"), 0, func(b []byte, err error) { gotErr = err; l.Stop() })
	go unix.Write(peer, bytes.Repeat([]byte("a"), 4096))
	run(t, l, 5*time.Second)
	if !errors.Is(gotErr, ErrBufferFull) || !errors.Is(s.Error(), ErrBufferFull) {
		t.Fatalf("err %v, stream error %v; want ErrBufferFull", gotErr, s.Error())
	}
}

func TestReadPending(t *testing.T) {
	l, s, _ := pair(t)
	var got error
	s.ReadBytes(1, false, func([]byte, error) {})
	s.ReadUntil([]byte("\n"), 0, func(b []byte, err error) { got = err; l.Stop() })
	run(t, l, 5*time.Second)
	if !errors.Is(got, ErrReadPending) {
		t.Fatalf("second read: %v, want ErrReadPending", got)
	}
}

func TestCloseFailsPendingOperations(t *testing.T) {
	l, s, _ := pair(t, WithMaxWriteBuffer(1<<30))
	var readErr, writeErr, lateWrite, lateRead error
	closes := 0
	s.SetCloseCallback(func() { closes++ })
	s.ReadUntil([]byte("\n"), 0, func(b []byte, err error) { readErr = err })
	// Far more than a socketpair buffers: most of it stays pending.
	s.Write(make([]byte, 8<<20), func(err error) { writeErr = err })
	if s.PendingWrite() == 0 {
		t.Fatal("nothing pending")
	}
	l.AddCallback(func() {
		s.Close()
		s.Close()
		s.Write([]byte("x"), func(err error) { lateWrite = err })
		s.ReadBytes(1, false, func(b []byte, err error) { lateRead = err })
		l.CallLater(5*time.Millisecond, l.Stop)
	})
	run(t, l, 5*time.Second)
	for name, err := range map[string]error{"read": readErr, "write": writeErr, "late write": lateWrite, "late read": lateRead} {
		if !errors.Is(err, ErrStreamClosed) {
			t.Errorf("%s: %v, want ErrStreamClosed", name, err)
		}
	}
	if closes != 1 {
		t.Fatalf("close callback ran %d times", closes)
	}
	if s.wbuf != nil || s.rbuf != nil {
		t.Fatal("closed stream kept buffers")
	}
}

func TestLargeWriteCompletes(t *testing.T) {
	l, s, peer := pair(t)
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	received := drain(peer, len(data)+3)
	var order []int
	s.Write(data, func(err error) { order = append(order, 1) })
	s.Write([]byte("abc"), func(err error) {
		order = append(order, 2)
		if s.PendingWrite() != 0 || s.Writing() {
			t.Error("pending output after the last write completed")
		}
		l.Stop()
	})
	run(t, l, 5*time.Second)
	if got := <-received; !bytes.Equal(got, append(data, "abc"...)) {
		t.Fatalf("received %d bytes, want %d", len(got), len(data)+3)
	}
	if len(order) != 2 || order[0] != 1 {
		t.Fatalf("callbacks ran in order %v", order)
	}
	if s.wbuf != nil {
		t.Fatal("write buffer kept after draining")
	}
}

func TestWriteFuture(t *testing.T) {
	l, s, peer := pair(t)
	got := drain(peer, 5)
	v, err := l.RunSync(func() *ioloop.Future { return s.WriteFuture([]byte("hello")) }, 5*time.Second)
	if v != nil || err != nil {
		t.Fatalf("WriteFuture: %v, %v", v, err)
	}
	if b := <-got; string(b) != "hello" {
		t.Fatalf("peer got %q", b)
	}
}

func TestWriteCapPausesReading(t *testing.T) {
	const limit = 256 << 10
	l, s, peer := pair(t, WithMaxWriteBuffer(limit))
	var received int
	s.SetDataHandler(func(b []byte) int { received += len(b); return len(b) })
	big := make([]byte, 2*limit)
	l.AddCallback(func() {
		s.Write(big, nil)
		if !s.writePaused {
			t.Error("reading not paused above the cap")
		}
		unix.Write(peer, []byte("while paused"))
		l.CallLater(20*time.Millisecond, func() {
			if received != 0 {
				t.Errorf("read %d bytes while the write buffer was over its cap", received)
			}
			drained := drain(peer, len(big))
			s.Write(nil, func(err error) {
				<-drained
				l.CallLater(20*time.Millisecond, l.Stop)
			})
		})
	})
	run(t, l, 5*time.Second)
	if received != len("while paused") {
		t.Fatalf("after draining, read %d bytes", received)
	}
}

func TestRawModeRetainsTail(t *testing.T) {
	l, s, peer := pair(t)
	var seen []string
	// Consume whole "records" ending in ';' only.
	s.SetDataHandler(func(b []byte) int {
		seen = append(seen, string(b))
		i := bytes.LastIndexByte(b, ';')
		if bytes.HasSuffix(b, []byte("end;")) {
			l.Stop()
		}
		return i + 1
	})
	feed(peer, "a;b", "c;d", "d", "end;")
	run(t, l, 5*time.Second)
	want := []string{"a;b", "bc;d", "dd", "ddend;"}
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Fatalf("handler saw %q, want %q", seen, want)
	}
	if s.rbuf != nil {
		t.Fatal("buffer kept although everything was consumed")
	}
}

func TestPauseAndResumeReading(t *testing.T) {
	l, s, peer := pair(t)
	var seen []string
	s.SetDataHandler(func(b []byte) int {
		seen = append(seen, string(b))
		// Take one byte, then pause, as an HTTP connection does when it
		// hands a request to an asynchronous handler.
		s.PauseReading()
		l.CallLater(5*time.Millisecond, s.ResumeReading)
		if len(b) == 1 && b[0] == 'c' {
			l.Stop()
		}
		return 1
	})
	unix.Write(peer, []byte("abc"))
	run(t, l, 5*time.Second)
	want := []string{"abc", "bc", "c"}
	if strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Fatalf("handler saw %q, want %q", seen, want)
	}
}

func TestPausedStreamNoticesPeerClose(t *testing.T) {
	l, s, peer := pair(t)
	s.SetCloseCallback(l.Stop)
	s.PauseReading()
	unix.Close(peer)
	run(t, l, 5*time.Second)
	if !s.Closed() {
		t.Fatal("paused stream did not close")
	}
}

func TestIdleStreamNoticesPeerClose(t *testing.T) {
	l, s, peer := pair(t)
	s.SetCloseCallback(l.Stop) // no read pending
	unix.Close(peer)
	run(t, l, 5*time.Second)
	if !s.Closed() {
		t.Fatal("idle stream did not notice the close")
	}
}

func TestSetDataHandlerDeliversRetained(t *testing.T) {
	l, s, peer := pair(t)
	var got string
	s.ReadUntil([]byte("\n"), 0, func(b []byte, err error) {
		// The rest of the input is retained; raw mode gets it first.
		s.SetDataHandler(func(b []byte) int {
			got += string(b)
			if strings.HasSuffix(got, "!") {
				s.SetDataHandler(nil)
				l.Stop()
			}
			return len(b)
		})
	})
	feed(peer, "head\nbody", "!")
	run(t, l, 5*time.Second)
	if got != "body!" {
		t.Fatalf("raw mode got %q", got)
	}
	if s.Reading() {
		t.Fatal("still reading after SetDataHandler(nil)")
	}
}

func TestConnectionResetIsAClose(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	f, _ := server.(*net.TCPConn).File()
	server.Close()
	// A descriptor of our own: f's would be closed again by f's
	// finalizer after the stream closed it, when its number may belong
	// to a later test's socket.
	fd, err := unix.Dup(int(f.Fd()))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	unix.SetNonblock(fd, true)
	l, _ := ioloop.New()
	defer l.Close()
	s := New(l, fd)
	var readErr error
	s.ReadBytes(1, false, func(b []byte, err error) { readErr = err; l.Stop() })
	client.(*net.TCPConn).SetLinger(0) // close sends RST
	client.Close()
	run(t, l, 5*time.Second)
	if !errors.Is(readErr, ErrStreamClosed) || !errors.Is(s.Error(), unix.ECONNRESET) {
		t.Fatalf("read %v, stream error %v", readErr, s.Error())
	}
	if err := s.SetNoDelay(true); !errors.Is(err, ErrStreamClosed) {
		t.Fatalf("SetNoDelay on closed stream: %v", err)
	}
}

func TestNewOnBadFD(t *testing.T) {
	l, _ := ioloop.New()
	defer l.Close()
	s := New(l, -1)
	if !s.Closed() || s.Error() == nil {
		t.Fatalf("stream on fd -1: closed %v, error %v", s.Closed(), s.Error())
	}
}

func TestEchoManyRequestsOneRead(t *testing.T) {
	// A pipelined batch: every line is answered, in order, from one read.
	l, s, peer := pair(t)
	var lines int
	var next func([]byte, error)
	next = func(b []byte, err error) {
		if err != nil {
			return
		}
		s.Write(b, nil)
		if lines++; lines == 100 {
			l.Stop()
			return
		}
		s.ReadUntil([]byte("\n"), 0, next)
	}
	s.ReadUntil([]byte("\n"), 0, next)
	var batch strings.Builder
	for i := range 100 {
		batch.WriteString(strings.Repeat("x", i) + "\n")
	}
	got := drain(peer, batch.Len())
	unix.Write(peer, []byte(batch.String()))
	run(t, l, 5*time.Second)
	if b := <-got; string(b) != batch.String() {
		t.Fatalf("echoed %d bytes, want %d", len(b), batch.Len())
	}
}

func TestPausedInputSurvivesPeerClose(t *testing.T) {
	l, s, peer := pair(t)
	var got string
	var gotErr error
	s.SetDataHandler(func(b []byte) int {
		s.PauseReading() // holds "line\n" unconsumed
		s.SetDataHandler(nil)
		s.ReadUntil([]byte("\n"), 0, func(b []byte, err error) {
			got, gotErr = string(b), err
			l.Stop()
		})
		return 0
	})
	push(t, s, peer, "line\n")
	unix.Close(peer) // a hang-up while paused
	run(t, l, 5*time.Second)
	if got != "line\n" || gotErr != nil {
		t.Fatalf("got %q, %v", got, gotErr)
	}
}

func TestPanicInCallbackClosesStream(t *testing.T) {
	l, s, peer := pair(t)
	s.SetCloseCallback(l.Stop)
	s.SetDataHandler(func(b []byte) int { panic("protocol bug") })
	unix.Write(peer, []byte("x"))
	run(t, l, 5*time.Second) // the loop recovers and logs; the stream closes
	if !s.Closed() || s.Error() == nil || !strings.Contains(s.Error().Error(), "protocol bug") {
		t.Fatalf("closed %v, error %v", s.Closed(), s.Error())
	}
}
