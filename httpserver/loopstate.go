package httpserver

import (
	"compress/gzip"
	"net/netip"
	"time"

	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/ioloop"
)

// maxFreeExchanges bounds the exchanges a loop keeps for reuse. Their
// number follows the requests in flight at once (one per connection with
// inline handlers), so 1024 covers busy loops while a burst of
// asynchronous requests does not pin memory forever.
const maxFreeExchanges = 1024

// ipCacheSize is the number of peer-address strings a loop remembers: a
// few kilobytes, enough for the proxies and NATs most clients come through.
const ipCacheSize = 64

// loopState is what the server keeps per loop: the output buffer of the
// batch being answered, the Date header, free exchanges and the open
// connections. Only the loop's goroutine touches it.
type loopState struct {
	srv  *HTTPServer
	loop *ioloop.IOLoop

	// out holds responses not yet handed to outConn's stream: the answers
	// of one pipelined batch go out in one write.
	out     []byte
	outConn *conn

	date      []byte // "Date: <IMF-fixdate>\r\n"
	dateTimer ioloop.Timer

	free  *exchange
	nfree int

	conns    []*conn
	draining bool

	// Peer addresses and their strings, direct-mapped (see remoteIP).
	ips [ipCacheSize]struct {
		addr netip.Addr
		s    *string
	}

	gz *gzip.Reader // reused for Decompress
}

func newLoopState(s *HTTPServer, l *ioloop.IOLoop) *loopState {
	lc := &loopState{srv: s, loop: l, out: make([]byte, 0, 16<<10)}
	lc.dateTimer.Init(lc.tickDate)
	return lc
}

// refreshDate formats the Date header for the loop's current second.
func (lc *loopState) refreshDate() {
	lc.date = append(lc.date[:0], "Date: "...)
	lc.date = httputil.AppendTimestamp(lc.date, lc.loop.Time())
	lc.date = append(lc.date, '\r', '\n')
}

// tickDate refreshes the Date header at each second boundary while the
// loop has connections; with none it lets the timer lapse.
func (lc *loopState) tickDate() {
	lc.refreshDate()
	if len(lc.conns) > 0 {
		lc.scheduleDate()
	}
}

func (lc *loopState) scheduleDate() {
	ns := lc.loop.Time().UnixNano() % int64(time.Second)
	lc.loop.ScheduleAfter(&lc.dateTimer, time.Duration(int64(time.Second)-ns))
}

// minShrinkConns is the capacity below which the connection list is
// never shrunk: 256 pointers are 2 KiB, not worth copying for.
const minShrinkConns = 256

// addConn registers a new connection (and starts the Date clock).
func (lc *loopState) addConn(c *conn) {
	if !lc.dateTimer.Pending() {
		lc.refreshDate()
		lc.scheduleDate()
	}
	c.idx = int32(len(lc.conns))
	lc.conns = append(lc.conns, c)
}

// removeConn forgets a closed connection.
func (lc *loopState) removeConn(c *conn) {
	i := int(c.idx)
	if i < 0 || i >= len(lc.conns) || lc.conns[i] != c {
		return
	}
	last := len(lc.conns) - 1
	lc.conns[i] = lc.conns[last]
	lc.conns[i].idx = int32(i)
	lc.conns[last] = nil
	lc.conns = lc.conns[:last]
	if last < cap(lc.conns)/4 && cap(lc.conns) > minShrinkConns {
		// A burst of connections is over: give most of the array back
		// rather than keep its peak (80 KiB at 10,000 connections).
		lc.conns = append(make([]*conn, 0, cap(lc.conns)/2), lc.conns...)
	}
	c.idx = -1
}

// remoteIP returns the string form of a peer address, shared through a
// small cache by the connections that come from one address (a proxy, a
// NAT, a load generator): a connection keeps a pointer, not a string.
func (lc *loopState) remoteIP(a netip.Addr) *string {
	if !a.IsValid() {
		return &unixPeerIP
	}
	b := a.As16()
	h := uint32(2166136261)
	for _, x := range b[8:] {
		h = (h ^ uint32(x)) * 16777619
	}
	e := &lc.ips[h%uint32(len(lc.ips))]
	if e.s == nil || e.addr != a {
		s := a.String()
		e.addr, e.s = a, &s
	}
	return e.s
}

// unixPeerIP is the remote IP of a Unix-socket peer, as Tornado reports it.
var unixPeerIP = "0.0.0.0"

// acquire returns an exchange for a new request.
func (lc *loopState) acquire() *exchange {
	ex := lc.free
	if ex == nil {
		ex = &exchange{}
		ex.w.ex = ex
		ex.release = func() { lc.release(ex) }
		return ex
	}
	lc.free, ex.next = ex.next, nil
	lc.nfree--
	return ex
}

// release takes back an exchange whose response is finished.
func (lc *loopState) release(ex *exchange) {
	ex.reset()
	if lc.nfree >= maxFreeExchanges {
		return
	}
	ex.next = lc.free
	lc.free = ex
	lc.nfree++
}

// take makes c the owner of the output buffer, handing what another
// connection left in it to that connection's stream first.
func (lc *loopState) take(c *conn) {
	if lc.outConn != c {
		if lc.outConn != nil {
			lc.outConn.flush()
		}
		lc.outConn = c
	}
}

// drain starts a graceful shutdown on this loop: idle connections close,
// the others close after their current response.
func (lc *loopState) drain() {
	lc.draining = true
	for i := len(lc.conns) - 1; i >= 0; i-- {
		if c := lc.conns[i]; c.state == stIdle {
			c.s.Close()
		}
	}
}
