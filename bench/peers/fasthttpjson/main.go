// Command fasthttpjson is the JSON peer of the tornago benchmarks: fasthttp
// with its defaults, encoding a small map with encoding/json on every request,
// the workload of TechEmpower's json test.
//
//	taskset -c 0 fasthttpjson -port 18085 -loops 1
//	curl http://127.0.0.1:18085/json   # {"message":"Hello, world"}
//
// Any path other than /json answers "Hello, world" as text, so the server can
// also be checked like the hello-world peers.
package main

import (
	"encoding/json"
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
		if string(ctx.Path()) != "/json" {
			ctx.SetContentType("text/plain; charset=utf-8")
			ctx.SetBody(hello)
			return
		}
		// A fresh map per request, as a handler building its answer would.
		body, err := json.Marshal(map[string]any{"message": "Hello, world"})
		if err != nil {
			ctx.Error(err.Error(), fasthttp.StatusInternalServerError)
			return
		}
		ctx.SetContentType("application/json; charset=UTF-8")
		ctx.SetBody(body)
	}
	addr := net.JoinHostPort(*address, strconv.Itoa(*port))
	log.Fatal(fasthttp.ListenAndServe(addr, handler))
}
