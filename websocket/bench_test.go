package websocket

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
)

// startBareEcho serves an Upgrade echo on the bare HTTP server (no web
// layer), the setup the bench compares with gorilla/websocket.
func startBareEcho(tb testing.TB) string {
	srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		_, _ = Upgrade(w, r, UpgradeOptions{}, Callbacks{
			OnMessage: func(c *Conn, data []byte, binary bool) error {
				if binary {
					return c.WriteBinary(data)
				}
				return c.WriteText(data)
			},
		})
	}), httpserver.Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	return srv.Addr().String()
}

func benchClient(tb testing.TB, addr string) (net.Conn, *bufio.Reader) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: "+addr+"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: "+testKey+"\r\nSec-WebSocket-Version: 13\r\n\r\n")
	br := bufio.NewReaderSize(conn, 64<<10)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != 101 {
		tb.Fatalf("handshake: %v", err)
	}
	return conn, br
}

// BenchmarkEchoPipelined sends batches of 100 small messages and reads
// the 100 echoes: messages per second on one server loop.
func BenchmarkEchoPipelined(b *testing.B) {
	addr := startBareEcho(b)
	conn, br := benchClient(b, addr)
	const batch = 100
	frame := appendFrame(nil, opText, true, false, []byte("hello, websocket echo benchmark!"), true, [4]byte{1, 2, 3, 4})
	var out []byte
	for range batch {
		out = append(out, frame...)
	}
	reply := make([]byte, (len(frame)-4)*batch) // server frames are unmasked
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i += batch {
		if _, err := conn.Write(out); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(br, reply); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

func TestFrameCodecAllocs(t *testing.T) {
	frame := appendFrame(nil, opText, true, false, []byte("hello"), true, [4]byte{1, 2, 3, 4})
	in := make([]byte, len(frame))
	out := make([]byte, 0, 64)
	n := testing.AllocsPerRun(100, func() {
		copy(in, frame)
		f, _, _ := readFrame(in, 100, false)
		out = appendFrame(out[:0], opText, true, false, f.payload, false, [4]byte{})
	})
	if n != 0 {
		t.Fatalf("%v allocations per frame", n)
	}
}
