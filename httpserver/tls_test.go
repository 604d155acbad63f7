package httpserver_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// tlsEcho answers "proto METHOD path len(body)", or with /big/N, N bytes.
func tlsEcho(w *httpserver.ResponseWriter, r *httpserver.Request) {
	var n int
	if _, err := fmt.Sscanf(r.Path, "/big/%d", &n); err == nil {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i % 251)
		}
		w.Write(b)
		w.Finish()
		return
	}
	fmt.Fprintf(w, "%s %s %s %d", r.Protocol, r.Method, r.Path, len(r.Body))
	w.Finish()
}

// startTLS serves h over HTTPS on a free port of 127.0.0.1.
func startTLS(t *testing.T, opts httpserver.Options) (*httpserver.HTTPServer, *testCert) {
	t.Helper()
	cert, err := newTestCert()
	if err != nil {
		t.Fatal(err)
	}
	opts.TLSConfig = cert.serverConfig()
	if opts.Logger == nil {
		opts.Logger = quiet
	}
	srv := httpserver.New(httpserver.HandlerFunc(tlsEcho), opts)
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, cert
}

func httpsClient(cert *testCert, version uint16) *http.Client {
	return &http.Client{
		Timeout:   20 * time.Second,
		Transport: &http.Transport{TLSClientConfig: cert.clientConfig(version), ForceAttemptHTTP2: false},
	}
}

var tlsVersions = []struct {
	name string
	v    uint16
}{{"TLS1.2", tls.VersionTLS12}, {"TLS1.3", tls.VersionTLS13}}

// TestHTTPSGoClient: net/http's client over HTTPS, TLS 1.2 and 1.3, the
// requests of a keep-alive connection on one connection, ALPN http/1.1,
// and Protocol "https" for the handler.
func TestHTTPSGoClient(t *testing.T) {
	for _, tv := range tlsVersions {
		t.Run(tv.name, func(t *testing.T) {
			srv, cert := startTLS(t, httpserver.Options{})
			client := httpsClient(cert, tv.v)
			defer client.CloseIdleConnections()
			reused := 0
			for i := range 5 {
				trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
					if info.Reused {
						reused++
					}
				}}
				req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace),
					"POST", fmt.Sprintf("https://%s/r%d", srv.Addr(), i), strings.NewReader("hello"))
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				if want := fmt.Sprintf("https POST /r%d 5", i); string(body) != want {
					t.Fatalf("body %q, want %q", body, want)
				}
				if resp.TLS == nil || resp.TLS.Version != tv.v || resp.TLS.NegotiatedProtocol != "http/1.1" {
					t.Fatalf("TLS state %+v", resp.TLS)
				}
			}
			if reused != 4 {
				t.Fatalf("%d of 4 later requests reused the connection", reused)
			}
		})
	}
}

// tlsDial opens a TLS connection to srv with a deadline bounding the test.
func tlsDial(t *testing.T, srv *httpserver.HTTPServer, cfg *tls.Config) *tls.Conn {
	t.Helper()
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", srv.Addr().String(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(20 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// TestHTTPSPipelined: requests sent in one write over TLS are answered in
// order on the connection.
func TestHTTPSPipelined(t *testing.T) {
	for _, tv := range tlsVersions {
		t.Run(tv.name, func(t *testing.T) {
			srv, cert := startTLS(t, httpserver.Options{})
			c := tlsDial(t, srv, cert.clientConfig(tv.v))
			const n = 50
			var reqs bytes.Buffer
			for i := range n {
				fmt.Fprintf(&reqs, "GET /p%d HTTP/1.1\r\nHost: a\r\n\r\n", i)
			}
			if _, err := c.Write(reqs.Bytes()); err != nil {
				t.Fatal(err)
			}
			br := bufio.NewReader(c)
			for i := range n {
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatalf("response %d: %v", i, err)
				}
				body, _ := io.ReadAll(resp.Body)
				if want := fmt.Sprintf("https GET /p%d 0", i); string(body) != want {
					t.Fatalf("response %d: %q, want %q", i, body, want)
				}
			}
		})
	}
}

// TestHTTPSLargeBodies: a response of several MiB and an upload of several
// MiB cross TLS intact.
func TestHTTPSLargeBodies(t *testing.T) {
	const size = 6<<20 + 12345
	for _, tv := range tlsVersions {
		t.Run(tv.name, func(t *testing.T) {
			srv, cert := startTLS(t, httpserver.Options{})
			client := httpsClient(cert, tv.v)
			defer client.CloseIdleConnections()
			resp, err := client.Get(fmt.Sprintf("https://%s/big/%d", srv.Addr(), size))
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if len(body) != size {
				t.Fatalf("response of %d bytes, want %d", len(body), size)
			}
			for i, b := range body {
				if b != byte(i%251) {
					t.Fatalf("byte %d is %d, want %d", i, b, i%251)
				}
			}
			up := bytes.Repeat([]byte("0123456789abcdef"), size/16)
			resp, err = client.Post("https://"+srv.Addr().String()+"/up", "application/octet-stream", bytes.NewReader(up))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if want := fmt.Sprintf("https POST /up %d", len(up)); string(body) != want {
				t.Fatalf("upload answer %q, want %q", body, want)
			}
		})
	}
}

// TestHTTPSPlainClient: a plain-HTTP request on the TLS port is answered
// 400 and the connection closed, and the server goes on.
func TestHTTPSPlainClient(t *testing.T) {
	srv, cert := startTLS(t, httpserver.Options{})
	c, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("reading until close: %v (got %q)", err, got)
	}
	if !strings.HasPrefix(string(got), "HTTP/1.0 400 ") {
		t.Fatalf("answer %q, want a 400", got)
	}
	client := httpsClient(cert, 0)
	defer client.CloseIdleConnections()
	resp, err := client.Get("https://" + srv.Addr().String() + "/after")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// TestHTTPSHandshakeTimeout: a client that stalls mid-handshake, or never
// starts it, is dropped at the header timeout.
func TestHTTPSHandshakeTimeout(t *testing.T) {
	const timeout = 500 * time.Millisecond
	srv, _ := startTLS(t, httpserver.Options{HeaderTimeout: timeout})
	for _, tt := range []struct {
		name string
		send []byte
	}{
		{"silent", nil},
		{"half a record header", []byte{0x16, 0x03}},
		{"record header without its body", []byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", srv.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			start := time.Now()
			c.SetDeadline(start.Add(10 * time.Second))
			c.Write(tt.send)
			n, err := c.Read(make([]byte, 1))
			el := time.Since(start)
			if n != 0 || (err != io.EOF && !isReset(err)) {
				t.Fatalf("read %d bytes, %v; want the connection closed", n, err)
			}
			if el < timeout-50*time.Millisecond || el > timeout+time.Second {
				t.Fatalf("closed after %v, want about %v", el, timeout)
			}
		})
	}
	waitConnections(t, srv, 0)
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

// waitConnections waits for the server to count n open connections.
func waitConnections(t *testing.T, srv *httpserver.HTTPServer, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for srv.Connections() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections open, want %d", srv.Connections(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestHTTPSBadHandshake: a client that fails verification (or speaks an
// old version) is closed without a crash, and the server goes on.
func TestHTTPSBadHandshake(t *testing.T) {
	srv, cert := startTLS(t, httpserver.Options{})
	_, err := tls.Dial("tcp", srv.Addr().String(), &tls.Config{ServerName: "127.0.0.1"}) // the system roots do not know the test CA
	if err == nil {
		t.Fatal("handshake with an untrusted certificate succeeded")
	}
	_, err = tls.Dial("tcp", srv.Addr().String(), &tls.Config{RootCAs: cert.pool, MaxVersion: tls.VersionTLS11, ServerName: "127.0.0.1"})
	if err == nil {
		t.Fatal("TLS 1.1 handshake succeeded")
	}
	c := tlsDial(t, srv, cert.clientConfig(0))
	io.WriteString(c, "GET /ok HTTP/1.1\r\nHost: a\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatal(resp.Status)
	}
}

// TestHTTPSXHeaders: with XHeaders, X-Forwarded-Proto still overrides the
// scheme of a request that came over TLS.
func TestHTTPSXHeaders(t *testing.T) {
	srv, cert := startTLS(t, httpserver.Options{XHeaders: true})
	c := tlsDial(t, srv, cert.clientConfig(0))
	io.WriteString(c, "GET /x HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: http\r\n\r\nGET /y HTTP/1.1\r\nHost: a\r\n\r\n")
	br := bufio.NewReader(c)
	for _, want := range []string{"http GET /x 0", "https GET /y 0"} {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if string(body) != want {
			t.Fatalf("%q, want %q", body, want)
		}
	}
}

// TestHTTPSCurl: curl --cacert against the server. With CI=true a missing
// curl is a failure.
func TestHTTPSCurl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("curl is not installed (CI=true)")
		}
		t.Skip("curl is not installed")
	}
	srv, cert := startTLS(t, httpserver.Options{})
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, cert.pem, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ flag, url string }{
		{"--tlsv1.2", "https://127.0.0.1:%d/a"},
		{"--tlsv1.3", "https://localhost:%d/b"},
	} {
		port := srv.Addr().(*net.TCPAddr).Port
		u := fmt.Sprintf(tt.url, port)
		args := []string{"-sS", "--max-time", "20", "--cacert", ca, tt.flag, "-d", "hi", "--resolve", fmt.Sprintf("localhost:%d:127.0.0.1", port), u, u}
		if tt.flag == "--tlsv1.2" {
			args = append(args, "--tls-max", "1.2")
		}
		out, err := exec.Command(curl, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("curl %v: %v\n%s", args, err, out)
		}
		path := u[strings.LastIndexByte(u, '/'):]
		if want := strings.Repeat("https POST "+path+" 2", 2); string(out) != want {
			t.Fatalf("curl %s: %q, want %q", tt.flag, out, want)
		}
	}
}
