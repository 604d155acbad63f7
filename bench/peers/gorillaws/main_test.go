package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestEchoesTextAndBinary checks the peer the bench measures: text comes
// back as text, binary as binary, with and without permessage-deflate.
func TestEchoesTextAndBinary(t *testing.T) {
	srv := httptest.NewServer(newMux(true))
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/echo"
	for _, compress := range []bool{false, true} {
		d := websocket.Dialer{EnableCompression: compress, HandshakeTimeout: 5 * time.Second}
		c, resp, err := d.Dial(url, nil)
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
		} {
			if err := c.WriteMessage(m.typ, m.data); err != nil {
				t.Fatal(err)
			}
			typ, data, err := c.ReadMessage()
			if err != nil {
				t.Fatalf("compress %v: read: %v", compress, err)
			}
			if typ != m.typ || !bytes.Equal(data, m.data) {
				t.Errorf("compress %v: echo type %d %q, want type %d %q", compress, typ, data, m.typ, m.data)
			}
		}
		c.Close()
	}
}

func TestHeapAnswersTwoNumbers(t *testing.T) {
	srv := httptest.NewServer(newMux(false))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/heap")
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
