package httpserver

import (
	"bytes"
	"compress/gzip"
	"io"
)

// gunzip replaces a gzip request body by its decompressed form
// (Options.Decompress), bounded by MaxBodySize, and renames the
// Content-Encoding field X-Consumed-Content-Encoding, as Tornado does.
func (s *HTTPServer) gunzip(lc *loopState, ex *exchange) *ParseError {
	r := &ex.req
	src := bytes.NewReader(r.Body)
	if lc.gz == nil {
		zr, err := gzip.NewReader(src)
		if err != nil {
			return errBadGzip
		}
		lc.gz = zr
	} else if err := lc.gz.Reset(src); err != nil {
		return errBadGzip
	}
	limit := s.opts.MaxBodySize
	out := ex.plain[:0]
	for {
		if len(out) == cap(out) {
			out = append(out, 0)[:len(out)]
		}
		n, err := lc.gz.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if int64(len(out)) > limit {
			return errBodyTooLarge
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return errBadGzip
		}
	}
	ex.plain = out
	r.Body = out
	enc := r.Header.Get("Content-Encoding")
	r.Header.Del("Content-Encoding")
	r.Header.Add("X-Consumed-Content-Encoding", enc)
	return nil
}
