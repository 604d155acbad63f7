package websocket

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/web"
)

// A frame sent in the same packet as the handshake is read after Open.
func TestFrameAfterHandshakeInSameWrite(t *testing.T) {
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{}}})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	req := "GET /echo HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + testKey + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	b := append([]byte(req), appendFrame(nil, opText, true, false, []byte("early"), true, [4]byte{5, 6, 7, 8})...)
	conn.Write(b)
	br := bufio.NewReader(conn)
	if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != 101 {
		t.Fatalf("%v %v", resp, err)
	}
	c := &rawClient{t: t, conn: conn, br: br}
	if _, p := c.recv(); string(p) != "early" {
		t.Fatalf("got %q", p)
	}
}

// Frames arriving one byte at a time are reassembled.
func TestByteByByte(t *testing.T) {
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{}}})
	c := dialRaw(t, addr, "/echo", "")
	msg := make([]byte, 300)
	for i := range msg {
		msg[i] = 'a' + byte(i%26)
	}
	fr := appendFrame(nil, opText, true, false, msg, true, [4]byte{1, 9, 2, 8})
	for i := range fr {
		c.conn.Write(fr[i : i+1])
		if i%50 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	if _, p := c.recv(); string(p) != string(msg) {
		t.Fatal("mismatch")
	}
}

type failingSocket struct {
	Handler
	failOpen bool
}

func (h *failingSocket) Open() error {
	if h.failOpen {
		return errors.New("no")
	}
	return h.WriteMessage("welcome")
}

func (h *failingSocket) OnMessage(data []byte, binary bool) error {
	if string(data) == "empty close" {
		h.Close(0, "")
		return nil
	}
	return errors.New("boom")
}

func TestHandlerErrorsClose1011(t *testing.T) {
	addr := startServer(t, []web.Rule{
		{Pattern: "/open", Handler: &failingSocket{failOpen: true}},
		{Pattern: "/msg", Handler: &failingSocket{}},
	})
	c := dialRaw(t, addr, "/open", "")
	if code, _ := c.expectClose(); code != 1011 {
		t.Fatalf("open error closed %d", code)
	}
	c = dialRaw(t, addr, "/msg", "")
	if _, p := c.recv(); string(p) != "welcome" {
		t.Fatalf("got %q", p)
	}
	c.send(bitFin|opText, []byte("x"), true)
	if code, _ := c.expectClose(); code != 1011 {
		t.Fatalf("OnMessage error closed %d", code)
	}
	c = dialRaw(t, addr, "/msg", "")
	c.recv()
	c.send(bitFin|opText, []byte("empty close"), true)
	op, p := c.recv()
	if op != opClose || len(p) != 0 {
		t.Fatalf("got %d %q", op, p)
	}
}

// Upgrade works on the bare HTTP server.
func TestUpgradeWithoutWeb(t *testing.T) {
	srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		_, _ = Upgrade(w, r, UpgradeOptions{}, Callbacks{
			OnMessage: func(c *Conn, data []byte, binary bool) error { return c.WriteMessage(string(data) + "!") },
		})
	}), httpserver.Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addr := srv.Addr().String()
	c := dialRaw(t, addr, "/", "")
	c.send(bitFin|opText, []byte("hi"), true)
	if _, p := c.recv(); string(p) != "hi!" {
		t.Fatalf("got %q", p)
	}
	c = dialRaw(t, addr, "/", "Origin: http://elsewhere\r\n")
	if c.resp.StatusCode != 403 {
		t.Fatalf("status %d", c.resp.StatusCode)
	}
}

// fakeServer accepts one connection, answers the handshake with accept
// (computed from the client's key unless wrongAccept), then writes frames.
func fakeServer(t *testing.T, wrongAccept bool, frames []byte) (string, chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan []byte, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		br := bufio.NewReader(conn)
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		acc := acceptKey(req.Header.Get("Sec-WebSocket-Key"))
		if wrongAccept {
			acc = "xxx"
		}
		io.WriteString(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "+acc+"\r\n\r\n")
		for i := range frames { // byte by byte
			conn.Write(frames[i : i+1])
		}
		rest, _ := io.ReadAll(br)
		got <- rest
	}()
	return ln.Addr().String(), got
}

func TestDialRules(t *testing.T) {
	l := clientLoop(t)
	addr, _ := fakeServer(t, true, nil)
	if _, err := l.RunSync(func() *ioloop.Future { return Dial(l, "ws://"+addr+"/", DialOptions{}) }, 5*time.Second); err == nil {
		t.Fatal("wrong accept key accepted")
	}

	// A server frame split into single bytes, then a masked one: 1002.
	frames := appendFrame(nil, opText, true, false, []byte("from server"), false, [4]byte{})
	frames = appendFrame(frames, opText, true, false, []byte("masked"), true, [4]byte{1, 2, 3, 4})
	addr, got := fakeServer(t, false, frames)
	c := run(t, l, func() *ioloop.Future { return Dial(l, "ws://"+addr+"/", DialOptions{}) }).(*Conn)
	m := run(t, l, func() *ioloop.Future { return c.ReadMessage() }).(*Message)
	if m == nil || string(m.Data) != "from server" {
		t.Fatalf("got %v", m)
	}
	if m := run(t, l, func() *ioloop.Future { return c.ReadMessage() }).(*Message); m != nil {
		t.Fatalf("masked frame delivered: %q", m.Data)
	}
	sent := <-got
	f, _, err := readFrame(sent, 1000, false)
	if err != nil || f.opcode != opClose || !f.masked || int(f.payload[0])<<8|int(f.payload[1]) != 1002 {
		t.Fatalf("client sent %x (%v)", sent, err)
	}
}

// slowSocket answers "slow" 50 ms later, pausing reading meanwhile, so the
// next message's answer comes after it (Tornado's coroutine on_message).
type slowSocket struct {
	Handler
	flushed chan error
}

func (h *slowSocket) OnMessage(data []byte, binary bool) error {
	msg := string(data)
	if msg != "slow" {
		return h.WriteMessage(msg)
	}
	c := h.Conn()
	c.PauseReading()
	c.Loop().CallLater(50*time.Millisecond, func() {
		_ = c.WriteMessage("slow done")
		c.Flush(func(err error) { h.flushed <- err })
		c.ResumeReading()
	})
	return nil
}

func TestPauseReading(t *testing.T) {
	flushed := make(chan error, 1)
	addr := startServer(t, []web.Rule{{Pattern: "/slow", Handler: &slowSocket{flushed: flushed}}})
	c := dialRaw(t, addr, "/slow", "")
	c.send(bitFin|opText, []byte("slow"), true)
	c.send(bitFin|opText, []byte("next"), true)
	c.send(bitFin|opPing, []byte("p"), true)
	for _, want := range []string{"slow done", "next", "p"} {
		if _, p := c.recv(); string(p) != want {
			t.Fatalf("got %q, want %q", p, want)
		}
	}
	if err := <-flushed; err != nil {
		t.Fatalf("Flush: %v", err)
	}
}
