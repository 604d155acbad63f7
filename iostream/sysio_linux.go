package iostream

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// sysRead and sysWrite are read(2) and write(2) on the stream's
// non-blocking socket as raw system calls. unix.Read and unix.Write go
// through the runtime's entersyscall and exitsyscall, which exist for calls
// that may block; these never do. The bookkeeping costs more than a loop
// can spare: while the loop's goroutine is marked in a system call, the
// runtime's monitor (sysmon) stays at its shortest sleep, 20 µs, and takes
// the P away from a call that spans two of its ticks, handing it to
// another thread (futex wake-ups and context switches on the loop's own
// CPU). With raw calls the loop is only ever in a system call when it
// blocks in epoll_wait with nothing to do.
//
// A descriptor left in blocking mode would stall the whole P here rather
// than one thread: New documents that fd must be non-blocking, and the
// sockets of tcpserver, httpclient and websocket.Dial are created so.
func sysRead(fd int32, b []byte) (int, error) { return rawIO(unix.SYS_READ, fd, b) }

func sysWrite(fd int32, b []byte) (int, error) { return rawIO(unix.SYS_WRITE, fd, b) }

// rawIO makes the read or write system call trap on fd and b.
func rawIO(trap uintptr, fd int32, b []byte) (int, error) {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	n, _, errno := unix.RawSyscall(trap, uintptr(fd), uintptr(p), uintptr(len(b)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
