// Command tcpecho is Tornado's tcpecho demo server on tornago: every line
// a client sends comes back to it.
//
//	go run ./examples/tcpecho -port 9888
//	nc localhost 9888
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"syscall"

	"github.com/tornago/tornago/iostream"
	"github.com/tornago/tornago/tcpserver"
)

// maxLine bounds one line, so a client that never sends a newline cannot
// make the server buffer without limit.
const maxLine = 64 << 10

// echo reads a line and writes it back, until the client goes away.
func echo(s *iostream.IOStream, addr netip.AddrPort) {
	var next func(line []byte, err error)
	next = func(line []byte, err error) {
		if err != nil {
			slog.Debug("connection closed", "peer", addr, "err", err)
			return
		}
		s.Write(line, nil)
		s.ReadUntil([]byte("\n"), maxLine, next)
	}
	slog.Debug("connection accepted", "peer", addr)
	s.ReadUntil([]byte("\n"), maxLine, next)
}

// serve starts the echo server in the background.
func serve(port int, address string) (*tcpserver.TCPServer, error) {
	srv := tcpserver.New(tcpserver.StreamHandlerFunc(echo), tcpserver.Options{})
	if err := srv.Listen(port, address); err != nil {
		return nil, err
	}
	return srv, nil
}

func main() {
	port := flag.Int("port", 9888, "TCP port to listen on")
	address := flag.String("address", "", "address to bind (default: all interfaces)")
	flag.Parse()

	srv, err := serve(*port, *address)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tcpecho:", err)
		os.Exit(1)
	}
	slog.Info("tcpecho listening", "addr", srv.Addr())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	srv.Stop()
}
