//go:build linux

package tcpserver

import "golang.org/x/sys/unix"

// newSocket makes a non-blocking, close-on-exec stream socket.
func newSocket(family int) (int, error) {
	return unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
}

// accept takes one connection, non-blocking and close-on-exec.
func accept(fd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}
