package web_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// newApp builds an application or fails the test.
func newApp(t testing.TB, rules []web.Rule, s web.Settings) *web.Application {
	t.Helper()
	if s.Logger == nil {
		s.Logger = quietLogger()
	}
	app, err := web.NewApplication(rules, s)
	if err != nil {
		t.Fatalf("NewApplication: %v", err)
	}
	return app
}

// client builds an application and a client for it.
func client(t testing.TB, rules []web.Rule, s web.Settings) *webtest.Client {
	t.Helper()
	return webtest.NewClient(t, newApp(t, rules, s))
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(discard{}, &slog.HandlerOptions{Level: slog.LevelError + 100}))
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// logBuffer collects log lines for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(web.NewLogHandler(l, slog.LevelDebug))
}

func (l *logBuffer) contains(s string) bool { return strings.Contains(l.String(), s) }

// reset drops what was logged so far, so that the next check sees only
// what comes after.
func (l *logBuffer) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Reset()
}

// expect checks a response's status and body.
func expect(t *testing.T, what string, r *webtest.Response, status int, body string) {
	t.Helper()
	if r.Status != status || r.Text() != body {
		t.Errorf("%s = %d %q; want %d %q", what, r.Status, r.Text(), status, body)
	}
}

// expectStatus checks a response's status.
func expectStatus(t *testing.T, what string, r *webtest.Response, status int) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s = %d %q; want %d", what, r.Status, r.Text(), status)
	}
}

func webtestClient(t testing.TB, app *web.Application) *webtest.Client {
	return webtest.NewClient(t, app)
}
