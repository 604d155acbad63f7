package conformance

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tornago/tornago/httpserver"
)

// smallBodyLimit is the body limit of the "small" servers, so that the
// 413 rows need only a few KiB of input.
const smallBodyLimit = 1024

// netHTTPMaxHeaderBytes gives net/http tornago's 64 KiB head limit (net/http
// adds 4096 bytes of slack), so that one oversized head row fits both.
const netHTTPMaxHeaderBytes = 64 << 10

// quiet drops the malformed-request reports the table provokes.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// echoText is the body both echo handlers answer: method, target, body
// length, Host and the X-A header values, one per line.
func echoText(method, target string, n int, host, xa string) string {
	return fmt.Sprintf("%s\n%s\n%d\n%s\n%s", method, target, n, host, xa)
}

// statusPath returns N for a target "/status/N".
func statusPath(path string) (int, bool) {
	if s, ok := strings.CutPrefix(path, "/status/"); ok {
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	return 0, false
}

// tornagoEcho is the echo handler of the tornago servers.
func tornagoEcho(w *httpserver.ResponseWriter, r *httpserver.Request) {
	if code, ok := statusPath(r.Path); ok {
		w.SetStatus(code, "")
		w.Finish()
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.WriteString(echoText(r.Method, r.URI, len(r.Body), r.Header.Get("Host"), r.Header.Get("X-A")))
	w.Finish()
}

// netHTTPEcho is the echo handler of the net/http servers; limit bounds
// the body as tornago's MaxBodySize does (413).
func netHTTPEcho(limit int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if code, ok := statusPath(r.URL.Path); ok {
			w.WriteHeader(code)
			return
		}
		if limit > 0 && r.ContentLength > limit {
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		body := r.Body
		if limit > 0 {
			body = http.MaxBytesReader(w, r.Body, limit)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			w.Header().Set("Connection", "close")
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				w.WriteHeader(http.StatusRequestEntityTooLarge)
			} else {
				w.WriteHeader(http.StatusBadRequest)
			}
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, echoText(r.Method, r.RequestURI, len(b), r.Host, strings.Join(r.Header.Values("X-A"), ",")))
	}
}

// servers are the four servers the table runs against, started once.
type servers struct {
	tornago, tornagoSmall string // addresses
	netHTTP, netHTTPSmall string
}

var (
	serversOnce sync.Once
	serversVal  servers
	serversErr  error
)

// startServers starts the servers for the whole test binary; they live
// until the process exits.
func startServers(tb testing.TB) servers {
	tb.Helper()
	serversOnce.Do(func() {
		start := func(limit int64) (string, error) {
			srv := httpserver.New(httpserver.HandlerFunc(tornagoEcho), httpserver.Options{MaxBodySize: limit, Logger: quiet})
			if err := srv.Listen(0, "127.0.0.1"); err != nil {
				return "", err
			}
			return srv.Addr().String(), nil
		}
		if serversVal.tornago, serversErr = start(0); serversErr != nil {
			return
		}
		if serversVal.tornagoSmall, serversErr = start(smallBodyLimit); serversErr != nil {
			return
		}
		startStd := func(limit int64) string {
			ts := httptest.NewUnstartedServer(netHTTPEcho(limit))
			ts.Config.MaxHeaderBytes = netHTTPMaxHeaderBytes
			ts.Config.ErrorLog = nil
			ts.Start()
			return ts.Listener.Addr().String()
		}
		serversVal.netHTTP = startStd(0)
		serversVal.netHTTPSmall = startStd(smallBodyLimit)
	})
	if serversErr != nil {
		tb.Fatal(serversErr)
	}
	return serversVal
}

// dial connects to addr with TCP_NODELAY (the default), so that one-byte
// writes leave as one-byte segments.
func dial(addr string) (*net.TCPConn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return c.(*net.TCPConn), nil
}
