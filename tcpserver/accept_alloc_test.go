//go:build linux && !race

package tcpserver

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// TestAcceptAllocs: taking a connection allocates nothing on Linux; the
// peer's address is decoded from the listener's own buffer.
func TestAcceptAllocs(t *testing.T) {
	const runs = 50
	fd, err := bindOne(netip.MustParseAddr("127.0.0.1"), 0, runs+10, false)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	addr := "127.0.0.1:" + strconv.Itoa(localPort(fd))
	// AllocsPerRun calls the function runs+1 times; every call takes one
	// connection already waiting in the backlog.
	var clients []net.Conn
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	for range runs + 1 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	var b peerBuf
	var failed error
	allocs := testing.AllocsPerRun(runs, func() {
		nfd, peer, err := accept(fd, &b)
		if err != nil {
			failed = err
			return
		}
		if !peer.Addr().Is4() || peer.Port() == 0 {
			failed = fmt.Errorf("peer address %v, want a 127.0.0.1 address with its port", peer)
		}
		unix.Close(nfd)
	})
	if failed != nil {
		t.Fatal(failed)
	}
	if allocs != 0 {
		t.Fatalf("accept: %v allocations per connection, want 0", allocs)
	}
}
