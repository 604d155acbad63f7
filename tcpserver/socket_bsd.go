//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package tcpserver

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

// accept takes one connection and makes it non-blocking and close-on-exec.
func accept(fd int) (int, unix.Sockaddr, error) {
	nfd, sa, err := unix.Accept(fd)
	if err != nil {
		return -1, nil, err
	}
	unix.CloseOnExec(nfd)
	if err := unix.SetNonblock(nfd, true); err != nil {
		unix.Close(nfd)
		return -1, nil, err
	}
	return nfd, sa, nil
}
