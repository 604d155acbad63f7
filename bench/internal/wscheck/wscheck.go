// Package wscheck holds the tests every WebSocket server that bench/ws
// measures must pass, whatever it is built on: wsbench's client counts on
// an echo at /echo that keeps each message's type, permessage-deflate
// only when asked for, and a /heap that answers the Go heap and stack
// bytes. Each server's main_test.go calls them on its own listener:
//
//	func TestEchoesTextAndBinary(t *testing.T) {
//		srv := httptest.NewServer(newMux(true))
//		defer srv.Close()
//		wscheck.Echo(t, "ws"+strings.TrimPrefix(srv.URL, "http")+"/echo")
//	}
package wscheck

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// timeout bounds each handshake, echo and /heap request: a local server
// answers in milliseconds, so this only stops a hung test.
const timeout = 5 * time.Second

// messages are echoed in this order: a short text, a binary message with
// bytes that are not UTF-8, and a text longer than one read buffer of most
// servers.
var messages = []struct {
	typ  int
	data []byte
}{
	{websocket.TextMessage, []byte("hello, echo")},
	{websocket.BinaryMessage, []byte{0, 1, 2, 0xff}},
	{websocket.TextMessage, bytes.Repeat([]byte("long message "), 1000)},
}

// Echo dials url (ws://host:port/echo) with gorilla's client, once
// without and once with permessage-deflate offered, and checks that the
// extension is answered just when offered and that every message comes
// back with its type and bytes. The server must accept compression.
func Echo(t testing.TB, url string) {
	t.Helper()
	for _, compress := range []bool{false, true} {
		d := websocket.Dialer{EnableCompression: compress, HandshakeTimeout: timeout}
		c, resp, err := d.Dial(url, nil)
		if err != nil {
			t.Fatalf("compress %v: dial: %v", compress, err)
		}
		ext := resp.Header.Get("Sec-Websocket-Extensions")
		if got := ext != ""; got != compress {
			t.Errorf("compress %v: extensions answered %q", compress, ext)
		}
		_ = c.SetReadDeadline(time.Now().Add(timeout))
		for _, m := range messages {
			if err := c.WriteMessage(m.typ, m.data); err != nil {
				t.Fatalf("compress %v: write: %v", compress, err)
			}
			typ, data, err := c.ReadMessage()
			if err != nil {
				t.Fatalf("compress %v: read: %v", compress, err)
			}
			if typ != m.typ || !bytes.Equal(data, m.data) {
				t.Errorf("compress %v: echo type %d %.20q, want type %d %.20q", compress, typ, data, m.typ, m.data)
			}
		}
		c.Close()
	}
}

// NoDeflate dials url offering permessage-deflate and checks that the
// server answers no extension, as a server started without compression
// must, so that its rows measure plain frames.
func NoDeflate(t testing.TB, url string) {
	t.Helper()
	d := websocket.Dialer{EnableCompression: true, HandshakeTimeout: timeout}
	c, resp, err := d.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ext := resp.Header.Get("Sec-Websocket-Extensions"); ext != "" {
		t.Errorf("extensions answered %q without compression", ext)
	}
}

// Heap gets url (http://host:port/heap) and checks that it answers two
// positive numbers, the Go heap and stack bytes wsbench reads.
func Heap(t testing.TB, url string) {
	t.Helper()
	client := http.Client{Timeout: timeout}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var heap, stack int64
	if n, err := fmt.Sscanf(string(body), "%d %d", &heap, &stack); n != 2 || err != nil || heap <= 0 || stack <= 0 {
		t.Errorf("/heap answered %d %q", resp.StatusCode, body)
	}
}
