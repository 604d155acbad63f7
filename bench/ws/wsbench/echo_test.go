package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// echoServer serves at /echo a gorilla echo whose answer to message i
// (from 1) is reply(i, type, data); a false ok drops the message.
func echoServer(t *testing.T, compress bool, reply func(i int, typ int, data []byte) (int, []byte, bool)) string {
	t.Helper()
	up := websocket.Upgrader{EnableCompression: compress}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for i := 1; ; i++ {
			typ, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			typ, data, ok := reply(i, typ, data)
			if !ok {
				continue
			}
			if err := c.WriteMessage(typ, data); err != nil {
				return
			}
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func echoAll(i, typ int, data []byte) (int, []byte, bool) { return typ, data, true }

func testEcho(addr string, deflate bool) echoConfig {
	return echoConfig{addr: addr, conns: 4, window: 8, size: 32, deflate: deflate,
		warmup: 50 * time.Millisecond, duration: 300 * time.Millisecond, pid: os.Getpid()}
}

func TestEchoRunCounts(t *testing.T) {
	for _, deflate := range []bool{false, true} {
		addr := echoServer(t, true, echoAll)
		r, err := echoRun(context.Background(), testEcho(addr, deflate))
		if err != nil {
			t.Fatalf("deflate %v: %v", deflate, err)
		}
		if r.msgs < 10 || r.rate() <= 0 {
			t.Errorf("deflate %v: %d echoes in %v", deflate, r.msgs, r.elapsed)
		}
		if deflate && r.compressedOut < 0.99 {
			t.Errorf("deflate: only %.2f of the echoes were compressed", r.compressedOut)
		}
		if !deflate && r.compressedOut != 0 {
			t.Errorf("plain: %.2f of the echoes were compressed", r.compressedOut)
		}
		if r.clientCPU <= 0 {
			t.Errorf("deflate %v: client CPU %v", deflate, r.clientCPU)
		}
	}
}

// TestEchoRunCatchesBadServers checks that a server answering wrongly
// fails the run instead of counting.
func TestEchoRunCatchesBadServers(t *testing.T) {
	tests := []struct {
		name     string
		compress bool
		deflate  bool
		reply    func(i, typ int, data []byte) (int, []byte, bool)
		err      string
	}{
		{"drops a message", false, false, func(i, typ int, data []byte) (int, []byte, bool) {
			return typ, data, i != 3
		}, "echo 3"},
		{"changes a byte", false, false, func(i, typ int, data []byte) (int, []byte, bool) {
			if i == 5 {
				data[0] ^= 1
			}
			return typ, data, true
		}, "echo 5"},
		{"answers binary", false, false, func(i, typ int, data []byte) (int, []byte, bool) {
			return websocket.BinaryMessage, data, true
		}, "opcode 0x2"},
		{"closes the socket", false, false, func(i, typ int, data []byte) (int, []byte, bool) {
			if i == 4 {
				return websocket.CloseMessage, websocket.FormatCloseMessage(1011, "bye"), true
			}
			return typ, data, true
		}, "closed"},
		{"drops a compressed message", true, true, func(i, typ int, data []byte) (int, []byte, bool) {
			return typ, data, i != 3
		}, "echo 3"},
		{"does not negotiate deflate", false, true, echoAll, "not negotiated"},
	}
	for _, tt := range tests {
		addr := echoServer(t, tt.compress, tt.reply)
		_, err := echoRun(context.Background(), testEcho(addr, tt.deflate))
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.err)
		}
	}
}

func TestEchoRunRefusesBadConfig(t *testing.T) {
	for _, cfg := range []echoConfig{
		{addr: "127.0.0.1:1", conns: 1, window: 1, size: 8},
		{addr: "127.0.0.1:1", conns: 0, window: 1, size: 32},
		{addr: "127.0.0.1:1", conns: 1, window: 0, size: 32},
	} {
		if _, err := echoRun(context.Background(), cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}

func TestIdleRunHoldsSockets(t *testing.T) {
	addr := echoServer(t, false, echoAll)
	cfg := idleConfig{addr: addr, pid: os.Getpid(), n: 40, sources: 3, settle: 100 * time.Millisecond}
	r, err := idleRun(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r.alive != 40 || r.beforeKiB <= 0 || r.afterKiB <= 0 {
		t.Errorf("got %+v", r)
	}
	// This test server has no /heap: the run goes on without the figure.
	if r.heapErr == nil || !strings.Contains(r.heapErr.Error(), "404") {
		t.Errorf("heap error %v, want a 404", r.heapErr)
	}
}

// TestIdleRunCatchesClosedSockets: a server that drops idle sockets fails
// the run, rather than reporting the memory of fewer sockets.
func TestIdleRunCatchesClosedSockets(t *testing.T) {
	up := websocket.Upgrader{}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		typ, data, err := c.ReadMessage()
		if err == nil {
			_ = c.WriteMessage(typ, data)
		}
		// then hangs up on the idle socket
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg := idleConfig{addr: strings.TrimPrefix(srv.URL, "http://"), pid: os.Getpid(), n: 20, sources: 0, settle: 200 * time.Millisecond}
	if _, err := idleRun(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("error %v, want one about closed sockets", err)
	}
}

func TestDialChecksTheHandshake(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Upgrade", "websocket")
		w.Header().Set("Connection", "Upgrade")
		w.Header().Set("Sec-WebSocket-Accept", "d3Jvbmc=")
		w.WriteHeader(http.StatusSwitchingProtocols)
	}))
	defer srv.Close()
	_, err := dial(context.Background(), strings.TrimPrefix(srv.URL, "http://"), "/echo", nil, false)
	if err == nil || !strings.Contains(err.Error(), "Sec-WebSocket-Accept") {
		t.Errorf("wrong accept key: error %v", err)
	}
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	_, err = dial(context.Background(), strings.TrimPrefix(notFound.URL, "http://"), "/echo", nil, false)
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("404: error %v", err)
	}
}
