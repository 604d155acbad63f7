package websocket

import (
	"bytes"
	"testing"

	"github.com/tornago/tornago/web"
)

func TestEcho(t *testing.T) {
	closed := make(chan [2]any, 1)
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{closed: closed}}})
	c := dialRaw(t, addr, "/echo", "")
	if c.resp.StatusCode != 101 {
		t.Fatalf("status %d", c.resp.StatusCode)
	}
	if got := c.resp.Header.Get("Sec-WebSocket-Accept"); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("accept %q", got)
	}
	c.send(bitFin|opText, []byte("hello"), true)
	if op, p := c.recv(); op != opText || string(p) != "hello" {
		t.Fatalf("got %d %q", op, p)
	}
	big := bytes.Repeat([]byte("x"), 70000)
	c.send(bitFin|opBinary, big, true)
	if op, p := c.recv(); op != opBinary || !bytes.Equal(p, big) {
		t.Fatalf("got %d len %d", op, len(p))
	}
	c.send(bitFin|opText, []byte("json"), true)
	if _, p := c.recv(); string(p) != `{"a": 1}` {
		t.Fatalf("json %q", p)
	}
	c.send(bitFin|opClose, closePayload(1000, "done"), true)
	if code, _ := c.expectClose(); code != 1000 {
		t.Fatalf("close echo %d", code)
	}
	c.expectEOF()
	if got := <-closed; got[0] != 1000 || got[1] != "done" {
		t.Fatalf("OnClose saw %v", got)
	}
}
