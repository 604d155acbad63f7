package tcpserver

import (
	"testing"

	"github.com/tornago/tornago/iostream"
)

// TestConnTable: pages appear with their first connection and are given
// back with their last; each visits every connection once even when the
// visit removes it.
func TestConnTable(t *testing.T) {
	var tab connTable
	streams := make([]*iostream.IOStream, 3*connPageSize)
	for fd := range streams {
		streams[fd] = new(iostream.IOStream)
		tab.add(fd, streams[fd])
	}
	if got := tab.len(); got != len(streams) {
		t.Fatalf("len %d, want %d", got, len(streams))
	}
	if tab.remove(5, streams[6]) {
		t.Fatal("removed a stream that fd 5 does not hold")
	}
	for fd := connPageSize; fd < 2*connPageSize; fd++ {
		if !tab.remove(fd, streams[fd]) {
			t.Fatalf("fd %d not removed", fd)
		}
	}
	if tab.pages[1] != nil {
		t.Fatal("empty page kept")
	}
	if tab.remove(connPageSize, streams[connPageSize]) || tab.remove(-1, nil) || tab.remove(1<<20, nil) {
		t.Fatal("removed a connection that is not there")
	}
	seen := map[*iostream.IOStream]bool{}
	tab.each(func(s *iostream.IOStream) {
		if seen[s] {
			t.Fatal("visited twice")
		}
		seen[s] = true
		for fd, st := range streams {
			if st == s {
				tab.remove(fd, s) // as a close hook does
			}
		}
	})
	if len(seen) != 2*connPageSize || tab.len() != 0 {
		t.Fatalf("visited %d, %d left", len(seen), tab.len())
	}
	for i, p := range tab.pages {
		if p != nil {
			t.Fatalf("page %d kept after its connections went", i)
		}
	}
}
