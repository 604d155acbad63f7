//go:build linux

// Command target is the server the hardening tests and run.sh drive: a
// tornago httpserver with every limit on a flag, a few routes that misbehave
// on purpose, and a debug endpoint reporting its own resources.
//
//	target -addr 127.0.0.1:0 -header-timeout 5s -addr-file /tmp/addr
//
// It writes its address to -addr-file (or stdout) once it listens, serves
// until SIGTERM or SIGINT, then calls Shutdown and exits 0 (1 if Shutdown
// does not finish within -shutdown-timeout).
//
// Routes:
//
//	/            "ok"
//	/big?n=N     N bytes, one Write and Finish (queued whole on the stream)
//	/stream?n=N  N bytes in 64 KiB chunks, each after the last reached the kernel
//	/panic       panics
//	/block?ms=M  sleeps M ms on the loop goroutine (for the watchdog)
//	/slow?ms=M   finishes asynchronously after M ms
//	/never       never finishes (for RequestTimeout)
//	/upload      answers the body's length
//	/debug/stats JSON: goroutines, fds, rss_kib, heap_kib, connections
//	/debug/gc    runs debug.FreeOSMemory, then answers as /debug/stats
//	/debug/heap  a pprof heap profile (after a GC), for `go tool pprof`
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"github.com/tornago/tornago/hardening/internal/memstat"
	"github.com/tornago/tornago/httpserver"
	"golang.org/x/sys/unix"
)

// chunk is the piece /stream and /big write at a time; 64 KiB is the
// loop's read buffer size, a typical socket write.
const chunk = 64 << 10

func main() {
	os.Exit(run())
}

func run() int {
	var (
		addr     = flag.String("addr", "127.0.0.1:0", "listen address (loopback; port 0 picks one)")
		addrFile = flag.String("addr-file", "", "write the bound address here (default: stdout)")
		loops    = flag.Int("loops", 1, "number of loops (Bind+Start when > 1)")
		nofile   = flag.Uint64("nofile", 0, "lower RLIMIT_NOFILE (soft and hard) to this at start (0: leave it)")
		shutdown = flag.Duration("shutdown-timeout", 10*time.Second, "Shutdown deadline on SIGTERM")
		tlsCert  = flag.String("tls-cert", "", "serve HTTPS with this PEM certificate (and -tls-key)")
		tlsKey   = flag.String("tls-key", "", "the PEM key of -tls-cert")
		opts     httpserver.Options
	)
	flag.DurationVar(&opts.HeaderTimeout, "header-timeout", 0, "Options.HeaderTimeout (0: default)")
	flag.DurationVar(&opts.BodyTimeout, "body-timeout", 0, "Options.BodyTimeout (0: default)")
	flag.DurationVar(&opts.IdleConnectionTimeout, "idle-timeout", 0, "Options.IdleConnectionTimeout (0: default)")
	flag.DurationVar(&opts.RequestTimeout, "request-timeout", 0, "Options.RequestTimeout (0: none)")
	flag.DurationVar(&opts.SendTimeout, "send-timeout", 0, "Options.SendTimeout (0: default)")
	flag.IntVar(&opts.MaxConnections, "max-conns", 0, "Options.MaxConnections (0: none)")
	flag.IntVar(&opts.Backlog, "backlog", 0, "Options.Backlog (0: default)")
	flag.Parse()

	if *nofile > 0 {
		// Go raises the soft limit to the hard one at start, so the
		// limit has to be lowered here, inside the process.
		lim := unix.Rlimit{Cur: *nofile, Max: *nofile}
		if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
			fmt.Fprintln(os.Stderr, "target: setrlimit:", err)
			return 2
		}
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(log)
	opts.Logger = log

	if *tlsCert != "" || *tlsKey != "" {
		cfg, err := httpserver.LoadTLSConfig(*tlsCert, *tlsKey)
		if err != nil {
			fmt.Fprintln(os.Stderr, "target:", err)
			return 2
		}
		opts.TLSConfig = cfg
	}
	srv := httpserver.New(newMux(), opts)
	host, portStr, err := net.SplitHostPort(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "target:", err)
		return 2
	}
	port, _ := strconv.Atoi(portStr)
	if *loops > 1 {
		err = srv.Bind(port, host)
		if err == nil {
			err = srv.Start(*loops)
		}
	} else {
		err = srv.Listen(port, host)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "target: listen:", err)
		return 2
	}
	statsServer = srv

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile+".tmp", []byte(fmt.Sprintf("%s %d\n", srv.Addr(), os.Getpid())), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "target:", err)
			return 2
		}
		if err := os.Rename(*addrFile+".tmp", *addrFile); err != nil {
			fmt.Fprintln(os.Stderr, "target:", err)
			return 2
		}
	} else {
		fmt.Println(srv.Addr().String(), os.Getpid())
	}

	<-sig
	log.Info("target: shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), *shutdown)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Error("target: shutdown", "err", err)
		srv.Close()
		return 1
	}
	log.Info("target: shut down")
	return 0
}

// statsServer is the server /debug/stats reports on (set before serving).
var statsServer *httpserver.HTTPServer

// zeros is the body source for /big and /stream.
var zeros = make([]byte, chunk)

func newMux() httpserver.Handler {
	routes := map[string]httpserver.HandlerFunc{
		"/":            func(w *httpserver.ResponseWriter, _ *httpserver.Request) { w.WriteString("ok"); w.Finish() },
		"/big":         big,
		"/stream":      stream,
		"/panic":       func(*httpserver.ResponseWriter, *httpserver.Request) { panic("target: /panic") },
		"/block":       block,
		"/slow":        slow,
		"/never":       func(*httpserver.ResponseWriter, *httpserver.Request) {},
		"/upload":      upload,
		"/debug/stats": stats,
		"/debug/gc":    freeOS,
		"/debug/heap":  heapProfile,
	}
	// The activity labels are built once: SetActivity stores a string.
	labels := make(map[string]string, len(routes))
	for p := range routes {
		labels[p] = "target " + p
	}
	return httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		h, ok := routes[r.Path]
		if !ok {
			w.SetStatus(404, "")
			w.Finish()
			return
		}
		// Label the work for the loop's watchdog, as the web layer does.
		r.Loop().SetActivity(labels[r.Path])
		h(w, r)
	})
}

func intArg(r *httpserver.Request, name string, def int) int {
	if v, err := strconv.Atoi(r.QueryArguments().Get(name)); err == nil && v >= 0 {
		return v
	}
	return def
}

func big(w *httpserver.ResponseWriter, r *httpserver.Request) {
	n := intArg(r, "n", chunk)
	w.Header().Set("Content-Length", strconv.Itoa(n))
	for n > 0 {
		k := min(n, chunk)
		w.Write(zeros[:k])
		n -= k
	}
	w.Finish()
}

// stream sends n bytes a chunk at a time, writing the next one only when
// the last has reached the kernel: back-pressure from a client that does
// not read stops it.
func stream(w *httpserver.ResponseWriter, r *httpserver.Request) {
	n := intArg(r, "n", chunk)
	w.Header().Set("Content-Length", strconv.Itoa(n))
	var next func(error)
	next = func(err error) {
		if err != nil {
			return
		}
		if n == 0 {
			w.Finish()
			return
		}
		k := min(n, chunk)
		n -= k
		if _, err := w.Write(zeros[:k]); err != nil {
			return
		}
		w.Flush(next)
	}
	next(nil)
}

func block(w *httpserver.ResponseWriter, r *httpserver.Request) {
	time.Sleep(time.Duration(intArg(r, "ms", 300)) * time.Millisecond)
	w.WriteString("blocked")
	w.Finish()
}

func slow(w *httpserver.ResponseWriter, r *httpserver.Request) {
	loop := w.Loop()
	d := time.Duration(intArg(r, "ms", 2000)) * time.Millisecond
	loop.CallLater(d, func() {
		w.WriteString("slow")
		w.Finish()
	})
}

func upload(w *httpserver.ResponseWriter, r *httpserver.Request) {
	w.WriteString(strconv.Itoa(len(r.Body)))
	w.Finish()
}

func heapProfile(w *httpserver.ResponseWriter, _ *httpserver.Request) {
	runtime.GC()
	var b bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&b, 0); err != nil {
		w.SetStatus(500, "")
	}
	w.Write(b.Bytes())
	w.Finish()
}

// Stats is what /debug/stats reports.
type Stats struct {
	Goroutines  int `json:"goroutines"`
	FDs         int `json:"fds"`
	RSSKiB      int `json:"rss_kib"`
	HeapKiB     int `json:"heap_kib"` // live heap objects
	Connections int `json:"connections"`
	// The runtime's own memory, to tell where resident memory went: the
	// heap's spans, GC metadata, span structures and the rest.
	HeapSysKiB      int `json:"heap_sys_kib"`
	HeapReleasedKiB int `json:"heap_released_kib"`
	GCSysKiB        int `json:"gc_sys_kib"`
	MSpanSysKiB     int `json:"mspan_sys_kib"`
	StackSysKiB     int `json:"stack_sys_kib"`
	OtherSysKiB     int `json:"other_sys_kib"`
	// ClassesKiB is runtime/metrics' /memory/classes/* in KiB: where the
	// resident memory left after a burst sits (heap, metadata, stacks).
	ClassesKiB map[string]uint64 `json:"classes_kib"`
}

// freeCycles is how many times freeOS collects and returns memory. A
// collection flushes the page caches of the Ps idle when it ends (each P
// caches up to 64 free pages, 512 KiB, hidden from the scavenger: see
// gcMarkTermination in runtime/mgc.go) and not of the others; repeating it
// gives the runtime more chances to flush them all.
const freeCycles = 3

// freeOS collects garbage and returns free memory to the OS: an idle
// server allocates nothing, so the runtime would otherwise wait for its
// two-minute forced GC. What RSS remains after it is what the server
// really keeps.
func freeOS(w *httpserver.ResponseWriter, r *httpserver.Request) {
	for range freeCycles {
		debug.FreeOSMemory()
	}
	stats(w, r)
}

func stats(w *httpserver.ResponseWriter, _ *httpserver.Request) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st := Stats{Goroutines: runtime.NumGoroutine(), FDs: countFDs(), RSSKiB: memstat.RSSKiB(), HeapKiB: int(ms.HeapAlloc >> 10),
		HeapSysKiB: int(ms.HeapSys >> 10), HeapReleasedKiB: int(ms.HeapReleased >> 10), GCSysKiB: int(ms.GCSys >> 10),
		MSpanSysKiB: int(ms.MSpanSys >> 10), StackSysKiB: int(ms.StackSys >> 10), OtherSysKiB: int(ms.OtherSys >> 10)}
	st.ClassesKiB = memstat.ClassesKiB()
	if statsServer != nil {
		st.Connections = statsServer.Connections()
	}
	b, _ := json.Marshal(st)
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
	w.Finish()
}

func countFDs() int {
	fd, err := unix.Open("/proc/self/fd", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	defer unix.Close(fd)
	// Counted from raw directory records in a fixed buffer: os.ReadDir
	// would allocate an entry per descriptor, about 1 MB at 10,000
	// connections, and so grow the very heap whose footprint /debug/stats
	// is asked about at that moment.
	var buf [32 << 10]byte
	n := 0
	for {
		got, err := unix.Getdents(fd, buf[:])
		if err != nil {
			return -1
		}
		if got == 0 {
			break
		}
		// linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type, d_name.
		for off := 0; off+19 <= got; {
			reclen := int(binary.NativeEndian.Uint16(buf[off+16:]))
			if reclen == 0 {
				break
			}
			if name := buf[off+19]; name != '.' { // ".", ".."
				n++
			}
			off += reclen
		}
	}
	return n - 1 // the directory's own descriptor
}
