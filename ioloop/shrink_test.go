package ioloop

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestHandlerTableShrinks checks that the fd table grown for a burst of
// descriptors is given back once they are removed: a page at a time.
func TestHandlerTableShrinks(t *testing.T) {
	l, err := New(WithWatchdog(0))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var fds []int
	for range 300 {
		p := make([]int, 2)
		if err := unix.Pipe(p); err != nil { // Pipe2 is not on macOS
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
	pages := func() (n int) {
		for _, p := range l.pages {
			if p != nil {
				n++
			}
		}
		return n
	}
	grown := pages()
	if grown < 2 {
		t.Fatalf("%d pages for %d fds up to %d", grown, len(fds), fds[len(fds)-1])
	}
	for _, fd := range fds[1:] {
		l.RemoveHandler(fd)
	}
	if n := pages(); n != 1 {
		t.Fatalf("%d pages left after removing all but one of %d fds", n, len(fds))
	}
	if l.handlerOf(fds[0]) == nil {
		t.Fatalf("the remaining fd %d lost its handler", fds[0])
	}
	l.RemoveHandler(fds[0])
	if n := pages(); n != 0 {
		t.Errorf("empty table keeps %d pages", n)
	}
}

// TestTimerHeapShrinks: the heap's array grown by a burst of timers is
// given back when they are gone, and the timers left keep their order.
func TestTimerHeapShrinks(t *testing.T) {
	l, err := New(WithWatchdog(0))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	const n = 10000
	timers := make([]Timer, n)
	for i := range timers {
		timers[i].Init(func() {})
		l.scheduleAt(&timers[i], int64(n-i))
	}
	peak := cap(l.timers)
	for i := range timers[:n-10] {
		l.Cancel(&timers[i])
	}
	if c := cap(l.timers); c > peak/4 || c < len(l.timers) {
		t.Fatalf("capacity %d for %d timers (peak %d)", c, len(l.timers), peak)
	}
	for i := n - 1; i >= n-10; i-- {
		if l.timers[0] != &timers[i] {
			t.Fatalf("heap order lost: head is not timer %d", i)
		}
		l.timers.remove(0)
	}
}
