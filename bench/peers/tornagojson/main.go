//go:build tornagoweb

// Command tornagojson is tornago's JSON endpoint for the benchmarks: a
// web.Application whose handler writes a small map, which the web layer
// encodes as JSON (Tornado's RequestHandler.write of a dict), at /json; "/"
// answers "Hello, world". The access log is off, as in Tornado's benchmark.
//
//	go build -tags tornagoweb -o bin/tornago-json ./peers/tornagojson
//	taskset -c 0 bin/tornago-json -port 18086 -loops 1
//
// It sits behind the tornagoweb build tag so the bench module builds before
// the web package exists; bench/run.sh sets the tag when ../web is there.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
)

// JSONHandler writes a fresh small map per request, as the fasthttpjson
// peer does with encoding/json.
type JSONHandler struct{ web.RequestHandler }

// Get answers {"message": "Hello, world"}.
func (h *JSONHandler) Get() error {
	return h.Write(map[string]any{"message": "Hello, world"})
}

// HelloHandler is Tornado's helloworld handler.
type HelloHandler struct{ web.RequestHandler }

// Get answers "Hello, world".
func (h *HelloHandler) Get() error {
	return h.Write("Hello, world")
}

func main() {
	port := flag.Int("port", 8888, "TCP port to listen on")
	address := flag.String("address", "127.0.0.1", "address to listen on")
	loops := flag.Int("loops", 1, "event loops (0: one per CPU)")
	flag.Parse()
	if err := run(*port, *address, *loops); err != nil {
		fmt.Fprintln(os.Stderr, "tornagojson:", err)
		os.Exit(1)
	}
}

func run(port int, address string, loops int) error {
	app, err := web.NewApplication([]web.Rule{
		{Pattern: "/json", Handler: &JSONHandler{}},
		{Pattern: "/", Handler: &HelloHandler{}},
	}, web.Settings{LogFunction: func(*web.RequestHandler) {}})
	if err != nil {
		return err
	}
	srv := app.NewServer(httpserver.Options{})
	if err := srv.Bind(port, address); err != nil {
		return err
	}
	if err := srv.Start(loops); err != nil {
		return err
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return nil
}
