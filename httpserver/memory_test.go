package httpserver

import (
	"testing"
	"unsafe"
)

// TestConnSize guards the cost of an idle connection: the conn struct is
// the server's part of it (the stream and two closures are the rest).
func TestConnSize(t *testing.T) {
	if n := unsafe.Sizeof(conn{}); n > 128 {
		t.Fatalf("conn is %d bytes, want at most 128", n)
	}
}
