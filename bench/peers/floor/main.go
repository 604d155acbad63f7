// Command floor is the floor of the tornago benchmarks: the least work an
// HTTP/1.1 server on epoll can do. Each loop owns an epoll fd and its own
// SO_REUSEPORT listener; it reads whatever arrives, counts the request heads
// (each ends with "\r\n\r\n", so pipelined requests are counted too), and
// answers each with one fixed "Hello, world" response, all answers of one
// read in one write. It parses nothing, so it only serves GET-like requests
// without bodies: it is a ceiling to measure against, not a server.
//
//	taskset -c 0 floor -port 18083 -loops 1
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	// readBufferSize is the one buffer each loop reads into: 64 KiB holds a
	// pipelined batch of 16 typical requests many times over.
	readBufferSize = 64 << 10

	// maxEvents is how many ready fds one epoll_wait returns; 256 drains a
	// loop with 100 busy connections in one call.
	maxEvents = 256

	// backlog is the listen queue, Tornado's default.
	backlog = 128

	// batchedResponses is how many answers are prebuilt back to back, so a
	// pipelined batch of up to this many is answered from one slice.
	batchedResponses = 64
)

// response is the fixed answer. It carries the headers a real server must
// send to be understood (status, length, type) and nothing more.
const response = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nContent-Type: text/plain\r\n\r\nHello, world"

var responses = bytes.Repeat([]byte(response), batchedResponses)

// conn is the state of one connection: how much of "\r\n\r\n" the previous
// read ended in, and what the socket did not take yet.
type conn struct {
	open    bool
	match   uint8
	pending []byte
}

type loop struct {
	epfd, lfd int
	conns     []conn // indexed by fd
	buf       []byte
	events    []unix.EpollEvent
}

func main() {
	port := flag.Int("port", 8888, "TCP port to listen on")
	address := flag.String("address", "127.0.0.1", "IPv4 address to listen on")
	loops := flag.Int("loops", 1, "number of event loops (0: one per CPU)")
	lock := flag.Bool("lockthread", false, "lock each loop to its OS thread")
	flag.BoolVar(&pollFirst, "pollfirst", true, "poll without blocking before each blocking epoll_wait")
	flag.BoolVar(&rawIO, "rawio", true, "read and write sockets with raw system calls")
	flag.Parse()
	addr, err := netip.ParseAddr(*address)
	if err != nil || !addr.Is4() {
		log.Fatalf("floor: -address must be an IPv4 address: %q", *address)
	}
	n := *loops
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for range n {
		l, err := newLoop(addr.As4(), *port)
		if err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		wg.Go(func() {
			if *lock {
				runtime.LockOSThread()
			}
			if err := l.run(); err != nil {
				fmt.Fprintln(os.Stderr, "floor:", err)
				os.Exit(1)
			}
		})
	}
	wg.Wait()
}

func newLoop(ip [4]byte, port int) (*loop, error) {
	lfd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	for _, opt := range []int{unix.SO_REUSEADDR, unix.SO_REUSEPORT} {
		if err := unix.SetsockoptInt(lfd, unix.SOL_SOCKET, opt, 1); err != nil {
			return nil, fmt.Errorf("setsockopt: %w", err)
		}
	}
	if err := unix.Bind(lfd, &unix.SockaddrInet4{Port: port, Addr: ip}); err != nil {
		return nil, fmt.Errorf("bind port %d: %w", port, err)
	}
	if err := unix.Listen(lfd, backlog); err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	l := &loop{epfd: epfd, lfd: lfd, buf: make([]byte, readBufferSize), events: make([]unix.EpollEvent, maxEvents)}
	if err := l.ctl(unix.EPOLL_CTL_ADD, lfd, unix.EPOLLIN); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *loop) ctl(op, fd int, events uint32) error {
	ev := unix.EpollEvent{Events: events, Fd: int32(fd)}
	if err := unix.EpollCtl(l.epfd, op, fd, &ev); err != nil {
		return fmt.Errorf("epoll_ctl fd %d: %w", fd, err)
	}
	return nil
}

// pollFirst makes each loop ask epoll for ready fds without blocking, through
// a raw system call the Go scheduler does not see, before it blocks in
// epoll_wait. Under load the answer is nearly always ready, and a blocking
// system call would have the runtime's monitor wake every 20 µs to take the
// loop's P away: context switches on the server's own CPU.
var pollFirst bool

// rawIO makes read(2) and write(2) raw system calls too, as tornago's
// iostream does on Linux: the sockets are non-blocking, so the runtime's
// entersyscall/exitsyscall bookkeeping buys nothing, and while a loop is
// marked in a system call the runtime's monitor wakes every 20 µs and
// hands its P to another thread when a call spans two of its ticks. With
// -rawio=false the floor uses unix.Read and unix.Write, as before.
var rawIO bool

func sysRead(fd int, b []byte) (int, error) {
	if !rawIO {
		return unix.Read(fd, b)
	}
	return rawCall(unix.SYS_READ, fd, b)
}

func sysWrite(fd int, b []byte) (int, error) {
	if !rawIO {
		return unix.Write(fd, b)
	}
	return rawCall(unix.SYS_WRITE, fd, b)
}

// rawCall makes the read or write system call trap on fd and b (never
// empty here: the read buffer and pending answers).
func rawCall(trap uintptr, fd int, b []byte) (int, error) {
	n, _, errno := unix.RawSyscall(trap, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// pollNow is epoll_wait with a zero timeout as a raw system call
// (epoll_pwait with no signal mask, which every Linux architecture has).
func (l *loop) pollNow() (int, error) {
	n, _, errno := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(l.epfd),
		uintptr(unsafe.Pointer(&l.events[0])), uintptr(len(l.events)), 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

func (l *loop) run() error {
	for {
		n, err := 0, error(nil)
		if pollFirst {
			n, err = l.pollNow()
		}
		if n == 0 && err == nil {
			n, err = unix.EpollWait(l.epfd, l.events, -1)
		}
		if err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return fmt.Errorf("epoll_wait: %w", err)
		}
		for _, ev := range l.events[:n] {
			fd := int(ev.Fd)
			switch {
			case fd == l.lfd:
				l.accept()
			case ev.Events&(unix.EPOLLIN|unix.EPOLLHUP|unix.EPOLLERR) != 0:
				l.read(fd)
			case ev.Events&unix.EPOLLOUT != 0:
				l.flush(fd)
			}
		}
	}
}

func (l *loop) accept() {
	for {
		fd, _, err := unix.Accept4(l.lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		if err != nil {
			// EAGAIN: drained. EMFILE and the like: the listener stays
			// readable and is retried on the next wakeup.
			return
		}
		_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		for fd >= len(l.conns) {
			l.conns = append(l.conns, conn{})
		}
		l.conns[fd] = conn{open: true}
		if err := l.ctl(unix.EPOLL_CTL_ADD, fd, unix.EPOLLIN); err != nil {
			l.close(fd)
		}
	}
}

func (l *loop) close(fd int) {
	_ = unix.EpollCtl(l.epfd, unix.EPOLL_CTL_DEL, fd, nil)
	_ = unix.Close(fd)
	l.conns[fd] = conn{}
}

func (l *loop) read(fd int) {
	c := &l.conns[fd]
	n, err := sysRead(fd, l.buf)
	if err == unix.EAGAIN {
		return
	}
	if n <= 0 || err != nil {
		l.close(fd)
		return
	}
	heads := countHeads(l.buf[:n], &c.match)
	if heads == 0 {
		return
	}
	if len(c.pending) > 0 {
		// The socket is still full: queue the answers behind the rest.
		for ; heads > 0; heads-- {
			c.pending = append(c.pending, response...)
		}
		return
	}
	for heads > 0 {
		k := min(heads, batchedResponses)
		out := responses[:k*len(response)]
		heads -= k
		w, err := sysWrite(fd, out)
		if err != nil && err != unix.EAGAIN {
			l.close(fd)
			return
		}
		if w < len(out) {
			c.pending = append(c.pending, out[max(w, 0):]...)
			for ; heads > 0; heads-- {
				c.pending = append(c.pending, response...)
			}
			if err := l.ctl(unix.EPOLL_CTL_MOD, fd, unix.EPOLLIN|unix.EPOLLOUT); err != nil {
				l.close(fd)
			}
			return
		}
	}
}

func (l *loop) flush(fd int) {
	c := &l.conns[fd]
	w, err := sysWrite(fd, c.pending)
	if err != nil && err != unix.EAGAIN {
		l.close(fd)
		return
	}
	c.pending = c.pending[max(w, 0):]
	if len(c.pending) == 0 {
		c.pending = nil
		if err := l.ctl(unix.EPOLL_CTL_MOD, fd, unix.EPOLLIN); err != nil {
			l.close(fd)
		}
	}
}

// countHeads counts the "\r\n\r\n" sequences in data. *match carries how many
// bytes of the sequence the previous chunk ended with, so a delimiter split
// across reads is counted once.
func countHeads(data []byte, match *uint8) int {
	heads := 0
	m := *match
	for i := 0; i < len(data); i++ {
		if m == 0 {
			// Skip straight to the next CR.
			j := bytes.IndexByte(data[i:], '\r')
			if j < 0 {
				break
			}
			i += j
		}
		switch data[i] {
		case '\r':
			if m == 0 || m == 2 {
				m++
			} else {
				m = 1 // "\r\r" or "\r\n\r\r": this CR may start a delimiter
			}
		case '\n':
			switch m {
			case 1:
				m = 2
			case 3:
				heads++
				m = 0
			default:
				m = 0
			}
		default:
			m = 0
		}
	}
	*match = m
	return heads
}
