//go:build linux

package ioloop

import "golang.org/x/sys/unix"

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
