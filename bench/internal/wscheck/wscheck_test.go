package wscheck

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
)

// recorder is a testing.TB that keeps the failures of a check instead of
// failing the test that runs it.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	failed []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = append(r.failed, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.Errorf("%s", fmt.Sprint(args...))
	runtime.Goexit()
}

// run runs check on its own goroutine (Fatal ends it) and returns its
// failures.
func run(t *testing.T, check func(testing.TB)) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
	return r.failed
}

// server is an echo server for the checks to judge: textOnly answers
// every message as text, deflate lets it negotiate compression, heap is
// what /heap answers.
func server(textOnly, deflate bool, heap string) *httptest.Server {
	up := websocket.Upgrader{EnableCompression: deflate}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			typ, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			if textOnly {
				typ = websocket.TextMessage
			}
			if c.WriteMessage(typ, data) != nil {
				return
			}
		}
	})
	mux.HandleFunc("/heap", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, heap) })
	return httptest.NewServer(mux)
}

func wsURL(srv *httptest.Server) string { return "ws" + strings.TrimPrefix(srv.URL, "http") + "/echo" }

func TestChecksPassAGoodServer(t *testing.T) {
	srv := server(false, true, "1048576 65536\n")
	defer srv.Close()
	Echo(t, wsURL(srv))
	Heap(t, srv.URL+"/heap")
	plain := server(false, false, "1 1")
	defer plain.Close()
	NoDeflate(t, wsURL(plain))
}

func TestChecksFailABadServer(t *testing.T) {
	tests := []struct {
		name  string
		check func(testing.TB, *httptest.Server)
		srv   *httptest.Server
		want  string
	}{
		{"binary echoed as text", func(t testing.TB, s *httptest.Server) { Echo(t, wsURL(s)) }, server(true, true, ""), "want type 2"},
		{"no deflate when asked", func(t testing.TB, s *httptest.Server) { Echo(t, wsURL(s)) }, server(false, false, ""), "compress true: extensions answered \"\""},
		{"deflate without -compress", func(t testing.TB, s *httptest.Server) { NoDeflate(t, wsURL(s)) }, server(false, true, ""), "without compression"},
		{"heap answers one number", func(t testing.TB, s *httptest.Server) { Heap(t, s.URL+"/heap") }, server(false, false, "100"), "/heap answered"},
		{"heap answers zero", func(t testing.TB, s *httptest.Server) { Heap(t, s.URL+"/heap") }, server(false, false, "0 10"), "/heap answered"},
		{"no server", func(t testing.TB, s *httptest.Server) { s.Close(); Echo(t, wsURL(s)) }, server(false, false, ""), "dial"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer tt.srv.Close()
			failed := run(t, func(r testing.TB) { tt.check(r, tt.srv) })
			if !strings.Contains(strings.Join(failed, "\n"), tt.want) {
				t.Errorf("failures %q, want one containing %q", failed, tt.want)
			}
		})
	}
}
