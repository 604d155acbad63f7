package tcpserver

import "github.com/tornago/tornago/iostream"

// connPageBits sets the size of a page of the connection table: 512
// streams, 4 KiB of pointers.
const connPageBits = 9

const connPageSize = 1 << connPageBits

// connTable holds a loop's open connections by descriptor, so that
// shutdown can close them. It is paged as the IOLoop's handler table is:
// it never grows by copying, and a page whose connections have all closed
// is given back at once, so a burst of 10,000 connections leaves nothing
// behind once they are gone (a flat slice indexed by fd kept 128 KiB).
type connTable struct {
	pages []*connPage // by fd >> connPageBits; nil: no open connection there
}

type connPage struct {
	s [connPageSize]*iostream.IOStream
	n int // slots in use
}

// add records s under fd.
func (t *connTable) add(fd int, s *iostream.IOStream) {
	pi := fd >> connPageBits
	if pi >= len(t.pages) {
		t.pages = append(t.pages, make([]*connPage, pi+1-len(t.pages))...)
	}
	p := t.pages[pi]
	if p == nil {
		p = new(connPage)
		t.pages[pi] = p
	}
	i := fd & (connPageSize - 1)
	if p.s[i] == nil {
		p.n++
	}
	p.s[i] = s
}

// remove forgets s if it is what fd holds, and reports whether it was.
func (t *connTable) remove(fd int, s *iostream.IOStream) bool {
	pi := fd >> connPageBits
	if fd < 0 || pi >= len(t.pages) || t.pages[pi] == nil {
		return false
	}
	p, i := t.pages[pi], fd&(connPageSize-1)
	if p.s[i] != s {
		return false
	}
	p.s[i] = nil
	if p.n--; p.n == 0 {
		t.pages[pi] = nil
	}
	return true
}

// each calls fn for every open connection. fn may remove connections
// (closing a stream does, through its close hook).
func (t *connTable) each(fn func(*iostream.IOStream)) {
	for pi := range t.pages {
		for i := 0; i < connPageSize; i++ {
			p := t.pages[pi] // re-read: fn may have emptied and freed it
			if p == nil {
				break
			}
			if s := p.s[i]; s != nil {
				fn(s)
			}
		}
	}
}

// len reports the number of open connections.
func (t *connTable) len() int {
	n := 0
	for _, p := range t.pages {
		if p != nil {
			n += p.n
		}
	}
	return n
}
