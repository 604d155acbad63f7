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
	"os/signal"
	"syscall"
	"time"

	"github.com/tornago/tornago/examples/blog/internal/secret"
	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
)

// startTimeout bounds connecting to the database and creating the schema.
const startTimeout = 30 * time.Second

// shutdownTimeout bounds finishing the requests in flight on SIGINT or
// SIGTERM before the process exits anyway.
const shutdownTimeout = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return // -h: the usage is printed
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "blog:", err)
		os.Exit(1)
	}
}

// run starts the blog with the given arguments and returns when ctx is
// done (main: on SIGINT or SIGTERM), after finishing the requests in flight.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	level, _ := logLevel(cfg.logging) // checked by parseFlags
	log := slog.New(web.NewLogHandler(stderr, level))

	octx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	db, err := store.Open(octx, store.Config{DSN: cfg.db, DataDir: cfg.data})
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
	app, err := newApplication(db, options{files: files, cookieSecret: key, debug: cfg.debug, logger: log})
	if err != nil {
		return err
	}
	srv, err := app.Listen(cfg.port, cfg.address, httpserver.Options{XHeaders: cfg.xheaders})
	if err != nil {
		return err
	}
	log.Info(fmt.Sprintf("blog on http://%s", srv.Addr()), "database", db.Driver(), "debug", cfg.debug, "xheaders", cfg.xheaders)
	<-ctx.Done()
	log.Info("shutting down")
	sctx, scancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer scancel()
	return app.Shutdown(sctx)
}
