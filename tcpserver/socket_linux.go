//go:build linux

package tcpserver

import (
	"encoding/binary"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// newSocket makes a non-blocking, close-on-exec stream socket.
func newSocket(family int) (int, error) {
	return unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
}

// peerBuf is where accept4 writes the peer's address: one per listener,
// reused for every connection. unix.Accept4 allocates a RawSockaddrAny and
// a Sockaddr on each call, about 150 bytes of garbage per connection and
// the largest allocation of a 10,000-connection burst (hardening/run.sh),
// which the GC then sizes its metadata by.
type peerBuf struct {
	rsa unix.RawSockaddrAny
	n   uint32 // socklen_t
}

// accept takes one connection, non-blocking and close-on-exec, and returns
// the peer's address (the zero AddrPort for a Unix socket). It is a raw
// system call, as iostream's reads and writes are (see iostream's
// sysio_linux.go): the listening socket is non-blocking, so accept4 never
// blocks.
func accept(fd int, b *peerBuf) (int, netip.AddrPort, error) {
	b.n = unix.SizeofSockaddrAny
	nfd, _, errno := unix.RawSyscall6(unix.SYS_ACCEPT4, uintptr(fd),
		uintptr(unsafe.Pointer(&b.rsa)), uintptr(unsafe.Pointer(&b.n)),
		unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0, 0)
	if errno != 0 {
		return -1, netip.AddrPort{}, errno
	}
	return int(nfd), b.addr(), nil
}

// addr decodes the address accept4 wrote. Ports are in network order.
func (b *peerBuf) addr() netip.AddrPort {
	switch b.rsa.Addr.Family {
	case unix.AF_INET:
		if b.n < unix.SizeofSockaddrInet4 {
			break
		}
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(&b.rsa))
		port := binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(&sa.Port))[:])
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), port)
	case unix.AF_INET6:
		if b.n < unix.SizeofSockaddrInet6 {
			break
		}
		sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(&b.rsa))
		port := binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(&sa.Port))[:])
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr).Unmap(), port)
	}
	return netip.AddrPort{}
}
