//go:build !linux

package iostream

import "golang.org/x/sys/unix"

// sysRead and sysWrite are unix.Read and unix.Write: on the BSDs and
// macOS system calls go through libc or the runtime's wrappers, and the
// raw-call shortcut of sysio_linux.go is not offered.
func sysRead(fd int32, b []byte) (int, error) { return unix.Read(int(fd), b) }

func sysWrite(fd int32, b []byte) (int, error) { return unix.Write(int(fd), b) }
