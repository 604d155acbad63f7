package httpclient

import (
	"crypto/tls"
	"errors"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/iostream"
)

func startTLSDial(loop *ioloop.IOLoop, host string, port int, cfg *tls.Config, done func(*iostream.IOStream, error)) *dialer {
	d := &dialer{loop: loop, host: host, port: port, done: done, fd: -1}
	loop.AddCallback(func() { d.finish(nil, errors.New("httpclient: https not supported yet")) })
	return d
}
