package httpclient

import (
	"errors"
	"time"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

const (
	// DefaultMaxClients is Tornado's max_clients: 10 fetches at a time per
	// client, the rest wait in a queue.
	DefaultMaxClients = 10
	// DefaultMaxBodySize bounds a response body held in memory: 100 MiB,
	// Tornado's max_buffer_size.
	DefaultMaxBodySize = 100 << 20
	// DefaultMaxHeaderSize bounds the response status line and headers:
	// 64 KiB, as the server's limit.
	DefaultMaxHeaderSize = 64 << 10
	// DefaultIdleTimeout is how long a kept-alive connection waits for its
	// next request before it is closed. 60 s stays below the 75 s idle
	// timeout of tornago's own server (and nginx's default), so the client
	// normally closes first instead of racing a server close.
	DefaultIdleTimeout = 60 * time.Second
	// maxIdlePerHost bounds the idle connections kept per host:port.
	// MaxClients bounds them overall; this keeps one busy burst to one host
	// from pinning hundreds of descriptors.
	maxIdlePerHost = 32
)

// ErrClosed is the cause of the 599 given to fetches queued when the client
// is closed.
var ErrClosed = errors.New("httpclient: client closed")

// Options configures a Client. Zero values mean the defaults above.
type Options struct {
	MaxClients    int
	MaxBodySize   int
	MaxHeaderSize int
	IdleTimeout   time.Duration
}

// Client is Tornado's AsyncHTTPClient bound to one loop. Its methods must be
// called on that loop's goroutine.
type Client struct {
	loop   *ioloop.IOLoop
	opts   Options
	active int
	queue  []*fetch
	idle   map[string][]*idleConn
	closed bool
	// connects counts the connections opened, for tests.
	connects int
}

type idleConn struct {
	s       *iostream.IOStream
	timeout *ioloop.Timeout
}

// New returns a Client for loop.
func New(loop *ioloop.IOLoop, opts Options) *Client {
	if opts.MaxClients <= 0 {
		opts.MaxClients = DefaultMaxClients
	}
	if opts.MaxBodySize <= 0 {
		opts.MaxBodySize = DefaultMaxBodySize
	}
	if opts.MaxHeaderSize <= 0 {
		opts.MaxHeaderSize = DefaultMaxHeaderSize
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	return &Client{loop: loop, opts: opts, idle: map[string][]*idleConn{}}
}

// Loop returns the client's loop.
func (c *Client) Loop() *ioloop.IOLoop { return c.loop }

// Fetch starts req and calls cb on the loop with the response, which always
// comes (see the package comment for errors). Beyond MaxClients fetches in
// flight, req waits in a FIFO queue; its RequestTimeout runs from now.
func (c *Client) Fetch(req *Request, cb func(*Response)) {
	f := &fetch{c: c, orig: req, cb: cb, start: time.Now()}
	if c.closed {
		f.fail(599, "client closed", ErrClosed)
		return
	}
	f.timeout = c.loop.CallLater(req.requestTimeout(), f.onTimeout)
	if c.active >= c.opts.MaxClients {
		f.queued = true
		c.queue = append(c.queue, f)
		return
	}
	c.active++
	f.run(req)
}

// FetchFuture is Fetch returning a Future that resolves (on the loop) with
// the *Response; it never resolves with an error, the response carries it.
func (c *Client) FetchFuture(req *Request) *ioloop.Future {
	fut := ioloop.NewFuture()
	c.Fetch(req, func(r *Response) { fut.SetResult(r) })
	return fut
}

// Close closes the idle connections and fails queued fetches with 599.
// Fetches in flight finish normally; their connections are not kept.
func (c *Client) Close() {
	c.closed = true
	for k, list := range c.idle {
		for _, ic := range list {
			c.loop.RemoveTimeout(ic.timeout)
			ic.s.Close()
		}
		delete(c.idle, k)
	}
	q := c.queue
	c.queue = nil
	for _, f := range q {
		f.queued = false
		f.fail(599, "client closed", ErrClosed)
	}
}

// release frees a slot and starts the next queued fetch.
func (c *Client) release() {
	c.active--
	for len(c.queue) > 0 && c.active < c.opts.MaxClients {
		f := c.queue[0]
		c.queue[0] = nil
		c.queue = c.queue[1:]
		f.queued = false
		c.active++
		f.run(f.orig)
	}
}

func (c *Client) dequeue(f *fetch) {
	for i, g := range c.queue {
		if g == f {
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			return
		}
	}
}

// getIdle takes a live idle connection to key, or nil.
func (c *Client) getIdle(key string) *iostream.IOStream {
	list := c.idle[key]
	for len(list) > 0 {
		ic := list[len(list)-1]
		list = list[:len(list)-1]
		c.loop.RemoveTimeout(ic.timeout)
		if ic.s.Closed() {
			continue
		}
		c.idle[key] = list
		ic.s.SetDataHandler(nil)
		ic.s.SetCloseCallback(nil)
		return ic.s
	}
	delete(c.idle, key)
	return nil
}

// putIdle keeps s for reuse. While idle, any input or a close from the peer
// closes it and drops it from the pool.
func (c *Client) putIdle(key string, s *iostream.IOStream) {
	if c.closed || len(c.idle[key]) >= maxIdlePerHost || s.Closed() {
		s.Close()
		return
	}
	ic := &idleConn{s: s}
	remove := func() {
		list := c.idle[key]
		for i, x := range list {
			if x == ic {
				c.idle[key] = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(c.idle[key]) == 0 {
			delete(c.idle, key)
		}
		c.loop.RemoveTimeout(ic.timeout)
		s.Close()
	}
	ic.timeout = c.loop.CallLater(c.opts.IdleTimeout, remove)
	s.SetCloseCallback(remove)
	s.SetDataHandler(func(data []byte) int {
		s.Close() // a response nobody asked for: the connection is unusable
		return len(data)
	})
	c.idle[key] = append(c.idle[key], ic)
}
