package websocket

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/web"
)

// clientLoop returns a loop for Dial, closed at the end of the test.
func clientLoop(t *testing.T) *ioloop.IOLoop {
	t.Helper()
	l, err := ioloop.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func run(t *testing.T, l *ioloop.IOLoop, fn func() *ioloop.Future) any {
	t.Helper()
	v, err := l.RunSync(fn, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDialEcho(t *testing.T) {
	for _, comp := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "deflate"}[comp], func(t *testing.T) {
			h := &echoSocket{}
			var co *CompressionOptions
			if comp {
				co = &CompressionOptions{}
				h.Compression = co
			}
			addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: h}})
			l := clientLoop(t)
			c := run(t, l, func() *ioloop.Future {
				return Dial(l, "ws://"+addr+"/echo", DialOptions{Options: Options{Compression: co}, Subprotocols: []string{"chat"}})
			}).(*Conn)
			if c.Subprotocol() != "chat" || c.Compressed() != comp {
				t.Fatalf("subprotocol %q compressed %v", c.Subprotocol(), c.Compressed())
			}
			big := strings.Repeat("compressible text ", 5000)
			for _, msg := range []any{"hello", big, []byte{0, 1, 2, 255}} {
				m := run(t, l, func() *ioloop.Future {
					if err := c.WriteMessage(msg); err != nil {
						t.Fatal(err)
					}
					return c.ReadMessage()
				}).(*Message)
				switch want := msg.(type) {
				case string:
					if m.Binary || string(m.Data) != want {
						t.Fatalf("got %v %q...", m.Binary, m.Data[:min(len(m.Data), 20)])
					}
				case []byte:
					if !m.Binary || !bytes.Equal(m.Data, want) {
						t.Fatalf("got %v %v", m.Binary, m.Data)
					}
				}
			}
			// The server closes: ReadMessage resolves to nil.
			m := run(t, l, func() *ioloop.Future {
				_ = c.WriteMessage("close")
				return c.ReadMessage()
			}).(*Message)
			if m != nil || c.CloseCode() != 4000 || c.CloseReason() != "bye" {
				t.Fatalf("got %v, close %d %q", m, c.CloseCode(), c.CloseReason())
			}
			if err := c.WriteMessage("late"); !errors.Is(err, ErrClosed) {
				t.Fatalf("write after close: %v", err)
			}
		})
	}
}

func TestDialRefused(t *testing.T) {
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{}}})
	l := clientLoop(t)
	var h DialOptions
	h.Header.Set("Origin", "http://evil.example")
	_, err := l.RunSync(func() *ioloop.Future { return Dial(l, "ws://"+addr+"/echo", h) }, 5*time.Second)
	var he *HandshakeError
	if !errors.As(err, &he) || he.Status != 403 {
		t.Fatalf("err %v", err)
	}
	_, err = l.RunSync(func() *ioloop.Future { return Dial(l, "ws://127.0.0.1:1/", DialOptions{}) }, 5*time.Second)
	if err == nil {
		t.Fatal("dial to a closed port succeeded")
	}
}

func TestClientClose(t *testing.T) {
	closed := make(chan [2]any, 1)
	addr := startServer(t, []web.Rule{{Pattern: "/echo", Handler: &echoSocket{closed: closed}}})
	l := clientLoop(t)
	c := run(t, l, func() *ioloop.Future { return Dial(l, "ws://"+addr+"/echo", DialOptions{}) }).(*Conn)
	m := run(t, l, func() *ioloop.Future {
		c.Close(1001, "going")
		return c.ReadMessage()
	})
	if m.(*Message) != nil || c.CloseCode() != 1001 {
		t.Fatalf("got %v code %d", m, c.CloseCode())
	}
	if got := <-closed; got[0] != 1001 || got[1] != "going" {
		t.Fatalf("server saw %v", got)
	}
}
