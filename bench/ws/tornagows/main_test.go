package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestEchoesTextAndBinary checks the server the bench measures against
// gorilla's client: text comes back as text, binary as binary, with and
// without permessage-deflate negotiated.
func TestEchoesTextAndBinary(t *testing.T) {
	srv, err := serve(0, "127.0.0.1", 1, true, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, compress := range []bool{false, true} {
		d := websocket.Dialer{EnableCompression: compress, HandshakeTimeout: 5 * time.Second}
		c, resp, err := d.Dial("ws://"+srv.Addr().String()+"/echo", nil)
		if err != nil {
			t.Fatalf("compress %v: dial: %v", compress, err)
		}
		ext := resp.Header.Get("Sec-Websocket-Extensions")
		if got := ext != ""; got != compress {
			t.Errorf("compress %v: extensions answered %q", compress, ext)
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		for _, m := range []struct {
			typ  int
			data []byte
		}{
			{websocket.TextMessage, []byte("hello, echo")},
			{websocket.BinaryMessage, []byte{0, 1, 2, 0xff}},
			{websocket.TextMessage, bytes.Repeat([]byte("long message "), 1000)},
		} {
			if err := c.WriteMessage(m.typ, m.data); err != nil {
				t.Fatal(err)
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

// TestPlainServerRefusesDeflate checks that without -compress no
// extension is negotiated, so the plain rows measure plain frames.
func TestPlainServerRefusesDeflate(t *testing.T) {
	srv, err := serve(0, "127.0.0.1", 1, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	d := websocket.Dialer{EnableCompression: true, HandshakeTimeout: 5 * time.Second}
	c, resp, err := d.Dial("ws://"+srv.Addr().String()+"/echo", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ext := resp.Header.Get("Sec-Websocket-Extensions"); ext != "" {
		t.Errorf("extensions answered %q without -compress", ext)
	}
}

func TestHeapAnswersTwoNumbers(t *testing.T) {
	srv, err := serve(0, "127.0.0.1", 1, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get("http://" + srv.Addr().String() + "/heap")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var heap, stack int64
	if n, err := fmt.Sscanf(string(body), "%d %d", &heap, &stack); n != 2 || err != nil || heap <= 0 || stack <= 0 {
		t.Errorf("/heap answered %d %q", resp.StatusCode, body)
	}
}
