//go:build linux

package ioloop

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

// waker is an eventfd the loop polls for READ; any goroutine writes it to
// end an epoll_wait.
type waker struct {
	efd  int
	one  [8]byte // the value 1, written by wake; never modified after init
	sink [8]byte // drain's read target; loop goroutine only
}

func newWaker() (*waker, error) {
	fd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	w := &waker{efd: fd}
	binary.NativeEndian.PutUint64(w.one[:], 1)
	return w, nil
}

func (w *waker) fd() int { return w.efd }

func (w *waker) wake() {
	for {
		_, err := unix.Write(w.efd, w.one[:])
		if err != unix.EINTR {
			return // EAGAIN: the counter is saturated, the loop is awake anyway
		}
	}
}

func (w *waker) drain() {
	for {
		_, err := unix.Read(w.efd, w.sink[:])
		if err != unix.EINTR {
			return
		}
	}
}

func (w *waker) close() error { return unix.Close(w.efd) }
