package websocket

import (
	"fmt"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
)

// Handler is Tornado's WebSocketHandler for the web layer. Embed it (not a
// pointer) in a handler struct, define the methods you need, and route it
// like any handler of an application served with app.Listen:
//
//	type EchoSocket struct{ websocket.Handler }
//
//	func (h *EchoSocket) OnMessage(data []byte, binary bool) error {
//		if binary {
//			return h.WriteMessage(bytes.Clone(data))
//		}
//		return h.WriteMessage(string(data))
//	}
//
// The methods Handler looks for on the embedding struct:
//
//	Open(args ...string) error  // or Open() / Open(string) / Open(string, string); an error closes 1011
//	OnMessage(data []byte, binary bool) error // data valid during the call
//	OnClose()
//	OnPing(data []byte); OnPong(data []byte)
//	CheckOrigin(origin string) bool          // default: SameHostOrigin
//	SelectSubprotocol(offered []string) string
//
// The fields set on the route's prototype configure every socket. All of
// these run on the connection's loop; from another goroutine use
// RunOnLoop or Conn().Loop().AddCallback.
type Handler struct {
	web.RequestHandler

	// PingInterval, PingTimeout, MaxMessageSize, Compression and
	// CloseTimeout are Tornado's websocket_* settings; see Options.
	PingInterval   time.Duration
	PingTimeout    time.Duration
	MaxMessageSize int
	Compression    *CompressionOptions
	CloseTimeout   time.Duration

	conn *Conn
}

// Get performs the handshake: Tornado's WebSocketHandler.get.
func (h *Handler) Get(args ...string) error {
	self := h.Handler()
	checkOrigin := h.CheckOrigin
	if co, ok := self.(interface{ CheckOrigin(string) bool }); ok {
		checkOrigin = co.CheckOrigin
	}
	if herr := checkRequest(&h.Request.Header, checkOrigin); herr != nil {
		h.SetStatus(herr.status)
		if herr.status == 426 {
			_ = h.SetHeader("Sec-WebSocket-Version", supportedVersions)
		}
		_ = h.Write(herr.msg)
		return nil
	}
	var selectSub func([]string) string
	if ss, ok := self.(interface{ SelectSubprotocol([]string) string }); ok {
		selectSub = ss.SelectSubprotocol
	}
	opts := Options{PingInterval: h.PingInterval, PingTimeout: h.PingTimeout,
		MaxMessageSize: h.MaxMessageSize, Compression: h.Compression, CloseTimeout: h.CloseTimeout}
	req := detachedRequest(h.Request)
	c, err := takeover(h.Detach, h.Request, opts, selectSub, (*handlerCallbacks)(h))
	if err != nil {
		return fmt.Errorf("websocket: taking over the connection: %w", err)
	}
	h.conn = c
	// Finish the web layer's side now, while the server's Request is still
	// valid, so the access log reads "101 GET /path" with its time; the
	// bytes have gone out already, and what web writes goes nowhere.
	h.SetStatus(101)
	_ = h.Finish()
	h.Request = req
	if err := h.callOpen(self, args); err != nil {
		c.logger.Error("websocket: uncaught error in Open", "err", err)
		c.Close(CloseInternalError, "")
	}
	c.start()
	return nil
}

func (h *Handler) callOpen(self web.Handler, args []string) error {
	switch o := self.(type) {
	case interface{ Open(...string) error }:
		return o.Open(args...)
	case interface{ Open() error }:
		return o.Open()
	case interface{ Open(string) error }:
		if len(args) == 1 {
			return o.Open(args[0])
		}
	case interface{ Open(string, string) error }:
		if len(args) == 2 {
			return o.Open(args[0], args[1])
		}
	}
	return nil
}

// CheckOrigin is the default origin check, Tornado's check_origin: the
// Origin's host must be the request's Host. Define CheckOrigin on the
// embedding struct to change it (return true to allow any origin).
func (h *Handler) CheckOrigin(origin string) bool {
	return SameHostOrigin(origin, h.Request.Host)
}

// Conn returns the socket, nil before the handshake.
func (h *Handler) Conn() *Conn { return h.conn }

// WriteMessage sends a message: a string as text, []byte as binary,
// anything else as JSON (Tornado's write_message). ErrClosed once closing.
func (h *Handler) WriteMessage(v any) error {
	if h.conn == nil {
		return ErrClosed
	}
	return h.conn.WriteMessage(v)
}

// Close starts the closing handshake (Tornado's close(code, reason)).
func (h *Handler) Close(code int, reason string) {
	if h.conn != nil {
		h.conn.Close(code, reason)
	}
}

// Ping sends a ping frame.
func (h *Handler) Ping(data []byte) error {
	if h.conn == nil {
		return ErrClosed
	}
	return h.conn.Ping(data)
}

// CloseCode and CloseReason report the peer's close frame (0, "" if none).
func (h *Handler) CloseCode() int {
	if h.conn == nil {
		return 0
	}
	return h.conn.CloseCode()
}

// CloseReason returns the reason of the peer's close frame.
func (h *Handler) CloseReason() string {
	if h.conn == nil {
		return ""
	}
	return h.conn.CloseReason()
}

// SelectedSubprotocol returns the negotiated subprotocol, or "".
func (h *Handler) SelectedSubprotocol() string {
	if h.conn == nil {
		return ""
	}
	return h.conn.Subprotocol()
}

// handlerCallbacks dispatches a Conn's events to the embedding struct.
type handlerCallbacks Handler

func (hc *handlerCallbacks) onMessage(data []byte, binary bool) error {
	if m, ok := (*Handler)(hc).Handler().(interface {
		OnMessage([]byte, bool) error
	}); ok {
		return m.OnMessage(data, binary)
	}
	return nil
}

func (hc *handlerCallbacks) onPing(data []byte) {
	if m, ok := (*Handler)(hc).Handler().(interface{ OnPing([]byte) }); ok {
		m.OnPing(data)
	}
}

func (hc *handlerCallbacks) onPong(data []byte) {
	if m, ok := (*Handler)(hc).Handler().(interface{ OnPong([]byte) }); ok {
		m.OnPong(data)
	}
}

func (hc *handlerCallbacks) onClose() {
	if m, ok := (*Handler)(hc).Handler().(interface{ OnClose() }); ok {
		m.OnClose()
	}
}

// Listen serves app on address:port; it does not block.
//
// Deprecated: use app.Listen(port, address, opts...): Handler routes work
// on any server of the application.
func Listen(app *web.Application, port int, address string, opts ...httpserver.Options) (*httpserver.HTTPServer, error) {
	return app.Listen(port, address, opts...)
}
