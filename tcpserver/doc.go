// Package tcpserver is Tornado's TCPServer on tornago's IOLoop: it binds
// and listens (IPv4, IPv6, Unix sockets), accepts connections, and hands
// each one, wrapped in an iostream.IOStream, to a StreamHandler on the
// loop that owns it.
//
// With Bind and Start(n) the server runs n loops, each on its own
// goroutine with its own SO_REUSEPORT listener, so the kernel spreads
// connections across them; a connection stays on one loop for its life.
//
//	srv := tcpserver.New(handler, tcpserver.Options{})
//	if err := srv.Listen(8888, ""); err != nil { ... } // one loop, in the background
//	defer srv.Stop()
package tcpserver
