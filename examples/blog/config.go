package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// config holds the command-line options, named as Tornado's demo and
// tornado.options name them.
type config struct {
	port         int
	address      string
	db           string
	data         string
	debug        bool
	xheaders     bool
	cookieSecret string
	logging      string
}

// parseFlags reads the options from args (without the program name).
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("blog", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.port, "port", 8888, "run on the given port")
	fs.StringVar(&c.address, "address", "", "listen on this address (all interfaces when empty)")
	fs.StringVar(&c.db, "db", "", "database: empty for SQLite in -data, a postgres:// URL, or sqlite:PATH")
	fs.StringVar(&c.data, "data", "./blog-data", "data directory: the SQLite database and the generated cookie secret")
	fs.BoolVar(&c.debug, "debug", false, "debug mode: templates and static files read from ./templates on every change, tracebacks in error pages, restart when the binary is rebuilt")
	fs.BoolVar(&c.xheaders, "xheaders", false, "trust X-Real-Ip/X-Forwarded-For/X-Forwarded-Proto (behind a proxy such as nginx)")
	fs.StringVar(&c.cookieSecret, "cookie_secret", "", "key signing the login cookie; generated and kept in -data when empty; give all instances behind one proxy the same one")
	fs.StringVar(&c.logging, "logging", "info", "log level: debug, info, warning, error or none")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if c.port < 0 || c.port > 65535 {
		return config{}, fmt.Errorf("-port %d is not a TCP port", c.port)
	}
	if _, err := logLevel(c.logging); err != nil {
		return config{}, err
	}
	return c, nil
}

// levelNone is above every level slog uses: nothing is logged.
const levelNone = slog.Level(100)

// logLevel maps Tornado's --logging values to slog levels.
func logLevel(name string) (slog.Level, error) {
	switch strings.ToLower(name) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warning", "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	case "none":
		return levelNone, nil
	}
	return 0, errors.New("-logging must be debug, info, warning, error or none, not " + name)
}
