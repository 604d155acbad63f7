//go:build linux

package httpclient

import "golang.org/x/sys/unix"

// newSocket makes a non-blocking, close-on-exec stream socket.
func newSocket(family int) (int, error) {
	return unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
}

// socketPair makes a connected pair of close-on-exec Unix stream sockets.
func socketPair() ([2]int, error) {
	return unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
}
