//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package websocket

import "golang.org/x/sys/unix"

// newSocket makes a non-blocking, close-on-exec stream socket for Dial.
// macOS and the BSDs have no SOCK_NONBLOCK or SOCK_CLOEXEC: both are set
// afterwards.
func newSocket(family int) (int, error) {
	fd, err := unix.Socket(family, unix.SOCK_STREAM, 0)
	if err != nil {
		return -1, err
	}
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return -1, err
	}
	return fd, nil
}
