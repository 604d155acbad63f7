package tcpserver_test

import (
	"bufio"
	"fmt"
	"net"
	"net/netip"

	"github.com/tornago/tornago/iostream"
	"github.com/tornago/tornago/tcpserver"
)

// The line-echo server of Tornado's tcpecho demo.
func Example() {
	echo := func(s *iostream.IOStream, _ netip.AddrPort) {
		var next func(line []byte, err error)
		next = func(line []byte, err error) {
			if err != nil {
				return // closed
			}
			s.Write(line, nil)
			s.ReadUntil([]byte("\n"), 1024, next)
		}
		s.ReadUntil([]byte("\n"), 1024, next)
	}
	srv := tcpserver.New(tcpserver.StreamHandlerFunc(echo), tcpserver.Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Stop()

	conn, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	for _, line := range []string{"hello\n", "tornado\n"} {
		fmt.Fprint(conn, line)
		echoed, _ := r.ReadString('\n')
		fmt.Print(echoed)
	}
	// Output:
	// hello
	// tornado
}
