// Command blog is Tornado's blog demo on tornago: a complete, small blog
// with one author, Markdown entries, an archive and an Atom feed, on an
// embedded SQLite database or on PostgreSQL.
//
//	go run ./examples/blog                      # http://localhost:8888
//	go run ./examples/blog -db postgres://user:pass@127.0.0.1/blog -xheaders -cookie_secret ...
//
// See README.md for the routes, the flags and what differs from Tornado's
// demo.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/tornago/tornago/examples/blog/internal/secret"
	"github.com/tornago/tornago/examples/blog/store"
)

// startTimeout bounds connecting to the database and creating the schema.
const startTimeout = 30 * time.Second

func main() {
	err := run(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return // -h: the usage is printed
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "blog:", err)
		os.Exit(1)
	}
}

// run starts the blog with the given arguments and returns when it stops.
func run(args []string, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	level, _ := logLevel(cfg.logging) // checked by parseFlags
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	db, err := store.Open(ctx, store.Config{DSN: cfg.db, DataDir: cfg.data})
	if err != nil {
		return err
	}
	defer db.Close()
	key, err := secret.Resolve(cfg.cookieSecret, cfg.data)
	if err != nil {
		return err
	}
	files, err := siteFiles(cfg.debug)
	if err != nil {
		return err
	}
	_, _ = key, files
	log.Info("blog ready", "database", db.Driver(), "port", cfg.port)

	// The handlers and the server are wired in once the web package lands.
	return fmt.Errorf("the web handlers are not written yet")
}
