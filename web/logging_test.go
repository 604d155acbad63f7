package web_test

import (
	"context"
	"flag"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/tornago/tornago/web"
)

func TestAccessLog(t *testing.T) {
	var logs logBuffer
	c := client(t, []web.Rule{
		{Pattern: "/", Handler: &helloHandler{}},
		{Pattern: "/boom", Handler: fn(func(h *web.RequestHandler) error { panic("boom") })},
	}, web.Settings{Logger: logs.logger()})
	c.Get("/?x=1")
	c.Get("/missing")
	c.Get("/boom")
	for _, re := range []string{
		`(?m)^\[I \d{6} \d\d:\d\d:\d\d [a-z_]+:\d+\] 200 GET /\?x=1 \(127\.0\.0\.1\) \d+\.\d\dms$`,
		`(?m)^\[W \d{6} \d\d:\d\d:\d\d [a-z_]+:\d+\] 404 GET /missing \(127\.0\.0\.1\) \d+\.\d\dms$`,
		`(?m)^\[E \d{6} \d\d:\d\d:\d\d [a-z_]+:\d+\] 500 GET /boom \(127\.0\.0\.1\) \d+\.\d\dms$`,
		`(?m)^\[E .*\] Uncaught exception GET /boom \(127\.0\.0\.1\) error="panic: boom"$`,
	} {
		if !regexp.MustCompile(re).MatchString(logs.String()) {
			t.Errorf("log lacks %s:\n%s", re, logs.String())
		}
	}

	var calls []string
	c = client(t, []web.Rule{{Pattern: "/", Handler: &helloHandler{}}}, web.Settings{
		LogFunction: func(h *web.RequestHandler) {
			calls = append(calls, h.Request.Method+" "+h.Request.URI+" "+h.Reason())
		},
	})
	c.Get("/")
	if strings.Join(calls, ";") != "GET / OK" {
		t.Errorf("LogFunction calls: %q", calls)
	}
}

func TestLoggingFlag(t *testing.T) {
	defer slog.SetDefault(slog.Default())
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	lv := web.LoggingFlag(fs)
	if lv.String() != "info" || lv.Level() != slog.LevelInfo {
		t.Errorf("default level %s", lv)
	}
	for name, want := range map[string]slog.Level{"debug": slog.LevelDebug, "warning": slog.LevelWarn, "error": slog.LevelError} {
		if err := fs.Parse([]string{"-logging=" + name}); err != nil || lv.Level() != want {
			t.Errorf("-logging=%s: %v, level %v", name, err, lv.Level())
		}
	}
	if err := fs.Parse([]string{"-logging=none"}); err != nil || slog.Default().Enabled(context.Background(), slog.LevelError) {
		t.Errorf("-logging=none: %v; errors still enabled", err)
	}
	fs.SetOutput(new(strings.Builder))
	if err := fs.Parse([]string{"-logging=loud"}); err == nil {
		t.Error("-logging=loud accepted")
	}
	var usage strings.Builder
	fs.SetOutput(&usage)
	fs.PrintDefaults()
	if !strings.Contains(usage.String(), "debug, info, warning, error or none") {
		t.Errorf("usage: %s", usage.String())
	}
}

func TestAccessLogOffDoesNotReadTheClock(t *testing.T) {
	// With the level at none, the access log is skipped before the request
	// time is computed: a LogFunction-free app logs nothing.
	var logs logBuffer
	lv := new(slog.LevelVar)
	lv.Set(slog.Level(1 << 20))
	c := client(t, []web.Rule{{Pattern: "/", Handler: &helloHandler{}}},
		web.Settings{Logger: slog.New(web.NewLogHandler(&logs, lv))})
	c.Get("/")
	if logs.String() != "" {
		t.Errorf("logged %q", logs.String())
	}
}
