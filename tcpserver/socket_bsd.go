//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package tcpserver

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

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

// peerBuf is empty here: unix.Accept allocates the address itself. The
// Linux build reuses one buffer per listener instead.
type peerBuf struct{}

// accept takes one connection, makes it non-blocking and close-on-exec,
// and returns the peer's address (the zero AddrPort for a Unix socket).
func accept(fd int, _ *peerBuf) (int, netip.AddrPort, error) {
	nfd, sa, err := unix.Accept(fd)
	if err != nil {
		return -1, netip.AddrPort{}, err
	}
	unix.CloseOnExec(nfd)
	if err := unix.SetNonblock(nfd, true); err != nil {
		unix.Close(nfd)
		return -1, netip.AddrPort{}, err
	}
	return nfd, peerAddr(sa), nil
}

// peerAddr converts an accepted peer's address; Unix peers get the zero
// AddrPort.
func peerAddr(sa unix.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr).Unmap(), uint16(sa.Port))
	}
	return netip.AddrPort{}
}
