//go:build linux

package websocket

import "golang.org/x/sys/unix"

// newSocket makes a non-blocking, close-on-exec stream socket for Dial.
func newSocket(family int) (int, error) {
	return unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
}
