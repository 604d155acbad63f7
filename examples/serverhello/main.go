// Command serverhello is tornago's server-level hello world, with no web
// layer: an HTTPServer whose handler answers "Hello, world" to every request.
//
//	go run ./examples/serverhello -port 8888 -loops 1
//	curl http://127.0.0.1:8888/
//
// -loops sets the number of IOLoops, each with its own SO_REUSEPORT
// listener (0: one per CPU).
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
)

var hello = []byte("Hello, world")

func handle(w *httpserver.ResponseWriter, r *httpserver.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Write(hello)
	w.Finish()
}

func main() {
	port := flag.Int("port", 8888, "TCP port to listen on")
	address := flag.String("address", "", "address to listen on (empty: all interfaces)")
	loops := flag.Int("loops", 0, "number of IOLoops (0: one per CPU)")
	flag.Parse()

	srv := httpserver.New(httpserver.HandlerFunc(handle), httpserver.Options{})
	if err := srv.Bind(*port, *address); err != nil {
		log.Fatal(err)
	}
	if err := srv.Start(*loops); err != nil {
		log.Fatal(err)
	}
	log.Printf("hello: listening on %v", srv.Addr())

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Print(err)
		srv.Close()
	}
}
