//go:build !race

package web

import (
	"testing"

	"github.com/tornago/tornago/httpserver"
)

type allocStreamer struct{ RequestHandler }

func (h *allocStreamer) DataReceived(chunk []byte) error { return nil }

type allocArg struct{ RequestHandler }

func (h *allocArg) Get(name string) error {
	h.Write(name)
	return nil
}

// TestHelloAllocationsWithHeadHook: an application with a streaming route
// asks for each request's route when its head arrives (HeadersReceived);
// a request to another route pays no allocation for it.
func TestHelloAllocationsWithHeadHook(t *testing.T) {
	app, err := NewApplication([]Rule{
		{Pattern: "/", Handler: &allocHello{}},
		{Pattern: "/user/([a-z]+)", Handler: &allocArg{}},
		{Pattern: "/upload", Handler: &allocStreamer{}},
	}, Settings{Logger: silentLogger()})
	if err != nil {
		t.Fatal(err)
	}
	sh := serverHandler{app}
	s := &nopSink{}
	for _, tt := range []struct {
		path string
		want float64
	}{
		{"/", 1},
		{"/user/ann", 5}, // as without the hook: the head look decodes no groups
	} {
		r := httpserver.NewRequest("GET", tt.path, nil)
		r.Header.Add("Host", "127.0.0.1")
		sh.HeadersReceived(r)
		app.serve(s, r) // warm the pools
		allocs := testing.AllocsPerRun(1000, func() {
			sh.HeadersReceived(r)
			app.serve(s, r)
		})
		if allocs > tt.want {
			t.Errorf("GET %s allocates %.1f times with the head hook; want at most %.0f", tt.path, allocs, tt.want)
		}
	}
}
