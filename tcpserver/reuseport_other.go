//go:build !freebsd

package tcpserver

import "golang.org/x/sys/unix"

// soReusePort is the option that lets each loop bind its own listener
// and has the kernel spread connections over them. Linux balances with
// SO_REUSEPORT; on macOS it only allows the binds, which is enough to
// develop on.
const soReusePort = unix.SO_REUSEPORT
