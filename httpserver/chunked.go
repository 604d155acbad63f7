package httpserver

import "bytes"

// chunkState is where a chunked body decoder stands.
type chunkState uint8

const (
	ckSize    chunkState = iota // before a chunk-size line
	ckData                      // inside chunk data
	ckDataEnd                   // before the CRLF that ends chunk data
	ckTrailer                   // in the trailer section
)

// chunkReader decodes a chunked request body (RFC 9112 section 7.1)
// incrementally: it consumes what input it can and keeps its place.
// Chunk lines must end in CRLF (a bare LF is refused: RFC 9112 errata
// 7633 was declined, and Go refuses it too), sizes are 1*HEXDIG with at
// most 15 significant digits (leading zeros are free), extensions are bounded, trailers are checked like header
// fields, bounded and dropped.
type chunkReader struct {
	state   chunkState
	left    int64 // bytes of the current chunk still to come
	total   int64 // data bytes so far
	ext     int   // chunk-extension bytes so far
	trailer int   // trailer bytes so far
}

// maxChunkDigits is the most significant hex digits a chunk size may have
// (15 keep it within int64).
const maxChunkDigits = 15

// decode consumes chunked input from b, appending the data to *body. It
// returns how much of b it consumed and whether the body is complete; a
// body whose data exceeds limit fails with 413.
func (k *chunkReader) decode(b []byte, body *[]byte, limit int64) (n int, done bool, err *ParseError) {
	for n < len(b) {
		switch k.state {
		case ckSize:
			line, next, perr := chunkLine(b[n:], maxChunkLine)
			if perr != nil || line == nil {
				return n, false, perr
			}
			size, ext, perr := parseChunkSize(line)
			if perr != nil {
				return n, false, perr
			}
			if k.ext += ext; k.ext > chunkExtBudget+int(min(k.total, 1<<30)) {
				return n, false, errChunkExtBudget
			}
			n += next
			if size == 0 {
				k.state = ckTrailer
				continue
			}
			if size > limit-k.total {
				return n, false, errBodyTooLarge
			}
			k.left, k.state = size, ckData
		case ckData:
			m := int(min(k.left, int64(len(b)-n)))
			*body = append(*body, b[n:n+m]...)
			n += m
			k.left -= int64(m)
			k.total += int64(m)
			if k.left == 0 {
				k.state = ckDataEnd
			}
		case ckDataEnd:
			if b[n] != '\r' {
				return n, false, errBadChunkEnd
			}
			if n+1 == len(b) {
				return n, false, nil
			}
			if b[n+1] != '\n' {
				return n, false, errBadChunkEnd
			}
			n += 2
			k.state = ckSize
		case ckTrailer:
			line, next, perr := chunkLine(b[n:], maxTrailerSize-k.trailer)
			if perr == errChunkLineLong {
				return n, false, errTrailerTooLarge
			}
			if perr != nil {
				return n, false, errBadTrailer // a bare LF
			}
			if line == nil {
				return n, false, nil
			}
			n += next
			k.trailer += next
			if len(line) == 0 {
				return n, true, nil
			}
			if k.trailer > maxTrailerSize {
				return n, false, errTrailerTooLarge
			}
			if !validTrailer(line) {
				return n, false, errBadTrailer
			}
		}
	}
	return n, false, nil
}

// chunkLine returns the line at the start of b without its CRLF and the
// length consumed with it; a nil line with nil error when b holds no
// complete line yet. A line must end in CRLF and be at most max bytes.
func chunkLine(b []byte, max int) (line []byte, next int, err *ParseError) {
	lim := b
	if len(lim) > max+2 {
		lim = lim[:max+2]
	}
	nl := bytes.IndexByte(lim, '\n')
	if nl < 0 {
		if len(b) >= max+2 {
			return nil, 0, errChunkLineLong
		}
		return nil, 0, nil
	}
	if nl == 0 || b[nl-1] != '\r' {
		return nil, 0, errBadChunkSize // bare LF
	}
	return b[:nl-1], nl + 1, nil
}

// parseChunkSize parses chunk-size [ chunk-ext ] and returns the size and
// the number of extension bytes. Extensions (";name[=value]", with
// optional whitespace before the ';' as RFC 9112 allows) are checked for
// controls and skipped: tornago gives them no meaning.
func parseChunkSize(line []byte) (size int64, ext int, err *ParseError) {
	i, digits := 0, 0
	for i < len(line) && chars[line[i]]&cHex != 0 {
		// Leading zeros are allowed (1*HEXDIG) and do not count: only
		// significant digits could overflow. The line itself is bounded
		// by maxChunkLine.
		if digits > 0 || line[i] != '0' {
			if digits++; digits > maxChunkDigits {
				return 0, 0, errBadChunkSize
			}
		}
		size = size<<4 | int64(unhex(line[i]))
		i++
	}
	if i == 0 {
		return 0, 0, errBadChunkSize
	}
	rest := line[i:]
	if len(rest) == 0 {
		return size, 0, nil
	}
	j := 0
	for j < len(rest) && isOWS(rest[j]) {
		j++
	}
	if j == len(rest) || rest[j] != ';' {
		return 0, 0, errBadChunkSize
	}
	for _, c := range rest[j:] {
		if chars[c]&cValue == 0 {
			return 0, 0, errBadChunkSize
		}
	}
	return size, len(rest), nil
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// validTrailer checks one trailer field line as a header field: a token
// name, a colon, a valid value; no obs-fold.
func validTrailer(line []byte) bool {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return false
	}
	for _, c := range line[:colon] {
		if chars[c]&cToken == 0 {
			return false
		}
	}
	for _, c := range line[colon+1:] {
		if chars[c]&cValue == 0 {
			return false
		}
	}
	return true
}
