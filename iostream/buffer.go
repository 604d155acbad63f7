package iostream

import "sync"

// Buffer size classes for retained reads and pending writes. The smallest
// holds a typical partial request head; the largest still worth pooling is
// 1 MiB, beyond which buffers are allocated and left to the GC.
var bufClasses = [...]int{4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20}

var bufPools [len(bufClasses)]sync.Pool

// getBuf returns a buffer of capacity at least n (and length 0). Pointers
// are pooled, so Get and Put do not allocate.
func getBuf(n int) *[]byte {
	for i, c := range bufClasses {
		if n <= c {
			if p, _ := bufPools[i].Get().(*[]byte); p != nil {
				*p = (*p)[:0]
				return p
			}
			b := make([]byte, 0, c)
			return &b
		}
	}
	b := make([]byte, 0, n)
	return &b
}

// putBuf returns p to its pool if its capacity is one of the classes.
func putBuf(p *[]byte) {
	if p == nil {
		return
	}
	c := cap(*p)
	for i, cc := range bufClasses {
		if c == cc {
			*p = (*p)[:0]
			bufPools[i].Put(p)
			return
		}
	}
}
