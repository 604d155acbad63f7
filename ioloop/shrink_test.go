package ioloop

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestHandlerTableShrinks checks that the fd table grown for a burst of
// descriptors is given back once they are removed.
func TestHandlerTableShrinks(t *testing.T) {
	l, err := New(WithWatchdog(0))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var fds []int
	for range 300 {
		p := make([]int, 2)
		if err := unix.Pipe2(p, unix.O_NONBLOCK|unix.O_CLOEXEC); err != nil {
			t.Fatal(err)
		}
		fds = append(fds, p...)
	}
	defer func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	}()
	nop := HandlerFunc(func(int, Event) {})
	for _, fd := range fds {
		if err := l.AddHandler(fd, nop, READ); err != nil {
			t.Fatal(err)
		}
	}
	grown := len(l.handlers)
	if grown <= 600 {
		t.Fatalf("table of %d slots for %d fds", grown, len(fds))
	}
	for _, fd := range fds[1:] {
		l.RemoveHandler(fd)
	}
	if len(l.handlers) >= grown {
		t.Fatalf("table still %d slots after removing all but one of %d fds", len(l.handlers), len(fds))
	}
	if len(l.handlers) <= fds[0] || l.handlers[fds[0]].h == nil {
		t.Fatalf("the remaining fd %d lost its handler (table %d)", fds[0], len(l.handlers))
	}
	l.RemoveHandler(fds[0])
	if len(l.handlers) > 2*minHandlerTable {
		t.Errorf("empty table keeps %d slots", len(l.handlers))
	}
}
