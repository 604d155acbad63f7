// Command fasthttp is the fasthttp peer of the tornago benchmarks: a
// hello-world server on github.com/valyala/fasthttp with its defaults.
//
//	taskset -c 0 fasthttp -port 18082 -loops 1
//
// It answers every path with "Hello, world". -loops sets GOMAXPROCS (0 keeps
// the runtime's choice, which follows the CPU affinity set by taskset).
package main

import (
	"flag"
	"log"
	"net"
	"runtime"
	"strconv"

	"github.com/valyala/fasthttp"
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
	handler := func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("text/plain; charset=utf-8")
		ctx.SetBody(hello)
	}
	addr := net.JoinHostPort(*address, strconv.Itoa(*port))
	log.Fatal(fasthttp.ListenAndServe(addr, handler))
}
