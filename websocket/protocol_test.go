package websocket

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
)

func TestHandshakeFailures(t *testing.T) {
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{}}})
	base := map[string]string{
		"Upgrade": "websocket", "Connection": "keep-alive, Upgrade",
		"Sec-WebSocket-Key": testKey, "Sec-WebSocket-Version": "13",
	}
	tests := []struct {
		name    string
		change  map[string]string
		status  int
		header  string // expected Sec-WebSocket-Version
		subprot string
	}{
		{"ok", nil, 101, "", ""},
		{"no upgrade", map[string]string{"Upgrade": ""}, 400, "", ""},
		{"upgrade h2c", map[string]string{"Upgrade": "h2c"}, 400, "", ""},
		{"connection lacks upgrade", map[string]string{"Connection": "keep-alive"}, 400, "", ""},
		{"cross origin", map[string]string{"Origin": "http://evil.example"}, 403, "", ""},
		{"same origin", map[string]string{"Origin": "http://" + addr}, 101, "", ""},
		{"other port", map[string]string{"Origin": "http://127.0.0.1:1"}, 403, "", ""},
		{"version 12", map[string]string{"Sec-WebSocket-Version": "12"}, 426, "7, 8, 13", ""},
		{"no version", map[string]string{"Sec-WebSocket-Version": ""}, 426, "7, 8, 13", ""},
		{"version 8", map[string]string{"Sec-WebSocket-Version": "8"}, 101, "", ""},
		{"bad key", map[string]string{"Sec-WebSocket-Key": "short"}, 400, "", ""},
		{"subprotocol chosen", map[string]string{"Sec-WebSocket-Protocol": "x, chat"}, 101, "", "chat"},
		{"subprotocol none", map[string]string{"Sec-WebSocket-Protocol": "x, y"}, 101, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
			req := "GET /echo HTTP/1.1\r\nHost: " + addr + "\r\n"
			for k, v := range base {
				if c, ok := tt.change[k]; ok {
					v = c
				}
				if v != "" {
					req += k + ": " + v + "\r\n"
				}
			}
			for k, v := range tt.change {
				if _, ok := base[k]; !ok {
					req += k + ": " + v + "\r\n"
				}
			}
			io.WriteString(conn, req+"\r\n")
			resp, err := http.ReadResponse(bufioReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Sec-WebSocket-Version"); got != tt.header {
				t.Errorf("Sec-WebSocket-Version %q, want %q", got, tt.header)
			}
			if got := resp.Header.Get("Sec-WebSocket-Protocol"); got != tt.subprot {
				t.Errorf("subprotocol %q, want %q", got, tt.subprot)
			}
		})
	}
}

func TestFragmentationAndInterleavedControl(t *testing.T) {
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{}}})
	c := dialRaw(t, addr, "/echo", "")
	c.send(opText, []byte("hel"), true)
	c.send(bitFin|opPing, []byte("p1"), true)
	c.send(opContinuation, []byte("lo "), true)
	c.send(bitFin|opPong, []byte("unsolicited"), true)
	c.send(bitFin|opContinuation, []byte("wörld"), true)
	if op, p := c.recv(); op != opPong || string(p) != "p1" {
		t.Fatalf("want pong p1, got %d %q", op, p)
	}
	if op, p := c.recv(); op != opText || string(p) != "hello wörld" {
		t.Fatalf("got %d %q", op, p)
	}
	// A UTF-8 sequence split across fragments is fine.
	c.send(opText, []byte{0xc3}, true)
	c.send(bitFin|opContinuation, []byte{0xb6}, true)
	if _, p := c.recv(); string(p) != "ö" {
		t.Fatalf("got %q", p)
	}
}

func TestProtocolErrors(t *testing.T) {
	tests := []struct {
		name   string
		frames func(c *rawClient)
		code   int
	}{
		{"unmasked", func(c *rawClient) { c.send(bitFin|opText, []byte("hi"), false) }, 1002},
		{"bad utf8", func(c *rawClient) { c.send(bitFin|opText, []byte{'a', 0xff}, true) }, 1007},
		{"bad utf8 fragmented", func(c *rawClient) {
			c.send(opText, []byte{0xc3}, true)
			c.send(bitFin|opContinuation, []byte{'a'}, true)
		}, 1007},
		{"too big frame", func(c *rawClient) { c.send(bitFin|opBinary, make([]byte, 2000), true) }, 1009},
		{"too big fragmented", func(c *rawClient) {
			c.send(opBinary, make([]byte, 600), true)
			c.send(bitFin|opContinuation, make([]byte, 600), true)
		}, 1009},
		{"reserved bit", func(c *rawClient) { c.send(bitFin|bitRSV1|opText, []byte("x"), true) }, 1002},
		{"unknown opcode", func(c *rawClient) { c.send(bitFin|0x3, nil, true) }, 1002},
		{"fragmented ping", func(c *rawClient) { c.send(opPing, nil, true) }, 1002},
		{"long ping", func(c *rawClient) { c.send(bitFin|opPing, make([]byte, 126), true) }, 1002},
		{"stray continuation", func(c *rawClient) { c.send(bitFin|opContinuation, []byte("x"), true) }, 1002},
		{"text inside fragmented", func(c *rawClient) {
			c.send(opText, []byte("a"), true)
			c.send(bitFin|opText, []byte("b"), true)
		}, 1002},
		{"close code 1005", func(c *rawClient) { c.send(bitFin|opClose, closePayload(1005, ""), true) }, 1002},
		{"close of 1 byte", func(c *rawClient) { c.send(bitFin|opClose, []byte{3}, true) }, 1002},
		{"close bad reason", func(c *rawClient) { c.send(bitFin|opClose, closePayload(1000, "\xff"), true) }, 1007},
	}
	closed := make(chan [2]any, len(tests))
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{
		Handler: Handler{MaxMessageSize: 1000}, closed: closed}}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dialRaw(t, addr, "/echo", "")
			tt.frames(c)
			if code, reason := c.expectClose(); code != tt.code {
				t.Fatalf("close %d %q, want %d", code, reason, tt.code)
			}
			c.expectEOF()
			select {
			case <-closed:
			case <-time.After(5 * time.Second):
				t.Fatal("OnClose not called")
			}
		})
	}
}

func TestServerCloseHandshake(t *testing.T) {
	closed := make(chan [2]any, 2)
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{
		Handler: Handler{CloseTimeout: 200 * time.Millisecond}, closed: closed}}})

	// The client answers the close: the server drops the connection.
	c := dialRaw(t, addr, "/echo", "")
	c.send(bitFin|opText, []byte("close"), true)
	if code, reason := c.expectClose(); code != 4000 || reason != "bye" {
		t.Fatalf("close %d %q", code, reason)
	}
	c.send(bitFin|opClose, closePayload(4000, ""), true)
	c.expectEOF()
	if got := <-closed; got[0] != 4000 {
		t.Fatalf("close code %v", got)
	}

	// The client never answers: the close timeout drops it.
	c = dialRaw(t, addr, "/echo", "")
	c.send(bitFin|opText, []byte("close"), true)
	c.expectClose()
	start := time.Now()
	c.expectEOF()
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("closed after %v", d)
	}
	if got := <-closed; got[0] != 0 {
		t.Fatalf("close code %v, want none", got)
	}
}

func TestPingTimeout(t *testing.T) {
	closed := make(chan [2]any, 2)
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{
		Handler: Handler{PingInterval: 50 * time.Millisecond, PingTimeout: 40 * time.Millisecond,
			CloseTimeout: 100 * time.Millisecond}, closed: closed}}})
	// A client that answers pings stays open through several intervals.
	c := dialRaw(t, addr, "/echo", "")
	for i := 0; i < 4; i++ {
		op, p := c.recv()
		if op != opPing {
			t.Fatalf("want ping, got %d", op)
		}
		c.send(bitFin|opPong, p, true)
	}
	c.send(bitFin|opText, []byte("still"), true)
	for {
		op, p := c.recv()
		if op == opText {
			if string(p) != "still" {
				t.Fatalf("got %q", p)
			}
			break
		}
		c.send(bitFin|opPong, p, true)
	}
	// A silent client is closed with "ping timed out".
	c2 := dialRaw(t, addr, "/echo", "")
	if op, _ := c2.recv(); op != opPing {
		t.Fatal("no ping")
	}
	if code, reason := c2.expectClose(); code != 1000 || reason != "ping timed out" {
		t.Fatalf("close %d %q", code, reason)
	}
	c2.expectEOF()
}

// TestRoutesOnPlainListen: a Handler route takes its connection over on
// a server the application started with app.Listen (web's Detach), and the
// deprecated websocket.Listen and Wrap still serve it.
func TestRoutesOnPlainListen(t *testing.T) {
	app, err := web.NewApplication([]web.Rule{{Pattern: "/echo", Handler: &echoSocket{}}}, web.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := app.Listen(0, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	deprecated, err := Listen(app, 0, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer deprecated.Close()
	wrapped := httpserver.New(Wrap(app.ServerHandler()), httpserver.Options{})
	if err := wrapped.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	defer wrapped.Close()
	for _, srv := range []*httpserver.HTTPServer{plain, deprecated, wrapped} {
		c := dialRaw(t, srv.Addr().String(), "/echo", "")
		if c.resp.StatusCode != 101 {
			t.Fatalf("status %d", c.resp.StatusCode)
		}
		c.send(0x81, []byte("hi"), true)
		if op, payload := c.recv(); op != 1 || string(payload) != "hi" {
			t.Fatalf("echo: op %d %q", op, payload)
		}
	}
}

// TestDetachInProcess: in process there is no connection to take over;
// the handshake is answered 500, not a panic.
func TestDetachInProcess(t *testing.T) {
	app, err := web.NewApplication([]web.Rule{{Pattern: "/echo", Handler: &echoSocket{}}}, web.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	r := httpserver.NewRequest("GET", "/echo", nil)
	for _, kv := range [][2]string{{"Host", "127.0.0.1"}, {"Upgrade", "websocket"}, {"Connection", "Upgrade"},
		{"Sec-Websocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}, {"Sec-Websocket-Version", "13"}} {
		r.Header.Add(kv[0], kv[1])
	}
	rec, err := app.ServeRecorded(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != 500 {
		t.Fatalf("status %d, want 500", rec.Status)
	}
}
