// Command chat is Tornado's WebSocket chat demo on tornago: the page at /,
// the socket at /chatsocket. A browser sends {"body": "..."}; every
// connected browser receives {"id": ..., "body": ..., "html": ...}, the
// html being the message rendered through message.html with linkify. The
// last 200 messages are shown on the page and sent again to each new
// socket (the page skips the ids it already shows).
//
//	go run ./examples/chat -port 8888
//	open http://127.0.0.1:8888/ in two tabs
//
// -debug reads the templates from ./templates/chat on every request (run
// from the repository root); -logging sets the log level.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tornago/tornago/templates"
	"github.com/tornago/tornago/web"
)

func main() {
	port := flag.Int("port", 8888, "TCP port to listen on")
	address := flag.String("address", "", "address to listen on (empty: all interfaces)")
	debug := flag.Bool("debug", false, "debug mode: templates read from ./templates/chat on every request")
	web.LoggingFlag(nil)
	flag.Parse()

	files, err := chatFiles(*debug)
	if err != nil {
		log.Fatal(err)
	}
	app, err := newApp(files, *debug)
	if err != nil {
		log.Fatal(err)
	}
	srv, err := app.Listen(*port, *address)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("chat: listening on http://%v/", srv.Addr())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Print(err)
	}
}

// chatFiles returns the chat templates: built in, or with debug from disk.
func chatFiles(debug bool) (fs.FS, error) {
	if !debug {
		return fs.Sub(templates.FS, "chat")
	}
	if _, err := os.Stat("templates/chat/index.html"); err != nil {
		return nil, fmt.Errorf("-debug reads ./templates/chat: run from the repository root (%w)", err)
	}
	return os.DirFS("templates/chat"), nil
}
