//go:build !race && linux

package websocket

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/tornago/tornago/web"
)

// idleSockets is how many sockets TestIdleMemory opens: enough to average
// out the loop's fixed costs, few enough for a shared CI machine.
const idleSockets = 2000

// maxIdleBytes bounds the Go heap one idle server socket may hold: the
// Conn, the handler copy, the stream and the loop's bookkeeping, with no
// buffer and no compression state.
const maxIdleBytes = 4096

func TestConnSize(t *testing.T) {
	if n := unsafe.Sizeof(Conn{}); n > 256 {
		t.Fatalf("Conn is %d bytes", n)
	}
}

// TestIdleMemory opens idle compressed sockets with raw blocking clients
// (no Go objects on the client side beyond the fd numbers) and measures
// the server's heap per socket.
func TestIdleMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("memory measurement skipped in -short mode")
	}
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{
		Handler: Handler{Compression: &CompressionOptions{}}}}})
	_, portStr, _ := strings.Cut(addr, ":")
	port, _ := strconv.Atoi(portStr)
	req := []byte("GET /echo HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + testKey + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
	// One message each first, so that each socket has used (and given back)
	// a flate writer and reader.
	msg := appendFrame(nil, opText, true, false, bytes.Repeat([]byte("hello "), 100), true, [4]byte{1, 2, 3, 4})
	open := func() int {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := unix.Connect(fd, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
			t.Fatal(err)
		}
		_ = unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &unix.Timeval{Sec: 5})
		if _, err := unix.Write(fd, req); err != nil {
			t.Fatal(err)
		}
		var buf [4096]byte
		got := 0
		for !bytes.Contains(buf[:got], []byte("\r\n\r\n")) {
			n, err := unix.Read(fd, buf[got:])
			if err != nil || n == 0 {
				t.Fatalf("handshake: %v", err)
			}
			got += n
		}
		if _, err := unix.Write(fd, msg); err != nil {
			t.Fatal(err)
		}
		if n, err := unix.Read(fd, buf[:]); err != nil || n == 0 {
			t.Fatalf("echo: %v", err)
		}
		return fd
	}
	for i := 0; i < 20; i++ { // warm the pools and the loop's tables
		unix.Close(open())
	}
	time.Sleep(100 * time.Millisecond)
	before := heap()
	fds := make([]int, idleSockets)
	for i := range fds {
		fds[i] = open()
	}
	time.Sleep(100 * time.Millisecond)
	after := heap()
	per := (int64(after) - int64(before)) / idleSockets
	t.Logf("%d idle compressed sockets: %d bytes of Go heap each", idleSockets, per)
	for _, fd := range fds {
		unix.Close(fd)
	}
	if per > maxIdleBytes {
		t.Fatalf("%d bytes per idle socket, want at most %d", per, maxIdleBytes)
	}
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
