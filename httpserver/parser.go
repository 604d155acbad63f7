package httpserver

import (
	"bytes"
	"math"
	"unsafe"
)

// headInfo is what the framing of one request depends on, collected while
// its header fields are parsed.
type headInfo struct {
	length    int64 // Content-Length, -1 when absent
	chunked   bool  // Transfer-Encoding: chunked
	te        bool  // a Transfer-Encoding field was seen
	connClose bool  // Connection has the "close" option
	connKeep  bool  // Connection has the "keep-alive" option
	expect100 bool  // Expect: 100-continue
	gzip      bool  // Content-Encoding: gzip
	hosts     int   // number of Host fields
	fields    int   // number of header fields
	host      []byte
}

// view returns b as a string without copying. The string is valid while
// b's bytes are: for the server, until the response is finished or the
// request is detached.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Interned methods and versions: the common ones are not views, so a
// detached request need not copy them and comparisons are cheap.
var commonMethods = [...]string{"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"}

func internMethod(b []byte) string {
	for _, m := range commonMethods {
		if string(b) == m {
			return m
		}
	}
	return view(b)
}

// parseHead parses the request head at the start of b into r and h: the
// request line, then header fields up to the blank line. Line ends are
// CRLF or a bare LF (RFC 9112 section 2.2 lets a recipient accept LF, and
// Tornado does); a CR anywhere else is an error. Names are canonicalised
// in place, in b.
//
// It returns n, the length of the head with its blank line. When b holds
// no complete head, n is 0 and partial is the offset of the first line
// not yet complete; r and h are then incomplete. Heads longer than
// maxSize fail with 431 as soon as that is known.
func parseHead(b []byte, r *Request, h *headInfo, maxSize int) (n, partial int, err *ParseError) {
	var s headScan
	if n, err = s.parse(b, r, h, maxSize); err != nil || n == 0 {
		return 0, int(s.line), err
	}
	if err := checkHead(r, h); err != nil {
		return 0, 0, err
	}
	return n, 0, nil
}

// headScan is where the parse of a head arriving in pieces stands: line
// is the offset of the first line not yet parsed, seen how far the search
// for its LF has gone. Each line is parsed once, as soon as it is
// complete, and each byte searched once, so the work is linear however
// the head is split, and every refusal comes as soon as its evidence has
// arrived: the verdict never depends on how the bytes arrive.
type headScan struct {
	line, seen int32
}

// parse parses the complete lines of the head in b from s.line on into r
// and h (line 0 is the request line), and checks the incomplete tail for
// a bare CR. It returns the head's length with its blank line once that
// has arrived (the caller applies checkHead), or 0.
//
// r and h hold views into b: a caller that resumes with a new b (the old
// one gone) must not read them, only let parse add to them.
func (s *headScan) parse(b []byte, r *Request, h *headInfo, maxSize int) (int, *ParseError) {
	for {
		start := int(s.line)
		from := max(start, int(s.seen))
		nl := bytes.IndexByte(b[from:], '\n')
		if nl < 0 {
			// A CR followed by anything but LF is refused at once; the
			// search covers the limit only, so that a head over it is
			// refused alike (431) however it is split.
			tail := b[max(from-1, start):min(len(b), max(maxSize, start))]
			if bareCR(tail) {
				return 0, errBadLineEnding
			}
			if len(b) > maxSize {
				return 0, errHeadTooLarge
			}
			s.seen = int32(len(b))
			return 0, nil
		}
		end := from + nl
		if end+1 > maxSize {
			if start < maxSize && bareCR(b[start:maxSize]) {
				return 0, errBadLineEnding
			}
			return 0, errHeadTooLarge
		}
		line := b[start:end]
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		s.line, s.seen = int32(end+1), int32(end+1)
		if start == 0 {
			if err := parseRequestLine(line, r); err != nil {
				return 0, err
			}
			*h = headInfo{length: -1}
			continue
		}
		if len(line) == 0 {
			return end + 1, nil
		}
		if h.fields++; h.fields > maxHeaderFields {
			return 0, errTooManyFields
		}
		if err := parseField(line, r, h); err != nil {
			return 0, err
		}
	}
}

// bareCR reports whether b holds a CR followed by a byte other than LF
// (a CR at its end is undecided).
func bareCR(b []byte) bool {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 || i+1 == len(b) {
			return false
		}
		if b[i+1] != '\n' {
			return true
		}
		b = b[i+2:]
	}
}

// parseRequestLine parses "method SP request-target SP HTTP-version" with
// the rules of httputil.ParseRequestLine (single spaces, a token method,
// VCHAR target, HTTP/1.x), inline and without allocating.
func parseRequestLine(line []byte, r *Request) *ParseError {
	if len(line) == 0 {
		return errLeadingBlank
	}
	sp1 := bytes.IndexByte(line, ' ')
	if sp1 <= 0 {
		return errBadRequestLine
	}
	method, rest := line[:sp1], line[sp1+1:]
	sp2 := bytes.IndexByte(rest, ' ')
	if sp2 <= 0 {
		return errBadRequestLine
	}
	for _, c := range method {
		if chars[c]&cToken == 0 {
			return errBadMethod
		}
	}
	target, version := rest[:sp2], rest[sp2+1:]
	if !validTarget(target) {
		return errBadTarget
	}
	// RFC 9112 section 2.3: a 1.x message with a higher minor version is
	// served as 1.1 (and answered in 1.1); "HTTP/1.10" and the like are
	// not a version.
	switch {
	case len(version) != 8 || string(version[:7]) != "HTTP/1.":
		return errBadVersion
	case version[7] == '0':
		r.Version = "HTTP/1.0"
	case version[7] >= '1' && version[7] <= '9':
		r.Version = "HTTP/1.1"
	default:
		return errBadVersion
	}
	r.Method = internMethod(method)
	if !validTargetForm(target, r.Method) {
		return errBadTarget
	}
	r.URI = view(target)
	if q := bytes.IndexByte(target, '?'); q >= 0 {
		r.Path, r.Query = view(target[:q]), view(target[q+1:])
	} else {
		r.Path, r.Query = r.URI, ""
	}
	return nil
}

// validTarget checks the bytes of a request-target: VCHAR (RFC 9112
// section 3.2), no "#" (the grammar has no fragment) and each "%"
// followed by two hex digits (RFC 3986 section 2.1). An invalid
// request-line SHOULD be answered 400 (RFC 9112 section 3).
func validTarget(t []byte) bool {
	for i := 0; i < len(t); i++ {
		c := t[i]
		if chars[c]&cTarget != 0 {
			continue
		}
		if c != '%' || i+2 >= len(t) || chars[t[i+1]]&chars[t[i+2]]&cHex == 0 {
			return false
		}
		i += 2
	}
	return true
}

// validTargetForm checks the four forms of RFC 9112 section 3.2:
// origin-form ("/p?q"), absolute-form ("http://h/p"), authority-form
// ("h:443", CONNECT only) and asterisk-form ("*", OPTIONS only).
func validTargetForm(t []byte, method string) bool {
	switch {
	case t[0] == '/':
		return true
	case method == "CONNECT":
		return bytes.IndexByte(t, '/') < 0 && bytes.IndexByte(t, ':') > 0
	case len(t) == 1 && t[0] == '*':
		return method == "OPTIONS"
	}
	// absolute-form: scheme "://" ...; a scheme is ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
	i := bytes.Index(t, []byte("://"))
	if i <= 0 {
		return false
	}
	for k, c := range t[:i] {
		alpha := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !alpha && (k == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// parseField parses one "name: value" line (without its line end),
// canonicalises the name in place and adds the field to r.Header,
// noting the fields that decide the framing in h.
func parseField(line []byte, r *Request, h *headInfo) *ParseError {
	if isOWS(line[0]) {
		return errObsFold // RFC 9112 section 5.2: reject, as Tornado 7 will
	}
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		if colon == 0 {
			return errBadHeaderName
		}
		return errNoColon
	}
	name := line[:colon]
	upper := true
	for k, c := range name {
		if chars[c]&cToken == 0 {
			return errBadHeaderName // includes SP before the colon (section 5.1)
		}
		if upper {
			if 'a' <= c && c <= 'z' {
				name[k] = c - ('a' - 'A')
			}
		} else if 'A' <= c && c <= 'Z' {
			name[k] = c + ('a' - 'A')
		}
		upper = c == '-'
	}
	value := trimOWS(line[colon+1:])
	if !validValue(value) {
		return errBadHeaderValue // CR, NUL and other controls
	}
	switch len(name) {
	case 4:
		if string(name) == "Host" {
			h.hosts++
			h.host = value
		}
	case 6:
		if string(name) == "Expect" && equalFoldASCII(value, "100-continue") {
			h.expect100 = true
		}
	case 10:
		if string(name) == "Connection" {
			connectionOptions(value, h)
		}
	case 14:
		if string(name) == "Content-Length" {
			if err := contentLength(value, h); err != nil {
				return err
			}
		}
	case 16:
		if string(name) == "Content-Encoding" && equalFoldASCII(value, "gzip") {
			h.gzip = true
		}
	case 17:
		if string(name) == "Transfer-Encoding" {
			// Exactly one field, exactly "chunked" (any case): another
			// coding, a list or a second field is refused, as Tornado
			// 6.4.1 and Go (which says 501) do.
			if h.te || !equalFoldASCII(value, "chunked") {
				return errBadTE
			}
			h.te, h.chunked = true, true
		}
	}
	r.Header.Add(view(name), view(value))
	return nil
}

// connectionOptions notes the close and keep-alive options of a
// Connection field (a comma-separated token list).
func connectionOptions(v []byte, h *headInfo) {
	for len(v) > 0 {
		var opt []byte
		if i := bytes.IndexByte(v, ','); i >= 0 {
			opt, v = v[:i], v[i+1:]
		} else {
			opt, v = v, nil
		}
		opt = trimOWS(opt)
		switch {
		case equalFoldASCII(opt, "close"):
			h.connClose = true
		case equalFoldASCII(opt, "keep-alive"):
			h.connKeep = true
		}
	}
}

// maxLengthDigits is the most digits a Content-Length may have before it
// cannot be an int64; anything longer is far over any body limit.
const maxLengthDigits = 18

// contentLength parses a Content-Length value: 1*DIGIT (Tornado 6.3.3),
// or a list of identical ones ("3, 3", which RFC 9110 section 8.6 lets a
// recipient accept and Tornado does). Every Content-Length field of the
// request must agree.
func contentLength(v []byte, h *headInfo) *ParseError {
	for {
		var elem []byte
		i := bytes.IndexByte(v, ',')
		if i >= 0 {
			elem = trimOWS(v[:i])
		} else {
			elem = v // already trimmed
		}
		if len(elem) == 0 {
			return errBadLength
		}
		var n int64
		for _, c := range elem {
			if c < '0' || c > '9' {
				return errBadLength
			}
			if n < math.MaxInt64/10-1 {
				n = n*10 + int64(c-'0')
			}
		}
		if len(elem) > maxLengthDigits {
			n = math.MaxInt64 // valid digits, too many of them: 413
		}
		if h.length >= 0 && h.length != n {
			return errDifferentLengths
		}
		h.length = n
		if i < 0 {
			return nil
		}
		v = trimOWS(v[i+1:])
	}
}

// checkHead applies the rules that need the whole head: Host, and the
// framing fields together (RFC 9112 sections 3.2 and 6).
func checkHead(r *Request, h *headInfo) *ParseError {
	if h.hosts > 1 {
		return errMultipleHost
	}
	if h.hosts == 0 && r.Version == "HTTP/1.1" {
		return errMissingHost
	}
	for _, c := range h.host {
		if chars[c]&cHost == 0 {
			return errBadHost
		}
	}
	if h.te {
		if h.length >= 0 {
			return errLengthAndTE // section 6.1: a smuggling attempt, never guess
		}
		if r.Version == "HTTP/1.0" {
			return errTEInHTTP10 // section 6.1: faulty framing
		}
	}
	return nil
}
