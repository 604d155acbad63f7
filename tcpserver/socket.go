package tcpserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"

	"golang.org/x/sys/unix"
)

// bindTCP resolves address ("" means every interface) and returns one
// listening socket per resulting address, all on the same port: port 0
// picks a free port for the first and reuses it for the others, as
// Tornado's bind_sockets does. IPv6 sockets are IPV6_V6ONLY, so IPv4 gets
// its own socket.
func bindTCP(port int, address string, backlog int, reusePort bool) ([]int, []netip.Addr, error) {
	addrs, err := resolve(address)
	if err != nil {
		return nil, nil, err
	}
	var fds []int
	var used []netip.Addr
	for _, a := range addrs {
		fd, err := bindOne(a, port, backlog, reusePort)
		if err != nil {
			// Like Tornado: an unusable IPv6 address (no IPv6 on the
			// host, or ::1 without an interface) is skipped when another
			// address works.
			if a.Is6() && (errors.Is(err, unix.EADDRNOTAVAIL) || errors.Is(err, unix.EAFNOSUPPORT)) && len(addrs) > 1 {
				continue
			}
			closeAll(fds)
			return nil, nil, err
		}
		if port == 0 {
			port = localPort(fd)
		}
		fds = append(fds, fd)
		used = append(used, a)
	}
	if len(fds) == 0 {
		return nil, nil, fmt.Errorf("tcpserver: no usable address for %q", address)
	}
	return fds, used, nil
}

func resolve(address string) ([]netip.Addr, error) {
	if address == "" {
		return []netip.Addr{netip.IPv4Unspecified(), netip.IPv6Unspecified()}, nil
	}
	if a, err := netip.ParseAddr(address); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	ips, err := net.DefaultResolver.LookupNetIP(context.Background(), "ip", address)
	if err != nil {
		return nil, fmt.Errorf("tcpserver: resolving %q: %w", address, err)
	}
	var out []netip.Addr
	seen := map[netip.Addr]bool{}
	for _, ip := range ips {
		ip = ip.Unmap()
		if !seen[ip] {
			seen[ip] = true
			out = append(out, ip)
		}
	}
	// IPv4 first, so a port-0 bind picks its port where it is most
	// likely to be free on both families.
	for i, j := 0, 0; i < len(out); i++ {
		if out[i].Is4() {
			out[i], out[j] = out[j], out[i]
			j++
		}
	}
	return out, nil
}

// bindOne makes one listening socket on a:port.
func bindOne(a netip.Addr, port, backlog int, reusePort bool) (int, error) {
	family := unix.AF_INET
	var sa unix.Sockaddr
	if a.Is4() {
		sa = &unix.SockaddrInet4{Port: port, Addr: a.As4()}
	} else {
		family = unix.AF_INET6
		sa6 := &unix.SockaddrInet6{Port: port, Addr: a.As16()}
		if z := a.Zone(); z != "" {
			ifi, err := net.InterfaceByName(z)
			if err != nil {
				return -1, fmt.Errorf("tcpserver: zone %q: %w", z, err)
			}
			sa6.ZoneId = uint32(ifi.Index)
		}
		sa = sa6
	}
	fd, err := newSocket(family)
	if err != nil {
		return -1, fmt.Errorf("tcpserver: socket: %w", err)
	}
	if err := setup(fd, family, reusePort); err != nil {
		unix.Close(fd)
		return -1, err
	}
	if err := unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("tcpserver: bind %s: %w", netip.AddrPortFrom(a, uint16(port)), err)
	}
	if err := unix.Listen(fd, backlog); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("tcpserver: listen %s: %w", netip.AddrPortFrom(a, uint16(port)), err)
	}
	return fd, nil
}

func setup(fd, family int, reusePort bool) error {
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return fmt.Errorf("tcpserver: SO_REUSEADDR: %w", err)
	}
	if reusePort {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, soReusePort, 1); err != nil {
			return fmt.Errorf("tcpserver: SO_REUSEPORT: %w", err)
		}
	}
	if family == unix.AF_INET6 {
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 1); err != nil {
			return fmt.Errorf("tcpserver: IPV6_V6ONLY: %w", err)
		}
	}
	return nil
}

// bindUnix makes a listening Unix socket at path. A stale socket file is
// removed first; any other file there is an error. A path starting with
// '@' or NUL is in the abstract namespace (Linux) and touches no file.
func bindUnix(path string, mode os.FileMode, backlog int) (int, error) {
	abstract := len(path) > 0 && (path[0] == '@' || path[0] == 0)
	if !abstract {
		if fi, err := os.Lstat(path); err == nil {
			if fi.Mode()&os.ModeSocket == 0 {
				return -1, fmt.Errorf("tcpserver: %s exists and is not a socket", path)
			}
			if err := os.Remove(path); err != nil {
				return -1, fmt.Errorf("tcpserver: removing stale socket: %w", err)
			}
		}
	}
	fd, err := newSocket(unix.AF_UNIX)
	if err != nil {
		return -1, fmt.Errorf("tcpserver: socket: %w", err)
	}
	name := path
	if abstract && path[0] == 0 {
		name = "@" + path[1:]
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: name}); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("tcpserver: bind %s: %w", path, err)
	}
	if !abstract {
		if err := os.Chmod(path, mode); err != nil {
			unix.Close(fd)
			return -1, fmt.Errorf("tcpserver: chmod %s: %w", path, err)
		}
	}
	if err := unix.Listen(fd, backlog); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("tcpserver: listen %s: %w", path, err)
	}
	return fd, nil
}

func localPort(fd int) int {
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return 0
	}
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return sa.Port
	case *unix.SockaddrInet6:
		return sa.Port
	}
	return 0
}

// sockAddr converts a listener's local address for Addr.
func sockAddr(fd int) net.Addr {
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return nil
	}
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: net.IP(sa.Addr[:]).To4(), Port: sa.Port}
	case *unix.SockaddrInet6:
		ip := make(net.IP, 16)
		copy(ip, sa.Addr[:])
		return &net.TCPAddr{IP: ip, Port: sa.Port}
	case *unix.SockaddrUnix:
		return &net.UnixAddr{Name: sa.Name, Net: "unix"}
	}
	return nil
}

func closeAll(fds []int) {
	for _, fd := range fds {
		unix.Close(fd)
	}
}
