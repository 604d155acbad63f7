//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package httpclient

import "golang.org/x/sys/unix"

// newSocket makes a non-blocking, close-on-exec stream socket. macOS has
// no SOCK_NONBLOCK or SOCK_CLOEXEC, so both are set afterwards.
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

// socketPair makes a connected pair of close-on-exec Unix stream sockets.
func socketPair() ([2]int, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		return fds, err
	}
	unix.CloseOnExec(fds[0])
	unix.CloseOnExec(fds[1])
	return fds, nil
}
