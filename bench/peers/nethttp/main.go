// Command nethttp is the net/http peer of the tornago benchmarks: a hello-world
// server on Go's standard library with its defaults.
//
//	taskset -c 0 nethttp -port 18081 -loops 1
//
// It answers every path with "Hello, world". -loops sets GOMAXPROCS (0 keeps
// the runtime's choice, which follows the CPU affinity set by taskset).
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"runtime"
	"strconv"
)

var hello = []byte("Hello, world")

func main() {
	port := flag.Int("port", 8888, "TCP port to listen on")
	address := flag.String("address", "127.0.0.1", "address to listen on")
	loops := flag.Int("loops", 0, "GOMAXPROCS (0: the runtime's default)")
	flag.Parse()
	if *loops > 0 {
		runtime.GOMAXPROCS(*loops)
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(hello)
	})
	addr := net.JoinHostPort(*address, strconv.Itoa(*port))
	log.Fatal(http.ListenAndServe(addr, handler))
}
