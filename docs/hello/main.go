// Command hello is the guide's first program: Tornado's "Hello, world" on
// tornago, with a graceful shutdown on SIGINT and SIGTERM.
package main

import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tornago/tornago/web"
)

// MainHandler answers every GET of "/".
type MainHandler struct{ web.RequestHandler }

// Get writes the greeting.
func (h *MainHandler) Get() error {
	return h.Write("Hello, world")
}

func makeApp() (*web.Application, error) {
	return web.NewApplication([]web.Rule{
		{Pattern: "/", Handler: &MainHandler{}},
	}, web.Settings{})
}

func main() {
	app, err := makeApp()
	if err != nil {
		log.Fatal(err)
	}
	srv, err := app.Listen(8888, "") // does not block: the loop runs in the background
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on %v", srv.Addr())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := app.Shutdown(ctx); err != nil { // requests in flight finish first
		log.Print(err)
	}
}
