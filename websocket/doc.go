// Package websocket is Tornado's websocket module on tornago's loops: the
// WebSocket protocol (RFC 6455) with permessage-deflate (RFC 7692), for
// servers (Handler in a web Application, or Upgrade on the bare HTTP
// server) and clients (Dial), with no goroutine per socket.
//
// A server socket is a web handler that embeds Handler and defines the
// events it wants, routed like any handler of an application served with
// app.Listen (the handler takes its connection over with
// web.RequestHandler.Detach):
//
//	type EchoSocket struct{ websocket.Handler }
//
//	func (h *EchoSocket) Open() error { return nil }
//
//	func (h *EchoSocket) OnMessage(data []byte, binary bool) error {
//		return h.WriteMessage("You said: " + string(data))
//	}
//
//	func (h *EchoSocket) OnClose() {}
//
//	app, _ := web.NewApplication([]web.Rule{
//		{Pattern: "/echo", Handler: &EchoSocket{Handler: websocket.Handler{
//			PingInterval: 30 * time.Second,
//			Compression:  &websocket.CompressionOptions{},
//		}}},
//	}, web.Settings{})
//	srv, err := app.Listen(8888, "")
//
// A client dials on a loop and gets a Future of the *Conn:
//
//	f := websocket.Dial(loop, "ws://127.0.0.1:8888/echo", websocket.DialOptions{})
//
// # Protocol
//
// The handshake follows Tornado: an Upgrade other than websocket or a
// Connection without upgrade is answered 400, an Origin refused by
// CheckOrigin (by default: the Origin's host must be the Host header) 403,
// a Sec-WebSocket-Version other than 7, 8 or 13 is answered 426 with
// "Sec-WebSocket-Version: 7, 8, 13". The server answers 101, takes the
// connection from the HTTP server (ResponseWriter.Detach) and reads frames
// in the stream's raw mode, on the loop.
//
// Frames from a client must be masked, from a server not (1002 otherwise);
// reserved bits, unknown opcodes, fragmented or long control frames and
// misplaced continuations are 1002; text that is not UTF-8 is 1007; a
// message over MaxMessageSize (10 MiB by default, after decompression too)
// is 1009, refused as soon as a frame header announces it. Control frames
// may come between the fragments of a message; pings are answered with
// pongs. Close sends a close frame and drops the connection when the peer
// answers or after CloseTimeout (5 s); a peer's close is echoed. With
// PingInterval, a ping not answered within PingTimeout closes the socket
// with reason "ping timed out".
//
// permessage-deflate is negotiated when Compression is set, always with
// no_context_takeover both ways: every message is compressed alone with a
// flate writer taken from a pool for that message, so an idle socket holds
// no compression state.
//
// # Resources
//
// An idle socket is a Conn (about 200 bytes), its handler struct and the
// stream: no goroutine and no buffer. Partial frames wait in the stream's
// buffer; fragments of a message are gathered in a slice freed when the
// message is complete. The frames a socket writes while it handles one
// read (echoes, pongs) go out in one write when the read is done.
package websocket
