// Command tornagows is tornago's side of bench/ws.sh: a WebSocket echo on
// web.Application, served on one IOLoop. The socket is a web handler that
// embeds websocket.Handler and writes each message back; "/" answers "ok"
// and /heap the Go heap and stacks in use after a collection.
// The access log is off, as in the HTTP benchmarks.
//
//	go build -o bin/tornagows ./ws/tornagows
//	taskset -c 0 bin/tornagows -port 18300 -compress
//
// With -compress the handler negotiates permessage-deflate when a client
// offers it, at flate level 1 (-level), gorilla/websocket's level, so both
// servers compress alike; a client that does not offer it gets plain frames.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/websocket"
)

// EchoSocket writes every message back, text as text and binary as binary.
type EchoSocket struct{ websocket.Handler }

// OnMessage echoes data; the frame is built before it returns, so data
// need not outlive the call.
func (h *EchoSocket) OnMessage(data []byte, binary bool) error {
	if binary {
		return h.Conn().WriteBinary(data)
	}
	return h.Conn().WriteText(data)
}

// HeapHandler answers "HEAP_INUSE STACK_INUSE" in bytes after a garbage
// collection, at /heap, for the idle-memory run's heap figure.
type HeapHandler struct{ web.RequestHandler }

// Get collects garbage and writes the two figures.
func (h *HeapHandler) Get() error {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return h.Write(fmt.Sprintf("%d %d\n", m.HeapInuse, m.StackInuse))
}

// OKHandler answers "ok" at "/", for readiness checks.
type OKHandler struct{ web.RequestHandler }

// Get writes "ok".
func (h *OKHandler) Get() error { return h.Write("ok") }

func main() {
	port := flag.Int("port", 8888, "TCP port to listen on")
	address := flag.String("address", "127.0.0.1", "address to listen on")
	loops := flag.Int("loops", 1, "IOLoops (0: one per CPU)")
	compress := flag.Bool("compress", false, "negotiate permessage-deflate when the client offers it")
	level := flag.Int("level", 1, "flate level with -compress (gorilla/websocket uses 1)")
	flag.Parse()
	if err := run(*port, *address, *loops, *compress, *level); err != nil {
		fmt.Fprintln(os.Stderr, "tornagows:", err)
		os.Exit(1)
	}
}

func run(port int, address string, loops int, compress bool, level int) error {
	srv, err := serve(port, address, loops, compress, level)
	if err != nil {
		return err
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	return srv.Close()
}

// serve starts the echo application on its own loops and returns at once.
func serve(port int, address string, loops int, compress bool, level int) (*httpserver.HTTPServer, error) {
	echo := &EchoSocket{}
	if compress {
		echo.Compression = &websocket.CompressionOptions{Level: level}
	}
	app, err := web.NewApplication([]web.Rule{
		{Pattern: "/echo", Handler: echo},
		{Pattern: "/heap", Handler: &HeapHandler{}},
		{Pattern: "/", Handler: &OKHandler{}},
	}, web.Settings{LogFunction: func(*web.RequestHandler) {}})
	if err != nil {
		return nil, err
	}
	srv := app.NewServer(httpserver.Options{})
	if err := srv.Bind(port, address); err != nil {
		return nil, err
	}
	if err := srv.Start(loops); err != nil {
		return nil, err
	}
	return srv, nil
}
