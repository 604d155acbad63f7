//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package ioloop

import "golang.org/x/sys/unix"

// waker is a non-blocking pipe: the loop polls the read end, any goroutine
// writes a byte to the write end.
type waker struct {
	r, w int
	one  [1]byte
	sink [64]byte
}

func newWaker() (*waker, error) {
	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		return nil, err
	}
	for _, fd := range p {
		unix.CloseOnExec(fd)
		if err := unix.SetNonblock(fd, true); err != nil {
			unix.Close(p[0])
			unix.Close(p[1])
			return nil, err
		}
	}
	return &waker{r: p[0], w: p[1], one: [1]byte{1}}, nil
}

func (w *waker) fd() int { return w.r }

func (w *waker) wake() {
	for {
		_, err := unix.Write(w.w, w.one[:])
		if err != unix.EINTR {
			return
		}
	}
}

func (w *waker) drain() {
	for {
		n, err := unix.Read(w.r, w.sink[:])
		if err == unix.EINTR {
			continue
		}
		if n < len(w.sink) {
			return
		}
	}
}

func (w *waker) close() error {
	err := unix.Close(w.r)
	if err2 := unix.Close(w.w); err == nil {
		err = err2
	}
	return err
}
