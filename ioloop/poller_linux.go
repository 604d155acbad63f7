//go:build linux

package ioloop

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// poller is level-triggered epoll. Event bits are epoll's, so converting
// is masking.
type poller struct {
	epfd   int
	events []unix.EpollEvent
	ctl    unix.EpollEvent // scratch for epoll_ctl, so nothing escapes
}

func newPoller() (*poller, error) {
	fd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	return &poller{epfd: fd, events: make([]unix.EpollEvent, maxEventsPerWait)}, nil
}

func (p *poller) ctlOp(op, fd int, ev Event) error {
	p.ctl = unix.EpollEvent{Events: uint32(ev & (READ | WRITE)), Fd: int32(fd)}
	for {
		err := unix.EpollCtl(p.epfd, op, fd, &p.ctl)
		if err != unix.EINTR {
			return err
		}
	}
}

func (p *poller) add(fd int, ev Event) error { return p.ctlOp(unix.EPOLL_CTL_ADD, fd, ev) }

func (p *poller) mod(fd int, _, ev Event) error { return p.ctlOp(unix.EPOLL_CTL_MOD, fd, ev) }

func (p *poller) del(fd int, _ Event) error { return p.ctlOp(unix.EPOLL_CTL_DEL, fd, 0) }

// wait blocks for up to msec milliseconds (-1: forever).
func (p *poller) wait(msec int) (int, error) {
	return unix.EpollWait(p.epfd, p.events, msec)
}

// poll collects the events ready now, without blocking. It is a raw
// system call: the Go runtime's blocking-syscall bookkeeping (entersyscall,
// and the scheduler taking the thread's P away when the call outlasts
// 20 µs) is for calls that may block, and this one never does. Under
// load the loop finds events ready on most iterations, so most of its
// polls take this path.
func (p *poller) poll() (int, error) {
	// epoll_pwait with a nil signal mask is epoll_wait, and exists on
	// every architecture (arm64 has no epoll_wait).
	n, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(p.epfd),
		uintptr(unsafe.Pointer(&p.events[0])), uintptr(len(p.events)), 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// event returns the i'th ready descriptor of the last wait.
func (p *poller) event(i int) (int, Event) {
	e := &p.events[i]
	ev := Event(e.Events) & (READ | WRITE | ERROR)
	if e.Events&(unix.EPOLLRDHUP|unix.EPOLLPRI) != 0 {
		ev |= READ
	}
	return int(e.Fd), ev
}

func (p *poller) close() error { return unix.Close(p.epfd) }
