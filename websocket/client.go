package websocket

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

// DefaultConnectTimeout bounds Dial's connect and handshake together
// (Tornado's connect_timeout, 20 s).
const DefaultConnectTimeout = 20 * time.Second

// maxResponseHead bounds the handshake response head (as the server's
// request heads: 64 KiB).
const maxResponseHead = 64 << 10

// DialOptions configures Dial, Tornado's websocket_connect arguments.
type DialOptions struct {
	Options
	// Header holds extra request fields (Origin, Cookie, ...).
	Header httputil.Headers
	// Subprotocols are offered in order.
	Subprotocols []string
	// ConnectTimeout bounds connecting and the handshakes, TLS and
	// WebSocket (0: 20 s).
	ConnectTimeout time.Duration
	// TLSConfig configures wss:// connections (nil: the system's roots).
	// Its ServerName defaults to the URL's host; ALPN offers http/1.1.
	TLSConfig *tls.Config
	// OnMessage receives messages as they arrive (data valid during the
	// call). Without it, messages queue for ReadMessage.
	OnMessage func(c *Conn, data []byte, binary bool) error
	// OnClose runs once when the connection is gone.
	OnClose func(c *Conn)
}

// A Message is a message returned by ReadMessage.
type Message struct {
	Data   []byte
	Binary bool
}

// clientCallbacks queues messages for ReadMessage unless OnMessage is set.
type clientCallbacks struct {
	c       *Conn
	opts    *DialOptions
	queue   []*Message
	waiters []*ioloop.Future
}

func (cc *clientCallbacks) onMessage(data []byte, binary bool) error {
	if cc.opts.OnMessage != nil {
		return cc.opts.OnMessage(cc.c, data, binary)
	}
	m := &Message{Data: bytes.Clone(data), Binary: binary}
	if len(cc.waiters) > 0 {
		f := cc.waiters[0]
		cc.waiters = cc.waiters[1:]
		f.SetResult(m)
		return nil
	}
	cc.queue = append(cc.queue, m)
	return nil
}
func (cc *clientCallbacks) onPing([]byte) {}
func (cc *clientCallbacks) onPong([]byte) {}
func (cc *clientCallbacks) onClose() {
	for _, f := range cc.waiters {
		f.SetResult((*Message)(nil))
	}
	cc.waiters = nil
	if cc.opts.OnClose != nil {
		cc.opts.OnClose(cc.c)
	}
}

// ReadMessage returns a Future resolving to the next *Message, or a nil
// *Message once the connection is closed (Tornado's read_message). Only
// for client connections dialled without OnMessage; call it on the loop.
func (c *Conn) ReadMessage() *ioloop.Future {
	f := ioloop.NewFuture()
	cc, ok := c.cb.(*clientCallbacks)
	if !ok {
		f.SetError(errors.New("websocket: ReadMessage is for Dial's connections"))
		return f
	}
	if len(cc.queue) > 0 {
		m := cc.queue[0]
		cc.queue[0] = nil
		cc.queue = cc.queue[1:]
		f.SetResult(m)
		return f
	}
	if c.closed {
		f.SetResult((*Message)(nil))
		return f
	}
	cc.waiters = append(cc.waiters, f)
	return f
}

// Dial opens a client connection to a ws:// or wss:// URL on loop,
// Tornado's websocket_connect: a non-blocking connect and handshake, no
// goroutine per connection (for wss, the TLS handshake alone runs on a
// short-lived goroutine; see iostream.WithTLSClient).
// The Future resolves on the loop to the *Conn, or an error. Call it on
// the loop goroutine (or through loop.AddCallback).
func Dial(loop *ioloop.IOLoop, rawURL string, opts DialOptions) *ioloop.Future {
	f := ioloop.NewFuture()
	u, err := url.Parse(rawURL)
	if err != nil {
		f.SetError(fmt.Errorf("websocket: %w", err))
		return f
	}
	secure := false
	port := 80
	switch u.Scheme {
	case "ws", "http":
	case "wss", "https":
		secure, port = true, 443
	default:
		f.SetError(fmt.Errorf("websocket: unsupported scheme %q (want ws or wss)", u.Scheme))
		return f
	}
	host := u.Hostname()
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			f.SetError(fmt.Errorf("websocket: bad port %q", p))
			return f
		}
	}
	d := &dial{loop: loop, u: u, opts: opts, f: f, fd: -1}
	if secure {
		d.tls = clientTLSConfig(opts.TLSConfig, host)
	}
	timeout := opts.ConnectTimeout
	if timeout <= 0 {
		timeout = DefaultConnectTimeout
	}
	d.timeout = loop.CallLater(timeout, func() { d.fail(errors.New("websocket: timeout while connecting")) })
	if host == "localhost" {
		d.connect(netip.AddrFrom4([4]byte{127, 0, 0, 1}), port)
		return f
	}
	if a, err := netip.ParseAddr(host); err == nil {
		d.connect(a.Unmap(), port)
		return f
	}
	rf := loop.RunInExecutor(func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return net.DefaultResolver.LookupNetIP(ctx, "ip4", host)
	})
	rf.AddDoneCallback(func(rf *ioloop.Future) {
		v, err := rf.Result()
		addrs, _ := v.([]netip.Addr)
		if err != nil || len(addrs) == 0 {
			d.fail(fmt.Errorf("websocket: resolving %s: %v", host, err))
			return
		}
		d.connect(addrs[0].Unmap(), port)
	})
	return f
}

// dial is one Dial in progress.
type dial struct {
	loop    *ioloop.IOLoop
	u       *url.URL
	opts    DialOptions
	f       *ioloop.Future
	fd      int
	s       *iostream.IOStream
	key     string
	timeout *ioloop.Timeout
	done    bool
	tls     *tls.Config // wss only
}

// clientTLSConfig is the copy of cfg a wss connection uses: it names the
// server and offers HTTP/1.1 by ALPN (the upgrade is an HTTP/1.1 request).
func clientTLSConfig(cfg *tls.Config, host string) *tls.Config {
	if cfg == nil {
		cfg = &tls.Config{}
	}
	c := cfg.Clone()
	if c.ServerName == "" {
		c.ServerName = host
	}
	c.NextProtos = []string{"http/1.1"}
	return c
}

func (d *dial) fail(err error) {
	if d.done {
		return
	}
	d.done = true
	d.loop.RemoveTimeout(d.timeout)
	if d.fd >= 0 {
		d.loop.RemoveHandler(d.fd)
		unix.Close(d.fd)
		d.fd = -1
	}
	if d.s != nil {
		d.s.Close()
	}
	d.f.SetError(err)
}

func (d *dial) connect(a netip.Addr, port int) {
	if d.done {
		return
	}
	family := unix.AF_INET
	var sa unix.Sockaddr = &unix.SockaddrInet4{Port: port, Addr: a.As4()}
	if !a.Is4() {
		family = unix.AF_INET6
		sa = &unix.SockaddrInet6{Port: port, Addr: a.As16()}
	}
	fd, err := newSocket(family)
	if err != nil {
		d.fail(fmt.Errorf("websocket: socket: %w", err))
		return
	}
	d.fd = fd
	err = unix.Connect(fd, sa)
	if err == nil {
		d.established()
		return
	}
	if err != unix.EINPROGRESS {
		d.fail(fmt.Errorf("websocket: connect: %w", err))
		return
	}
	err = d.loop.AddHandler(fd, ioloop.HandlerFunc(func(fd int, _ ioloop.Event) {
		d.loop.RemoveHandler(fd)
		soerr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if err == nil && soerr != 0 {
			err = unix.Errno(soerr)
		}
		if err != nil {
			d.fail(fmt.Errorf("websocket: connect: %w", err))
			return
		}
		d.established()
	}), ioloop.WRITE)
	if err != nil {
		d.fail(fmt.Errorf("websocket: watching connect: %w", err))
	}
}

func (d *dial) established() {
	fd := d.fd
	d.fd = -1
	if d.tls != nil {
		// The dial's own timeout bounds the TLS handshake too.
		d.s = iostream.New(d.loop, fd, iostream.WithTLSClient(d.tls, -1))
	} else {
		d.s = iostream.New(d.loop, fd)
	}
	if d.s.Closed() {
		d.fail(fmt.Errorf("websocket: stream: %w", d.s.Error()))
		return
	}
	_ = d.s.SetNoDelay(true)
	var k [16]byte
	_, _ = rand.Read(k[:])
	d.key = base64.StdEncoding.EncodeToString(k[:])
	d.s.Write(d.request(), nil)
	d.s.ReadUntil([]byte("\r\n\r\n"), maxResponseHead, d.onHead)
}

func (d *dial) request() []byte {
	path := d.u.RequestURI()
	var h httputil.Headers
	h.Set("Host", d.u.Host)
	h.Set("Upgrade", "websocket")
	h.Set("Connection", "Upgrade")
	h.Set("Sec-Websocket-Key", d.key)
	h.Set("Sec-Websocket-Version", "13")
	if len(d.opts.Subprotocols) > 0 {
		h.Set("Sec-Websocket-Protocol", strings.Join(d.opts.Subprotocols, ", "))
	}
	if d.opts.Compression != nil {
		h.Set("Sec-Websocket-Extensions", clientDeflateOffer)
	}
	for k, v := range d.opts.Header.All() {
		h.Add(k, v)
	}
	b := []byte("GET " + path + " HTTP/1.1\r\n")
	b = h.AppendTo(b)
	return append(b, "\r\n"...)
}

func (d *dial) onHead(data []byte, err error) {
	if d.done {
		return
	}
	if err != nil {
		d.fail(fmt.Errorf("websocket: reading handshake: %w", err))
		return
	}
	line, rest, _ := strings.Cut(string(data), "\r\n")
	parts := strings.SplitN(line, " ", 3)
	if len(parts) < 2 || !strings.HasPrefix(parts[0], "HTTP/1.") {
		d.fail(fmt.Errorf("websocket: malformed handshake response %q", line))
		return
	}
	if parts[1] != "101" {
		d.fail(&HandshakeError{Status: atoiOr(parts[1]), Line: line})
		return
	}
	h, err := httputil.ParseHeaders(rest)
	if err != nil {
		d.fail(fmt.Errorf("websocket: handshake response: %w", err))
		return
	}
	if !strings.EqualFold(h.Get("Upgrade"), "websocket") || !hasToken(h.Get("Connection"), "upgrade") {
		d.fail(errors.New("websocket: handshake response lacks Upgrade: websocket"))
		return
	}
	if h.Get("Sec-Websocket-Accept") != acceptKey(d.key) {
		d.fail(errors.New("websocket: wrong Sec-WebSocket-Accept"))
		return
	}
	sub := h.Get("Sec-Websocket-Protocol")
	if sub != "" {
		ok := false
		for _, s := range d.opts.Subprotocols {
			ok = ok || s == sub
		}
		if !ok {
			d.fail(fmt.Errorf("websocket: server chose unoffered subprotocol %q", sub))
			return
		}
	}
	deflate := false
	if ext := h.Get("Sec-Websocket-Extensions"); ext != "" {
		if d.opts.Compression == nil {
			d.fail(fmt.Errorf("websocket: server sent unrequested extensions %q", ext))
			return
		}
		if deflate, err = clientDeflateAccepted(ext); err != nil {
			d.fail(err)
			return
		}
	}
	d.done = true
	d.loop.RemoveTimeout(d.timeout)
	cc := &clientCallbacks{opts: &d.opts}
	c := newConn(d.s, cc, d.opts.Options, true)
	cc.c = c
	c.subprotocol = strings.Clone(sub)
	c.deflate = deflate
	d.f.SetResult(c)
	c.start()
}

// A HandshakeError is a server's refusal of Dial's upgrade.
type HandshakeError struct {
	Status int
	Line   string
}

func (e *HandshakeError) Error() string { return "websocket: handshake refused: " + e.Line }

func atoiOr(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
