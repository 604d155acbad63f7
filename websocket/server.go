package websocket

import (
	"strings"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/iostream"
)

// Callbacks are the events of a socket accepted with Upgrade. Each may be
// nil. They run on the connection's loop; data is valid only during the
// call.
type Callbacks struct {
	// Open runs once the handshake is sent, before any message is read.
	Open func(c *Conn)
	// OnMessage gets each message; an error closes the socket 1011.
	OnMessage func(c *Conn, data []byte, binary bool) error
	OnPing    func(c *Conn, data []byte)
	OnPong    func(c *Conn, data []byte)
	// OnClose runs once, when the connection is gone.
	OnClose func(c *Conn)
}

// UpgradeOptions configures Upgrade's handshake.
type UpgradeOptions struct {
	Options
	// CheckOrigin accepts or refuses (403) a browser's Origin; nil means
	// SameHostOrigin, Tornado's default. It is not called without Origin.
	CheckOrigin func(origin string) bool
	// SelectSubprotocol picks one of the client's subprotocols, or "".
	SelectSubprotocol func(offered []string) string
}

type funcCallbacks struct {
	c  *Conn
	cb *Callbacks
}

func (f *funcCallbacks) onMessage(data []byte, binary bool) error {
	if f.cb.OnMessage != nil {
		return f.cb.OnMessage(f.c, data, binary)
	}
	return nil
}
func (f *funcCallbacks) onPing(data []byte) {
	if f.cb.OnPing != nil {
		f.cb.OnPing(f.c, data)
	}
}
func (f *funcCallbacks) onPong(data []byte) {
	if f.cb.OnPong != nil {
		f.cb.OnPong(f.c, data)
	}
}
func (f *funcCallbacks) onClose() {
	if f.cb.OnClose != nil {
		f.cb.OnClose(f.c)
	}
}

// Upgrade answers a WebSocket handshake on the loop server directly, for
// programs without the web layer: it checks the request as Tornado does
// (400, 403, 426 answered and finished on w, with the error returned),
// sends the 101, takes the connection from the server and returns the
// socket, already reading. Call it from ServeHTTP.
func Upgrade(w *httpserver.ResponseWriter, r *httpserver.Request, opts UpgradeOptions, cb Callbacks) (*Conn, error) {
	checkOrigin := opts.CheckOrigin
	if checkOrigin == nil {
		checkOrigin = func(o string) bool { return SameHostOrigin(o, r.Host) }
	}
	if herr := checkRequest(&r.Header, checkOrigin); herr != nil {
		w.SetStatus(herr.status, "")
		if herr.status == 426 {
			w.Header().Set("Sec-Websocket-Version", supportedVersions)
		}
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		_, _ = w.WriteString(herr.msg)
		_ = w.Finish()
		return nil, herr
	}
	fc := &funcCallbacks{cb: &cb}
	c, err := takeover(w.Detach, r, opts.Options, opts.SelectSubprotocol, fc)
	if err != nil {
		return nil, err
	}
	fc.c = c
	if cb.Open != nil {
		cb.Open(c)
	}
	c.start()
	return c, nil
}

// takeover detaches the connection with detach and sends the 101 (with the
// subprotocol and extensions chosen). The request must have passed
// checkRequest.
func takeover(detach func() (*iostream.IOStream, error), r *httpserver.Request, opts Options, selectSub func([]string) string, cb callbacks) (*Conn, error) {
	sub := ""
	if offered := splitList(r.Header.Get("Sec-Websocket-Protocol")); len(offered) > 0 && selectSub != nil {
		if s := selectSub(offered); s != "" {
			for _, o := range offered {
				if o == s {
					sub = strings.Clone(s)
				}
			}
		}
	}
	ext := ""
	if opts.Compression != nil {
		ext = serverDeflateResponse(r.Header.Get("Sec-Websocket-Extensions"))
	}
	resp := appendAccept(make([]byte, 0, 256), r.Header.Get("Sec-Websocket-Key"), sub, ext)
	s, err := detach()
	if err != nil {
		return nil, err
	}
	s.Write(resp, nil)
	_ = s.SetNoDelay(true)
	c := newConn(s, cb, opts, false)
	c.subprotocol = sub
	c.deflate = ext != ""
	return c, nil
}

// Wrap returns next unchanged.
//
// Deprecated: Handler routes take their connection over through
// web.RequestHandler.Detach on any server of the application (app.Listen);
// nothing needs wrapping.
func Wrap(next httpserver.Handler) httpserver.Handler { return next }

// detachedRequest copies what a Handler may read after the handshake: the
// server reuses r once the handshake's ServeHTTP returns.
func detachedRequest(r *httpserver.Request) *httpserver.Request {
	c := httpserver.NewRequest(strings.Clone(r.Method), strings.Clone(r.URI), nil)
	c.Version = strings.Clone(r.Version)
	c.RemoteIP = strings.Clone(r.RemoteIP)
	c.Protocol = strings.Clone(r.Protocol)
	c.Host = strings.Clone(r.Host)
	var h httputil.Headers
	for k, v := range r.Header.All() {
		h.Add(strings.Clone(k), strings.Clone(v))
	}
	c.Header = h
	return c
}
