package docs_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
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

func serveTLS(app *web.Application) error {
	// tornago's loop server does not speak TLS yet: net/http does, and an
	// Application is an http.Handler (HTTP/2 included).
	return http.ListenAndServeTLS(":8443", "cert.pem", "key.pem", app)
}

// end

var _ = serveTLS

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
