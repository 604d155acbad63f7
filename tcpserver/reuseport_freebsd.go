//go:build freebsd

package tcpserver

import "golang.org/x/sys/unix"

// soReusePort is the option that lets each loop bind its own listener
// and has the kernel spread connections over them: on FreeBSD that is
// SO_REUSEPORT_LB (plain SO_REUSEPORT does not balance).
const soReusePort = unix.SO_REUSEPORT_LB
