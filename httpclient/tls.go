package httpclient

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

// startTLSDial opens an https connection. crypto/tls wants a blocking
// net.Conn, so the TCP connect and the handshake run on a goroutine, and
// afterwards two goroutines copy between the tls.Conn and one end of a
// socketpair; the loop gets the other end, non-blocking, as an ordinary
// IOStream. When either side closes, the copiers close everything: the loop
// closing its end ends the TLS connection, the server closing ends the
// loop's input with EOF. Cost: two goroutines and a socketpair per https
// connection (none for plain http).
func startTLSDial(loop *ioloop.IOLoop, host string, port int, cfg *tls.Config, done func(*iostream.IOStream, error)) *dialer {
	d := &dialer{loop: loop, host: host, port: port, done: done, fd: -1}
	ctx, cancel := context.WithCancel(context.Background())
	d.stop = cancel
	if cfg == nil {
		cfg = &tls.Config{}
	}
	cfg = cfg.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	go func() {
		defer cancel()
		addr := net.JoinHostPort(host, strconv.Itoa(port))
		var nd net.Dialer
		raw, err := nd.DialContext(ctx, "tcp", addr)
		if err != nil {
			loop.AddCallback(func() { d.finish(nil, fmt.Errorf("httpclient: connect %s: %w", addr, err)) })
			return
		}
		tc := tls.Client(raw, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			loop.AddCallback(func() { d.finish(nil, fmt.Errorf("httpclient: tls handshake with %s: %w", addr, err)) })
			return
		}
		fds, err := socketPair()
		if err != nil {
			tc.Close()
			loop.AddCallback(func() { d.finish(nil, fmt.Errorf("httpclient: socketpair: %w", err)) })
			return
		}
		f := os.NewFile(uintptr(fds[1]), "tls-pipe")
		pc, err := net.FileConn(f) // dups fds[1]
		f.Close()
		if err == nil {
			err = unix.SetNonblock(fds[0], true)
		}
		if err != nil {
			unix.Close(fds[0])
			tc.Close()
			loop.AddCallback(func() { d.finish(nil, fmt.Errorf("httpclient: tls pipe: %w", err)) })
			return
		}
		go func() { // loop → server
			_, _ = io.Copy(tc, pc)
			tc.Close()
			pc.Close()
		}()
		go func() { // server → loop
			_, _ = io.Copy(pc, tc)
			if uc, ok := pc.(*net.UnixConn); ok {
				_ = uc.CloseWrite() // EOF for the loop; the loop's Close ends the other copier
			} else {
				pc.Close()
			}
		}()
		loop.AddCallback(func() {
			if d.finished {
				unix.Close(fds[0])
				return
			}
			s := iostream.New(loop, fds[0])
			if s.Closed() {
				d.finish(nil, fmt.Errorf("httpclient: stream: %w", s.Error()))
				return
			}
			d.finish(s, nil)
		})
	}()
	return d
}
