// Command hello is Tornado's helloworld demo on tornago's web layer: a
// MainHandler whose Get writes "Hello, world", routed by a web.Application.
//
//	go run ./examples/hello -port 8888
//	curl http://127.0.0.1:8888/
//
// -loops sets the number of IOLoops, each with its own SO_REUSEPORT
// listener (0: one per CPU); -logging sets the log level (debug, info,
// warning, error, none: benchmarks use none, as Tornado's own does).
// GET /json answers a small JSON object, for the JSON benchmark.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
)

// MainHandler answers "Hello, world".
type MainHandler struct{ web.RequestHandler }

// Get writes the greeting.
func (h *MainHandler) Get() error {
	h.Write("Hello, world")
	return nil
}

// JSONHandler answers {"message": "Hello, World!"}.
type JSONHandler struct{ web.RequestHandler }

// message is the JSON benchmark's payload.
type message struct {
	Message string `json:"message"`
}

// Get writes the JSON object.
func (h *JSONHandler) Get() error {
	return h.Write(&message{Message: "Hello, World!"})
}

// rules routes / to MainHandler and /json to JSONHandler.
func rules() []web.Rule {
	return []web.Rule{
		{Pattern: "/", Handler: &MainHandler{}},
		{Pattern: "/json", Handler: &JSONHandler{}},
	}
}

func main() {
	port := flag.Int("port", 8888, "TCP port to listen on")
	address := flag.String("address", "", "address to listen on (empty: all interfaces)")
	loops := flag.Int("loops", 0, "number of IOLoops (0: one per CPU)")
	web.LoggingFlag(nil)
	flag.Parse()

	app, err := web.NewApplication(rules(), web.Settings{})
	if err != nil {
		log.Fatal(err)
	}
	srv := app.NewServer(httpserver.Options{})
	if err := srv.Bind(*port, *address); err != nil {
		log.Fatal(err)
	}
	if err := srv.Start(*loops); err != nil {
		log.Fatal(err)
	}
	log.Printf("webhello: listening on %v", srv.Addr())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := app.Shutdown(ctx); err != nil {
		log.Print(err)
	}
}
