package httpclient

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/ioloop"
)

// TestTornagoServer fetches from tornago's own server: plain, chunked
// (Flush) and keep-alive, 200 concurrent fetches on one loop.
func TestTornagoServer(t *testing.T) {
	srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		if r.Path == "/chunked" {
			w.WriteString("a")
			w.Flush(nil)
			w.WriteString("b")
			w.Finish()
			return
		}
		fmt.Fprintf(w, "%s %s %s", r.Method, r.URI, r.Body)
		w.Finish()
	}), httpserver.Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	base := "http://" + srv.Addr().String()
	r := fetchOne(t, &Request{URL: base + "/chunked"})
	if r.Error != nil || string(r.Body) != "ab" || r.Header.Get("Transfer-Encoding") != "chunked" {
		t.Fatalf("%v %q %v", r.Error, r.Body, r.Header.String())
	}
	const n = 200
	loop, _ := ioloop.New()
	defer loop.Close()
	c := New(loop, Options{MaxClients: 50})
	ok := 0
	_, err := loop.RunSync(func() *ioloop.Future {
		fut := ioloop.NewFuture()
		left := n
		for i := range n {
			want := fmt.Sprintf("POST /p?i=%d %d", i, i)
			c.Fetch(&Request{URL: fmt.Sprintf("%s/p?i=%d", base, i), Method: "POST", Body: fmt.Appendf(nil, "%d", i)}, func(r *Response) {
				if r.Error == nil && string(r.Body) == want {
					ok++
				} else {
					t.Logf("%v %q", r.Error, r.Body)
				}
				if left--; left == 0 {
					fut.SetResult(nil)
				}
			})
		}
		return fut
	}, 20*time.Second)
	loop.RunSync(func() *ioloop.Future { c.Close(); return nil }, time.Second)
	if err != nil || ok != n {
		t.Fatalf("%d/%d ok, %v", ok, n, err)
	}
	if c.connects > 50 {
		t.Fatalf("%d connections for %d fetches with MaxClients 50", c.connects, n)
	}
}
