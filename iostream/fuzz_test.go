package iostream

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"
)

// FuzzReadUntil splits input at fuzzed points and feeds it to a stream
// one read at a time: the lines delivered must be the input cut after
// each first occurrence of the delimiter, whatever the chunking, and the
// bytes left must be the input's tail.
func FuzzReadUntil(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), []byte("\r\n"), []byte{3, 1, 7})
	f.Add([]byte("a||b|||c|"), []byte("||"), []byte{1})
	f.Add([]byte("--b--x--b--"), []byte("--b--"), []byte{2, 2, 2})
	f.Add(bytes.Repeat([]byte("x"), 5000), []byte("\n"), []byte{255, 255})
	f.Fuzz(func(t *testing.T, input, delim, cuts []byte) {
		if len(delim) == 0 || len(delim) > 8 || len(input) > 1<<16 {
			return
		}
		l, s, peer := pair(t)
		_ = l
		var got [][]byte
		var next func([]byte, error)
		next = func(b []byte, err error) {
			if err != nil {
				return
			}
			got = append(got, append([]byte(nil), b...))
			s.ReadUntil(delim, 0, next)
		}
		s.ReadUntil(delim, 0, next)
		rest := input
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if len(cuts) > 0 {
				n = min(n, int(cuts[i%len(cuts)])+1)
			}
			if _, err := unix.Write(peer, rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
			s.onReadable()
		}
		// The expected split.
		var want [][]byte
		tail := input
		for {
			i := bytes.Index(tail, delim)
			if i < 0 {
				break
			}
			want = append(want, tail[:i+len(delim)])
			tail = tail[i+len(delim):]
		}
		if len(got) != len(want) {
			t.Fatalf("%d lines, want %d", len(got), len(want))
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("line %d = %q, want %q", i, got[i], want[i])
			}
		}
		var kept []byte
		if s.rbuf != nil {
			kept = (*s.rbuf)[s.roff:s.rend]
		}
		if !bytes.Equal(kept, tail) {
			t.Fatalf("retained %q, want %q", kept, tail)
		}
	})
}

// FuzzDataHandler checks raw mode: whatever the chunking and however much
// the handler consumes each time, it sees every byte, in order, exactly
// once as consumed, and what it was offered always starts with what it
// left.
func FuzzDataHandler(f *testing.F) {
	f.Add([]byte("pipelined requests arrive in odd pieces"), []byte{4, 9, 1}, []byte{0, 3, 100})
	f.Fuzz(func(t *testing.T, input, cuts, takes []byte) {
		if len(input) > 1<<16 {
			return
		}
		_, s, peer := pair(t)
		var consumed []byte
		var left []byte
		call := 0
		s.SetDataHandler(func(b []byte) int {
			if !bytes.HasPrefix(b, left) {
				t.Fatalf("offered %q, which does not start with the %q left last time", b, left)
			}
			n := len(b)
			if len(takes) > 0 {
				n = min(n, int(takes[call%len(takes)]))
			}
			call++
			consumed = append(consumed, b[:n]...)
			left = append(left[:0], b[n:]...)
			return n
		})
		rest := input
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if len(cuts) > 0 {
				n = min(n, int(cuts[i%len(cuts)])+1)
			}
			unix.Write(peer, rest[:n])
			rest = rest[n:]
			s.onReadable()
		}
		if !bytes.Equal(append(consumed, left...), input) {
			t.Fatalf("consumed %q + left %q != input %q", consumed, left, input)
		}
	})
}
