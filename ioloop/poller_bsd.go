//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package ioloop

import (
	"time"

	"golang.org/x/sys/unix"
)

// poller is kqueue with level-triggered (no EV_CLEAR) read and write
// filters. One descriptor may be reported twice per wait, once per filter.
type poller struct {
	kq      int
	events  []unix.Kevent_t
	changes [2]unix.Kevent_t
	ts      unix.Timespec
}

func newPoller() (*poller, error) {
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(kq)
	return &poller{kq: kq, events: make([]unix.Kevent_t, maxEventsPerWait)}, nil
}

// apply adds the filters in ev that old lacks and deletes those old has
// that ev lacks.
func (p *poller) apply(fd int, old, ev Event) error {
	n := 0
	for _, f := range [...]struct {
		bit    Event
		filter int
	}{{READ, unix.EVFILT_READ}, {WRITE, unix.EVFILT_WRITE}} {
		switch {
		case ev&f.bit != 0 && old&f.bit == 0:
			unix.SetKevent(&p.changes[n], fd, f.filter, unix.EV_ADD|unix.EV_ENABLE)
			n++
		case ev&f.bit == 0 && old&f.bit != 0:
			unix.SetKevent(&p.changes[n], fd, f.filter, unix.EV_DELETE)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	for {
		_, err := unix.Kevent(p.kq, p.changes[:n], nil, nil)
		if err != unix.EINTR {
			return err
		}
	}
}

func (p *poller) add(fd int, ev Event) error { return p.apply(fd, 0, ev) }

func (p *poller) mod(fd int, old, ev Event) error { return p.apply(fd, old, ev) }

func (p *poller) del(fd int, old Event) error { return p.apply(fd, old, 0) }

func (p *poller) wait(msec int) (int, error) {
	var ts *unix.Timespec
	if msec >= 0 {
		p.ts = unix.NsecToTimespec(int64(msec) * int64(time.Millisecond))
		ts = &p.ts
	}
	return unix.Kevent(p.kq, nil, p.events, ts)
}

// poll collects the events ready now, without blocking.
func (p *poller) poll() (int, error) { return p.wait(0) }

func (p *poller) event(i int) (int, Event) {
	e := &p.events[i]
	var ev Event
	switch {
	case e.Flags&unix.EV_ERROR != 0:
		ev = ERROR
	case e.Filter == unix.EVFILT_READ:
		ev = READ
	case e.Filter == unix.EVFILT_WRITE:
		ev = WRITE
		if e.Flags&unix.EV_EOF != 0 {
			ev |= ERROR
		}
	}
	return int(e.Ident), ev
}

func (p *poller) close() error { return unix.Close(p.kq) }
