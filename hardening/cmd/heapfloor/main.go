// Command heapfloor shows what the Go runtime alone keeps resident after a
// heap grows and shrinks back: it allocates -n objects of -size bytes (as
// many as the target's per-connection objects at 10,000 connections), drops
// them, collects and returns freed memory to the OS (debug.FreeOSMemory),
// and prints its resident memory before and after, with the runtime's
// memory classes that changed. Before that it runs -warm rounds of the same
// on -n/50 objects, as run.sh warms the target up, so that what it reports
// is what the peak heap leaves behind, not the runtime's metadata for a
// first collection cycle.
//
//	heapfloor -n 10000 -size 240
//
// hardening/run.sh prints its figure beside the target's burst-1 residual,
// so that the part of that residual no server code can give back is
// measured in the same run rather than asserted.
package main

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"unsafe"

	"github.com/tornago/tornago/hardening/internal/memstat"
)

func main() {
	n := flag.Int("n", 10000, "objects to allocate")
	size := flag.Int("size", 240, "bytes per object")
	warm := flag.Int("warm", 3, "warm-up rounds of -n/50 objects before the measured one")
	flag.Parse()
	if *n <= 0 || *size < 16 {
		fmt.Fprintln(os.Stderr, "heapfloor: -n must be positive and -size at least 16")
		os.Exit(2)
	}

	// Each object is one allocation of a struct type made at run time: a
	// pointer to the previous object (so the GC scans it, as it scans a
	// connection's state) and padding up to -size bytes.
	typ := reflect.StructOf([]reflect.StructField{
		{Name: "Prev", Type: reflect.TypeFor[unsafe.Pointer]()},
		{Name: "Pad", Type: reflect.ArrayOf(*size-8, reflect.TypeFor[byte]())},
	})
	for range *warm {
		runtime.KeepAlive(chain(typ, *n/50))
		debug.FreeOSMemory()
	}
	before, rss0 := memstat.ClassesKiB(), memstat.RSSKiB()
	head := chain(typ, *n)
	peak := memstat.RSSKiB()
	runtime.KeepAlive(head) // the objects are garbage from here on
	debug.FreeOSMemory()
	after, rss1 := memstat.ClassesKiB(), memstat.RSSKiB()

	fmt.Printf("rss before %d KiB, with %d objects of %d B %d KiB, after %d KiB: %+d KiB kept\n",
		rss0, *n, *size, peak, rss1, rss1-rss0)
	names := make([]string, 0, len(after))
	for k := range after {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if d := int64(after[k]) - int64(before[k]); d != 0 && !strings.HasPrefix(k, "total") {
			fmt.Printf("  %-24s %+6d KiB\n", k, d)
		}
	}
}

// chain allocates n objects of typ, each pointing to the one before, and
// returns the last.
func chain(typ reflect.Type, n int) unsafe.Pointer {
	var head unsafe.Pointer
	for range n {
		p := reflect.New(typ).UnsafePointer()
		*(*unsafe.Pointer)(p) = head
		head = p
	}
	return head
}
