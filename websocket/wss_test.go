package websocket

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/internal/testcert"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/web"
)

// wssEcho is a web route's socket that echoes what it gets and says over
// which protocol its handshake came.
type wssEcho struct {
	Handler
}

func (h *wssEcho) OnMessage(data []byte, binary bool) error {
	if string(data) == "protocol?" {
		return h.WriteMessage(h.Request.Protocol)
	}
	if binary {
		return h.WriteMessage(bytes.Clone(data))
	}
	return h.WriteMessage(string(data))
}

// wssCert makes a self-signed certificate for 127.0.0.1 and
// localhost, and a pool that trusts it (no key file is committed).
func wssCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	c, err := testcert.New()
	if err != nil {
		t.Fatal(err)
	}
	return c.TLS, c.Pool
}

// startWSS serves a websocket route at /echo over HTTPS on a free port.
func startWSS(t *testing.T) (addr string, pool *x509.CertPool) {
	t.Helper()
	cert, pool := wssCert(t)
	app, err := web.NewApplication([]web.Rule{{Pattern: "/echo", Handler: &wssEcho{}}}, web.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httpserver.New(app.ServerHandler(), httpserver.Options{TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv.Addr().String(), pool
}

// wssLoop returns a client loop, run by wssRun (RunSync), closed at the
// end of the test.
func wssLoop(t *testing.T) *ioloop.IOLoop {
	t.Helper()
	l, err := ioloop.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func wssRun(l *ioloop.IOLoop, fn func() *ioloop.Future) (any, error) {
	return l.RunSync(fn, 10*time.Second)
}

// TestDialWSS: Dial over wss:// to a websocket route served by the HTTPS
// server: text and binary messages (one large) echo over TLS, and the
// server's handler saw Protocol "https".
func TestDialWSS(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "localhost"} {
		t.Run(host, func(t *testing.T) {
			addr, pool := startWSS(t)
			_, port, _ := net.SplitHostPort(addr)
			l := wssLoop(t)
			v, err := wssRun(l, func() *ioloop.Future {
				return Dial(l, "wss://"+host+":"+port+"/echo", DialOptions{TLSConfig: &tls.Config{RootCAs: pool}})
			})
			if err != nil {
				t.Fatal(err)
			}
			c := v.(*Conn)
			big := strings.Repeat("over TLS ", 200000)
			for _, msg := range []any{"hello", big, []byte{0, 1, 2, 255}, "protocol?"} {
				v, err := wssRun(l, func() *ioloop.Future {
					if err := c.WriteMessage(msg); err != nil {
						f := ioloop.NewFuture()
						f.SetError(err)
						return f
					}
					return c.ReadMessage()
				})
				if err != nil {
					t.Fatal(err)
				}
				m := v.(*Message)
				if m == nil {
					t.Fatalf("connection closed (%d %q, stream %v) instead of echoing %.20v", c.CloseCode(), c.CloseReason(), c.stream.Error(), msg)
				}
				switch want := msg.(type) {
				case string:
					if want == "protocol?" {
						want = "https"
					}
					if m.Binary || string(m.Data) != want {
						t.Fatalf("got %v %q..., want %q...", m.Binary, m.Data[:min(len(m.Data), 20)], want[:min(len(want), 20)])
					}
				case []byte:
					if !m.Binary || !bytes.Equal(m.Data, want) {
						t.Fatalf("got %v %v", m.Binary, m.Data)
					}
				}
			}
			v, err = wssRun(l, func() *ioloop.Future {
				f := ioloop.NewFuture()
				st, _ := c.stream.ConnectionState()
				f.SetResult(st)
				return f
			})
			if st := v.(tls.ConnectionState); err != nil || !st.HandshakeComplete || st.NegotiatedProtocol != "http/1.1" {
				t.Fatalf("TLS state: complete %v, ALPN %q (%v)", st.HandshakeComplete, st.NegotiatedProtocol, err)
			}
			// A clean close handshake over TLS.
			v, _ = wssRun(l, func() *ioloop.Future {
				c.Close(1000, "done")
				return c.ReadMessage()
			})
			if m := v.(*Message); m != nil || c.CloseCode() != 1000 {
				t.Fatalf("after Close: message %v, close code %d", m, c.CloseCode())
			}
		})
	}
}

// TestDialWSSUntrusted: a server certificate the client does not trust
// fails the Dial with the verification error.
func TestDialWSSUntrusted(t *testing.T) {
	addr, _ := startWSS(t)
	l := wssLoop(t)
	_, err := wssRun(l, func() *ioloop.Future {
		return Dial(l, "wss://"+addr+"/echo", DialOptions{TLSConfig: &tls.Config{RootCAs: x509.NewCertPool()}})
	})
	var uerr x509.UnknownAuthorityError
	if !errors.As(err, &uerr) {
		t.Fatalf("Dial: %v, want an unknown-authority error", err)
	}
}
