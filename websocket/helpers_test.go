package websocket

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
)

// echoSocket echoes every message and records its close.
type echoSocket struct {
	Handler
	closed chan [2]any
}

func (h *echoSocket) OnMessage(data []byte, binary bool) error {
	if binary {
		return h.WriteMessage(bytes.Clone(data))
	}
	if string(data) == "json" {
		return h.WriteMessage(map[string]any{"a": 1})
	}
	if string(data) == "close" {
		h.Close(4000, "bye")
		return nil
	}
	return h.WriteMessage(string(data))
}

func (h *echoSocket) OnClose() {
	if h.closed != nil {
		h.closed <- [2]any{h.CloseCode(), h.CloseReason()}
	}
}

func (h *echoSocket) SelectSubprotocol(offered []string) string {
	for _, p := range offered {
		if p == "chat" {
			return p
		}
	}
	return ""
}

// startServer serves rules on a free port.
func startServer(t *testing.T, rules []web.Rule) string {
	t.Helper()
	app, err := web.NewApplication(rules, web.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httpserver.New(app.ServerHandler(), httpserver.Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv.Addr().String()
}

// rawClient is a hand-written client over a blocking net.Conn.
type rawClient struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
	resp *http.Response
}

const testKey = "dGhlIHNhbXBsZSBub25jZQ=="

func dialRaw(t *testing.T, addr, path string, extra string) *rawClient {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + testKey + "\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &rawClient{t: t, conn: conn, br: br, resp: resp}
}

// send writes one frame, masked unless unmasked.
func (c *rawClient) send(b0 byte, payload []byte, masked bool) {
	c.t.Helper()
	key := [4]byte{1, 2, 3, 4}
	fr := appendFrame(nil, b0&0x0f, b0&bitFin != 0, b0&bitRSV1 != 0, payload, masked, key)
	if _, err := c.conn.Write(fr); err != nil {
		c.t.Fatal(err)
	}
}

// recv reads one frame (server frames are unmasked).
func (c *rawClient) recv() (op byte, payload []byte) {
	c.t.Helper()
	var h [2]byte
	if _, err := io.ReadFull(c.br, h[:]); err != nil {
		c.t.Fatalf("reading frame: %v", err)
	}
	if h[1]&bitMask != 0 {
		c.t.Fatal("server frame is masked")
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		io.ReadFull(c.br, b[:])
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		io.ReadFull(c.br, b[:])
		n = binary.BigEndian.Uint64(b[:])
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(c.br, payload); err != nil {
		c.t.Fatal(err)
	}
	return h[0] & 0x0f, payload
}

// expectClose reads frames until a close frame and returns its code.
func (c *rawClient) expectClose() (int, string) {
	c.t.Helper()
	for {
		op, p := c.recv()
		if op == opClose {
			if len(p) < 2 {
				return 0, ""
			}
			return int(binary.BigEndian.Uint16(p)), string(p[2:])
		}
	}
}

// expectEOF checks the server closes the TCP connection.
func (c *rawClient) expectEOF() {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(c.br); err != nil && !strings.Contains(err.Error(), "reset") {
		c.t.Fatalf("waiting for EOF: %v", err)
	}
}

func closePayload(code int, reason string) []byte {
	return append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...)
}

func bufioReader(c net.Conn) *bufio.Reader { return bufio.NewReader(c) }
