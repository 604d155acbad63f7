package web_test

import (
	"fmt"
	"testing"

	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

type markedBlocking struct {
	web.RequestHandler
	web.Blocking
}

func (h *markedBlocking) Get(...string) error { return h.Write(fmt.Sprint(h.OnWorker())) }

// TestOnWorker: a handler learns whether it runs on the worker pool, by
// its marker or by its Rule.
func TestOnWorker(t *testing.T) {
	report := func(h *web.RequestHandler) error { return h.Write(fmt.Sprint(h.OnWorker())) }
	srv := webtest.StartServer(t, newApp(t, []web.Rule{
		{Pattern: "/inline", Handler: fn(report)},
		{Pattern: "/rule", Handler: fn(report), Blocking: true},
		{Pattern: "/marker", Handler: &markedBlocking{}},
	}, web.Settings{}))
	for path, want := range map[string]string{"/inline": "false", "/rule": "true", "/marker": "true"} {
		_, got, err := srv.Get(path)
		if err != nil || string(got) != want {
			t.Errorf("%s: OnWorker() = %s (%v), want %s", path, got, err, want)
		}
	}
}
