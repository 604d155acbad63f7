package docs_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/internal/testcert"
	"github.com/tornago/tornago/web"
)

// guide: deploy

func serveBehindProxy(app *web.Application, port, loops int) (*httpserver.HTTPServer, error) {
	srv := app.NewServer(httpserver.Options{
		XHeaders:       true,                  // client address and scheme from X-Real-Ip, X-Forwarded-Proto...
		MaxConnections: 10000,                 // stop accepting past this many (0: no limit)
		MaxBodySize:    8 << 20,               // 413 past 8 MiB (default 100 MiB)
		RequestTimeout: 30 * time.Second,      // 503 for an async handler that never finishes
		HeaderTimeout:  20 * time.Second,      // 408 for a slow head (default 60 s)
		Logger:         app.Settings().Logger, // nil: slog.Default()
	})
	if err := srv.Bind(port, "127.0.0.1"); err != nil { // only nginx connects
		return nil, err
	}
	// n loops, each with its own SO_REUSEPORT listener (0: one per CPU).
	return srv, srv.Start(loops)
}

// end

// guide: tls

func serveHTTPS(app *web.Application, port int, certFile, keyFile string) (*httpserver.HTTPServer, error) {
	cfg, err := httpserver.LoadTLSConfig(certFile, keyFile) // TLS 1.2 and 1.3, HTTP/1.1
	if err != nil {
		return nil, err
	}
	// Handlers see Request.Protocol "https"; signed cookies get Secure.
	return app.Listen(port, "", httpserver.Options{TLSConfig: cfg})
}

// end

// guide: tls-nethttp

func serveHTTP2(app *web.Application) error {
	// An Application is an http.Handler: net/http serves it over HTTP/2.
	return http.ListenAndServeTLS(":8443", "cert.pem", "key.pem", app)
}

// end

var _ = serveHTTP2

// TestServeHTTPS runs the TLS sample with a certificate made for the test
// and fetches a page over HTTPS with a client that trusts only it.
func TestServeHTTPS(t *testing.T) {
	app, err := storyApp()
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile, pool := testCertificate(t)
	srv, err := serveHTTPS(app, 0, certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := app.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}()
	_, port, _ := net.SplitHostPort(srv.Addr().String())
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get("https://127.0.0.1:" + port + "/story/1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.TLS == nil || !strings.Contains(string(body), "1") {
		t.Fatalf("GET over HTTPS: %d, TLS %v, %q", resp.StatusCode, resp.TLS != nil, body)
	}
}

// testCertificate writes a self-signed ECDSA certificate for 127.0.0.1 and
// its key into the test's directory, and returns them with a pool that
// trusts it.
func testCertificate(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	c, err := testcert.New()
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile, err = c.WriteFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, c.Pool
}

func TestServeBehindProxy(t *testing.T) {
	app, err := storyApp()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := serveBehindProxy(app, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := app.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	}()
	req, _ := http.NewRequest("GET", "http://"+srv.Addr().String()+"/story/1", nil)
	req.Header.Set("X-Real-Ip", "203.0.113.9")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(srv.Loops()) != 2 {
		t.Fatalf("status %d, %d loops", resp.StatusCode, len(srv.Loops()))
	}
}
