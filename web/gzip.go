package web

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"sync"
)

// Tornado's GZipContentEncoding rules.
const (
	// gzipMinLength: a response finished in one piece is compressed only
	// from 1024 bytes on; below that, the gzip header and trailer cost more
	// than they save.
	gzipMinLength = 1024
	// gzipLevel 6 is zlib's default balance of speed and size.
	gzipLevel = 6
)

// gzipTypes are the non-text/* content types worth compressing.
var gzipTypes = map[string]bool{
	"application/javascript":   true,
	"application/x-javascript": true,
	"application/xml":          true,
	"application/atom+xml":     true,
	"application/json":         true,
	"application/xhtml+xml":    true,
	"image/svg+xml":            true,
}

func compressibleType(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || gzipTypes[ctype]
}

// gzipState compresses one response, chunk by chunk.
type gzipState struct {
	w   *gzip.Writer
	buf bytes.Buffer
}

var gzipPool = sync.Pool{New: func() any {
	g := &gzipState{}
	g.w, _ = gzip.NewWriterLevel(&g.buf, gzipLevel)
	return g
}}

// transform compresses chunk; a flush ends a compressed block so the client
// can decode what it has, the last chunk closes the stream. The result is
// valid until the next call.
func (g *gzipState) transform(chunk []byte, finishing bool) []byte {
	g.buf.Reset()
	_, _ = g.w.Write(chunk)
	if finishing {
		_ = g.w.Close()
	} else {
		_ = g.w.Flush()
	}
	return g.buf.Bytes()
}

func (g *gzipState) release() {
	g.buf.Reset()
	g.w.Reset(&g.buf)
	gzipPool.Put(g)
}

// gzipFirst is transform_first_chunk: add Vary, and start compressing if
// the client accepts gzip, the type is compressible, nothing encoded the
// body already, and a body finished at once is long enough.
func (h *RequestHandler) gzipFirst(chunk []byte, finishing bool) []byte {
	hdr := &h.out.header
	if v, ok := hdr.Lookup("Vary"); ok {
		hdr.Set("Vary", v+", Accept-Encoding")
	} else {
		hdr.Set("Vary", "Accept-Encoding")
	}
	if !strings.Contains(h.Request.Header.Get("Accept-Encoding"), "gzip") {
		return chunk
	}
	ctype, _, _ := strings.Cut(hdr.Get("Content-Type"), ";")
	if !compressibleType(strings.TrimSpace(ctype)) || hdr.Has("Content-Encoding") ||
		(finishing && len(chunk) < gzipMinLength) {
		return chunk
	}
	hdr.Set("Content-Encoding", "gzip")
	gz := gzipPool.Get().(*gzipState)
	h.ext().gz = gz
	chunk = gz.transform(chunk, finishing)
	if hdr.Has("Content-Length") {
		if finishing {
			hdr.Set("Content-Length", strconv.Itoa(len(chunk)))
		} else {
			hdr.Del("Content-Length")
		}
	}
	return chunk
}
