package webtest

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
)

// shutdownTimeout bounds the server's shutdown at the end of a test.
const shutdownTimeout = 5 * time.Second

// A Server is an Application served by the real loop server on a loopback
// port for the length of a test (Tornado's AsyncHTTPTestCase).
type Server struct {
	App *web.Application
	// HTTP is the loop server.
	HTTP *httpserver.HTTPServer
	// URL is the base URL, "http://127.0.0.1:PORT".
	URL string
	// Port is the port the server listens on.
	Port int
	// Client is an HTTP client that does not follow redirects.
	Client *http.Client
}

// StartServer starts app on a free port of 127.0.0.1 and stops it when the
// test ends.
func StartServer(t testing.TB, app *web.Application, opts ...httpserver.Options) *Server {
	t.Helper()
	srv, err := app.Listen(0, "127.0.0.1", opts...)
	if err != nil {
		t.Fatalf("webtest: starting the server: %v", err)
	}
	s := &Server{
		App:  app,
		HTTP: srv,
		Client: &http.Client{
			Timeout:       DefaultTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport:     &http.Transport{DisableCompression: true},
		},
	}
	if addr, ok := srv.Addr().(*net.TCPAddr); ok {
		s.Port = addr.Port
	} else if a := srv.Addr(); a != nil {
		_, p, _ := net.SplitHostPort(a.String())
		s.Port, _ = strconv.Atoi(p)
	}
	s.URL = "http://127.0.0.1:" + strconv.Itoa(s.Port)
	t.Cleanup(func() {
		s.Client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Logf("webtest: shutting the server down: %v", err)
		}
	})
	return s
}

// URLFor returns the absolute URL of a path.
func (s *Server) URLFor(path string) string {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return s.URL + path
}

// Fetch sends a request to the server and returns the response with its
// body read, and header name/value pairs.
func (s *Server) Fetch(method, path string, body io.Reader, header ...string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(method, s.URLFor(path), body)
	if err != nil {
		return nil, nil, err
	}
	for i := 0; i+1 < len(header); i += 2 {
		if strings.EqualFold(header[i], "Host") {
			req.Host = header[i+1]
			continue
		}
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// Get is Fetch for a GET.
func (s *Server) Get(path string, header ...string) (*http.Response, []byte, error) {
	return s.Fetch("GET", path, nil, header...)
}
