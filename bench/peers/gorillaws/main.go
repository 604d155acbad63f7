// Command gorillaws is the peer of bench/ws.sh: gorilla/websocket's echo
// on net/http, as gorilla's own echo example writes it (ReadMessage, then
// WriteMessage, one goroutine per socket, the Upgrader's default buffers).
// The socket is at /echo; "/" answers "ok" and /heap the Go heap and
// stacks in use after a collection ("HEAP_INUSE STACK_INUSE", in bytes).
//
//	go build -o bin/gorillaws ./peers/gorillaws
//	taskset -c 0 bin/gorillaws -port 18300 -compress
//
// With -compress the Upgrader negotiates permessage-deflate when a client
// offers it (gorilla always uses no_context_takeover, at flate level 1); a
// client that does not offer it gets plain frames.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"

	"github.com/gorilla/websocket"
)

func main() {
	port := flag.Int("port", 8888, "TCP port to listen on")
	address := flag.String("address", "127.0.0.1", "address to listen on")
	compress := flag.Bool("compress", false, "negotiate permessage-deflate when the client offers it")
	flag.Parse()
	if err := run(*port, *address, *compress); err != nil {
		fmt.Fprintln(os.Stderr, "gorillaws:", err)
		os.Exit(1)
	}
}

func run(port int, address string, compress bool) error {
	mux := newMux(compress)
	ln, err := net.Listen("tcp", net.JoinHostPort(address, strconv.Itoa(port)))
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- http.Serve(ln, mux) }()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	select {
	case err := <-errc:
		return err
	case <-stop:
		return nil
	}
}

// newMux routes /echo to the echo socket and "/" to "ok".
func newMux(compress bool) *http.ServeMux {
	upgrader := websocket.Upgrader{EnableCompression: compress}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return // Upgrade has answered the client
		}
		defer c.Close()
		for {
			mt, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if err := c.WriteMessage(mt, msg); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/heap", func(w http.ResponseWriter, r *http.Request) {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Fprintf(w, "%d %d\n", m.HeapInuse, m.StackInuse)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok"))
	})
	return mux
}
