package httpclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

// errConnectTimeout is the cause of a 599 when connecting took longer
// than the request's ConnectTimeout.
var errConnectTimeout = errors.New("httpclient: timeout while connecting")

// lookupNetIP resolves names; tests replace it.
var lookupNetIP = net.DefaultResolver.LookupNetIP

// dialer opens one connection on the loop: resolve (literal addresses and
// "localhost" directly, other names with net.DefaultResolver in the
// executor), then a non-blocking connect watched for WRITE, then SO_ERROR.
// done is called exactly once, on the loop, unless cancel is called first.
type dialer struct {
	loop     *ioloop.IOLoop
	host     string
	port     int
	done     func(*iostream.IOStream, error)
	fd       int
	finished bool
	stop     func() // cancels a TLS dial's goroutine
}

func startDial(loop *ioloop.IOLoop, host string, port int, done func(*iostream.IOStream, error)) *dialer {
	d := &dialer{loop: loop, host: host, port: port, done: done, fd: -1}
	if host == "localhost" {
		d.connect(netip.AddrFrom4([4]byte{127, 0, 0, 1}))
		return d
	}
	if a, err := netip.ParseAddr(host); err == nil {
		d.connect(a.Unmap())
		return d
	}
	f := loop.RunInExecutor(func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), DefaultConnectTimeout)
		defer cancel()
		return lookupNetIP(ctx, "ip", host)
	})
	f.AddDoneCallback(func(f *ioloop.Future) {
		if d.finished {
			return
		}
		v, err := f.Result()
		if err != nil {
			d.finish(nil, fmt.Errorf("httpclient: resolving %s: %w", host, err))
			return
		}
		addrs, _ := v.([]netip.Addr)
		if len(addrs) == 0 {
			d.finish(nil, fmt.Errorf("httpclient: resolving %s: no addresses", host))
			return
		}
		best := addrs[0]
		for _, a := range addrs { // prefer IPv4, as most test servers listen there
			if a.Unmap().Is4() {
				best = a
				break
			}
		}
		d.connect(best.Unmap())
	})
	return d
}

func (d *dialer) connect(a netip.Addr) {
	family := unix.AF_INET
	var sa unix.Sockaddr
	if a.Is4() {
		sa = &unix.SockaddrInet4{Port: d.port, Addr: a.As4()}
	} else {
		family = unix.AF_INET6
		sa = &unix.SockaddrInet6{Port: d.port, Addr: a.As16()}
	}
	fd, err := newSocket(family)
	if err != nil {
		d.finish(nil, fmt.Errorf("httpclient: socket: %w", err))
		return
	}
	err = unix.Connect(fd, sa)
	if err == nil {
		d.established(fd)
		return
	}
	if err != unix.EINPROGRESS {
		unix.Close(fd)
		d.finish(nil, fmt.Errorf("httpclient: connect %s: %w", netip.AddrPortFrom(a, uint16(d.port)), err))
		return
	}
	d.fd = fd
	if err := d.loop.AddHandler(fd, ioloop.HandlerFunc(func(fd int, _ ioloop.Event) {
		d.loop.RemoveHandler(fd)
		d.fd = -1
		soerr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if err == nil && soerr != 0 {
			err = unix.Errno(soerr)
		}
		if err != nil {
			unix.Close(fd)
			d.finish(nil, fmt.Errorf("httpclient: connect %s: %w", netip.AddrPortFrom(a, uint16(d.port)), err))
			return
		}
		d.established(fd)
	}), ioloop.WRITE); err != nil {
		unix.Close(fd)
		d.fd = -1
		d.finish(nil, fmt.Errorf("httpclient: watching connect: %w", err))
	}
}

func (d *dialer) established(fd int) {
	s := iostream.New(d.loop, fd)
	if s.Closed() {
		d.finish(nil, fmt.Errorf("httpclient: stream: %w", s.Error()))
		return
	}
	_ = s.SetNoDelay(true)
	d.finish(s, nil)
}

func (d *dialer) finish(s *iostream.IOStream, err error) {
	if d.finished {
		if s != nil {
			s.Close()
		}
		return
	}
	d.finished = true
	d.done(s, err)
}

// cancel abandons the dial: a socket still connecting is closed, a result
// arriving later is dropped.
func (d *dialer) cancel() {
	d.finished = true
	if d.stop != nil {
		d.stop()
	}
	if d.fd >= 0 {
		d.loop.RemoveHandler(d.fd)
		unix.Close(d.fd)
		d.fd = -1
	}
}
