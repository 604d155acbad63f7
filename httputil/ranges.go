package httputil

import "strconv"

// maxRangeValue caps the byte positions ParseRange reads. Python's integers
// have no bound; ours saturate here, far beyond any real file, so "bytes=0-
// 99999999999999999999" still means "everything" and cannot overflow.
const maxRangeValue = 1 << 60

// ParseRange parses a Range header holding one byte range, Tornado's
// _parse_request_range, and returns it as a Python slice [start:end] over
// the representation, with end exclusive:
//
//	"bytes=1-2"  → start 1,  end 3   (bytes 1 and 2)
//	"bytes=6-"   → start 6,  end -1  (end -1: open, up to the last byte)
//	"bytes=-6"   → start -6, end -1  (negative start: the last 6 bytes)
//	"bytes=-0"   → start 0,  end 0   (an empty suffix: unsatisfiable)
//	"bytes=10-3" → start 10, end 4   (last before first: unsatisfiable)
//	"bytes=26"   → start 26, end -1  (no "-": read as "26-", as Tornado)
//
// ok is false when the header is not one byte range: another unit, several
// ranges ("bytes=1-2,6-10"), anything but digits in a position, or neither
// position ("bytes=", "bytes=-"); the server then ignores it and sends the
// whole representation (RFC 9110 section 14.2). The unit is matched without
// regard to case and SP/HTAB may surround "=" and "-".
//
// Where Tornado returns None for a position the Go form has 0 for start
// and -1 for end. ResolveRange applies the result to a known size.
func ParseRange(header string) (start, end int64, ok bool) {
	unit, spec, found := cut(header, '=')
	if !found || !equalFold(trimHTTPSpace(unit), "bytes") {
		return 0, 0, false
	}
	first, last, _ := cut(spec, '-')
	first, last = trimHTTPSpace(first), trimHTTPSpace(last)
	a, aok := parseRangeInt(first)
	b, bok := parseRangeInt(last)
	if (first != "" && !aok) || (last != "" && !bok) || (first == "" && last == "") {
		return 0, 0, false
	}
	switch {
	case first == "": // suffix: the last b bytes
		if b == 0 {
			return 0, 0, true
		}
		return -b, -1, true
	case last == "":
		return a, -1, true
	}
	return a, b + 1, true
}

// cut is strings.Cut for one byte.
func cut(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// parseRangeInt parses 1*DIGIT, saturating at maxRangeValue.
func parseRangeInt(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		// Saturate before n*10 could pass maxRangeValue (or int64: n
		// just under maxRangeValue times ten would wrap negative).
		if d := int64(c - '0'); n > (maxRangeValue-d)/10 {
			n = maxRangeValue
		} else {
			n = n*10 + d
		}
	}
	return n, true
}

// ResolveRange applies a range from ParseRange to a representation of size
// bytes, as Tornado's StaticFileHandler does, and returns the half-open
// slice [first, end) to send:
//
//   - a suffix longer than the representation is all of it;
//   - an end past the last byte is capped there (clients ask for huge
//     ranges to mean "up to the end");
//   - satisfiable is false when the first byte is at or past size, when
//     the range is empty or reversed, or for "bytes=-0": answer 416 with
//     Content-Range UnsatisfiedContentRange(size);
//   - partial is false when the range covers the whole representation:
//     answer 200, not 206 (Chrome will not play audio answered 206 to
//     "bytes=0-").
func ResolveRange(start, end, size int64) (first, last int64, partial, satisfiable bool) {
	if end == 0 {
		return 0, 0, false, false
	}
	if start < 0 {
		start = max(start+size, 0)
	}
	if start >= size || (end >= 0 && start >= end) {
		return 0, 0, false, false
	}
	if end < 0 || end > size {
		end = size
	}
	return start, end, end-start != size, true
}

// ContentRange returns the Content-Range value for the slice [start, end)
// of a representation of total bytes, Tornado's _get_content_range:
// "bytes 1-2/4" for start 1, end 3. An end of -1 (open) means total, and a
// negative start counts from the end, as ParseRange returns them.
func ContentRange(start, end, total int64) string {
	if start < 0 {
		start = max(start+total, 0)
	}
	if end < 0 {
		end = total
	}
	b := make([]byte, 0, 48)
	b = append(b, "bytes "...)
	b = strconv.AppendInt(b, start, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, end-1, 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, total, 10)
	return string(b)
}

// UnsatisfiedContentRange returns the Content-Range of a 416 answer,
// "bytes */total".
func UnsatisfiedContentRange(total int64) string {
	return "bytes */" + strconv.FormatInt(total, 10)
}
