package ioloop

// Event is a set of readiness conditions on a file descriptor. The values
// are Tornado's, which are epoll's.
type Event uint32

const (
	// READ is set when the descriptor is readable (EPOLLIN).
	READ Event = 0x001
	// WRITE is set when the descriptor is writable (EPOLLOUT).
	WRITE Event = 0x004
	// ERROR is set on an error or hang-up (EPOLLERR|EPOLLHUP). It is
	// always reported, whether or not it was asked for.
	ERROR Event = 0x018
)

// String names the bits set in e, for logs.
func (e Event) String() string {
	if e == 0 {
		return "0"
	}
	s := ""
	add := func(name string) {
		if s != "" {
			s += "|"
		}
		s += name
	}
	if e&READ != 0 {
		add("READ")
	}
	if e&WRITE != 0 {
		add("WRITE")
	}
	if e&ERROR != 0 {
		add("ERROR")
	}
	return s
}

// A Handler is told about readiness events on a descriptor it registered
// with AddHandler. It runs on the loop goroutine.
type Handler interface {
	HandleEvents(fd int, events Event)
}

// HandlerFunc adapts a function to the Handler interface.
type HandlerFunc func(fd int, events Event)

// HandleEvents calls f(fd, events).
func (f HandlerFunc) HandleEvents(fd int, events Event) { f(fd, events) }
