package web

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
)

// RequestTime is how long the request has taken so far (Tornado's
// request_time()). It reads the clock, so the access log calls it only when
// the line will be written.
func (h *RequestHandler) RequestTime() time.Duration {
	var start time.Time
	if h.x != nil {
		start = h.x.start
	}
	if start.IsZero() {
		start = h.Request.StartTime()
	}
	if start.IsZero() {
		return 0
	}
	return time.Since(start)
}

// logRequest writes the access log line, Tornado's log_request:
// "200 GET /path (127.0.0.1) 0.52ms", at info below 400, warning for 4xx
// and error for 5xx; or calls Settings.LogFunction instead.
func (app *Application) logRequest(h *RequestHandler) {
	if f := app.settings.LogFunction; f != nil {
		f(h)
		return
	}
	level := slog.LevelInfo
	switch {
	case h.status >= 500:
		level = slog.LevelError
	case h.status >= 400:
		level = slog.LevelWarn
	}
	lg := app.logger()
	ctx := context.Background()
	if !lg.Enabled(ctx, level) {
		return
	}
	ms := float64(h.RequestTime().Microseconds()) / 1000
	lg.Log(ctx, level, fmt.Sprintf("%d %s %.2fms", h.status, h.requestSummary(), ms))
}

// logUncaught logs an error that became a 500 (or broke an error page),
// with the request and, for a panic, the stack.
func (app *Application) logUncaught(h *RequestHandler, err error, what string) {
	attrs := []any{"error", err.Error()}
	var pe *PanicError
	if errors.As(err, &pe) {
		attrs = append(attrs, "stack", string(pe.Stack))
	}
	app.logger().Error(what+" "+h.requestSummary(), attrs...)
}

// LogLevel is the value of the -logging flag, Tornado's logging option:
// debug, info (the default), warning, error or none. It is a flag.Value and
// a slog.Leveler.
type LogLevel struct {
	mu    sync.Mutex
	name  string
	level slog.LevelVar
}

// levelNone is above every level slog logs at: nothing is enabled, so the
// access log does not even read the clock.
const levelNone = slog.Level(1 << 20)

var logLevels = map[string]slog.Level{
	"debug":   slog.LevelDebug,
	"info":    slog.LevelInfo,
	"warning": slog.LevelWarn,
	"warn":    slog.LevelWarn,
	"error":   slog.LevelError,
	"none":    levelNone,
}

// String returns the level's name.
func (l *LogLevel) String() string {
	if l == nil {
		return "info"
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.name == "" {
		return "info"
	}
	return l.name
}

// Set sets the level by name.
func (l *LogLevel) Set(s string) error {
	lv, ok := logLevels[strings.ToLower(s)]
	if !ok {
		return fmt.Errorf("unknown logging level %q (want debug, info, warning, error or none)", s)
	}
	l.mu.Lock()
	l.name = strings.ToLower(s)
	l.mu.Unlock()
	l.level.Set(lv)
	return nil
}

// Level implements slog.Leveler.
func (l *LogLevel) Level() slog.Level { return l.level.Level() }

// LoggingFlag defines the -logging flag on fs (flag.CommandLine if nil) and
// makes slog's default logger write Tornado-style lines to stderr at the
// chosen level, so that
//
//	web.LoggingFlag(nil)
//	flag.Parse()
//
// gives a program Tornado's --logging=debug|info|warning|error|none.
func LoggingFlag(fs *flag.FlagSet) *LogLevel {
	if fs == nil {
		fs = flag.CommandLine
	}
	l := &LogLevel{}
	l.level.Set(slog.LevelInfo)
	fs.Var(l, "logging", "log level: debug, info, warning, error or none")
	slog.SetDefault(slog.New(NewLogHandler(os.Stderr, l)))
	return l
}

// NewLogHandler returns a slog.Handler writing Tornado's log format,
// "[I 260708 12:00:00 web:123] message key=value", to w.
func NewLogHandler(w io.Writer, level slog.Leveler) slog.Handler {
	if level == nil {
		level = slog.LevelInfo
	}
	return &logHandler{w: w, level: level, mu: new(sync.Mutex)}
}

type logHandler struct {
	w      io.Writer
	level  slog.Leveler
	mu     *sync.Mutex
	prefix string // pre-formatted attributes from WithAttrs
	group  string
}

func (lh *logHandler) Enabled(_ context.Context, l slog.Level) bool {
	return l >= lh.level.Level()
}

func (lh *logHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	letter := 'I'
	switch {
	case r.Level >= slog.LevelError:
		letter = 'E'
	case r.Level >= slog.LevelWarn:
		letter = 'W'
	case r.Level < slog.LevelInfo:
		letter = 'D'
	}
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	b.WriteByte('[')
	b.WriteRune(letter)
	b.WriteByte(' ')
	b.WriteString(t.Format("060102 15:04:05"))
	if r.PC != 0 {
		f, _ := runtime.CallersFrames([]uintptr{r.PC}).Next()
		file := f.File
		if i := strings.LastIndexByte(file, '/'); i >= 0 {
			file = file[i+1:]
		}
		fmt.Fprintf(&b, " %s:%d", strings.TrimSuffix(file, ".go"), f.Line)
	}
	b.WriteString("] ")
	b.WriteString(r.Message)
	b.WriteString(lh.prefix)
	r.Attrs(func(a slog.Attr) bool {
		writeAttr(&b, lh.group, a)
		return true
	})
	b.WriteByte('\n')
	lh.mu.Lock()
	defer lh.mu.Unlock()
	_, err := io.WriteString(lh.w, b.String())
	return err
}

func writeAttr(b *strings.Builder, group string, a slog.Attr) {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return
	}
	key := a.Key
	if group != "" {
		key = group + "." + key
	}
	if a.Value.Kind() == slog.KindGroup {
		for _, ga := range a.Value.Group() {
			writeAttr(b, key, ga)
		}
		return
	}
	v := a.Value.String()
	if strings.Contains(v, "\n") {
		// Stacks and tracebacks print as blocks, as Tornado's do.
		fmt.Fprintf(b, "\n%s:\n%s", key, strings.TrimRight(v, "\n"))
		return
	}
	if strings.ContainsAny(v, " \t\"=") {
		v = fmt.Sprintf("%q", v)
	}
	b.WriteByte(' ')
	b.WriteString(key)
	b.WriteByte('=')
	b.WriteString(v)
}

func (lh *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	var b strings.Builder
	b.WriteString(lh.prefix)
	for _, a := range attrs {
		writeAttr(&b, lh.group, a)
	}
	c := *lh
	c.prefix = b.String()
	return &c
}

func (lh *logHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return lh
	}
	c := *lh
	if c.group != "" {
		c.group += "." + name
	} else {
		c.group = name
	}
	return &c
}
