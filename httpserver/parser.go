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
// not yet complete, where a later scan resumes; r and h are then
// incomplete and must be reset. Heads longer than maxSize fail with 431
// as soon as that is known.
func parseHead(b []byte, r *Request, h *headInfo, maxSize int) (n, partial int, err *ParseError) {
	nl := bytes.IndexByte(b, '\n')
	if nl < 0 {
		if len(b) > maxSize {
			return 0, 0, errHeadTooLarge
		}
		return 0, 0, nil
	}
	if nl+1 > maxSize {
		return 0, 0, errHeadTooLarge
	}
	line := b[:nl]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	if err := parseRequestLine(line, r); err != nil {
		return 0, 0, err
	}
	*h = headInfo{length: -1}
	fields := 0
	pos := nl + 1
	for {
		nl := bytes.IndexByte(b[pos:], '\n')
		if nl < 0 {
			if len(b) > maxSize {
				return 0, 0, errHeadTooLarge
			}
			return 0, pos, nil
		}
		end := pos + nl
		if end+1 > maxSize {
			return 0, 0, errHeadTooLarge
		}
		line := b[pos:end]
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		pos = end + 1
		if len(line) == 0 {
			break
		}
		if fields++; fields > maxHeaderFields {
			return 0, 0, errTooManyFields
		}
		if err := parseField(line, r, h); err != nil {
			return 0, 0, err
		}
	}
	if err := checkHead(r, h); err != nil {
		return 0, 0, err
	}
	return pos, 0, nil
}

// parseRequestLine parses "method SP request-target SP HTTP-version" with
// the rules of httputil.ParseRequestLine (single spaces, a token method,
// VCHAR target, HTTP/1.0 or HTTP/1.1), inline and without allocating.
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
	for _, c := range target {
		if chars[c]&cVChar == 0 {
			return errBadTarget
		}
	}
	switch string(version) {
	case "HTTP/1.1":
		r.Version = "HTTP/1.1"
	case "HTTP/1.0":
		r.Version = "HTTP/1.0"
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

// headScan is where the search for the end of a head stopped: line is
// the offset of the first line not known complete, seen how far the
// search for its LF has gone. Resuming from seen keeps the search linear
// however the head is split across reads.
type headScan struct {
	line, seen int32
}

// scan looks for the end of a head in b, resuming where the last call
// stopped. It returns the head's length with its blank line, or 0. An
// empty first line (two blank lines before a request line) ends the head
// too; parseHead then refuses it.
func (s *headScan) scan(b []byte) int {
	for {
		from := int(max(s.line, s.seen))
		nl := bytes.IndexByte(b[from:], '\n')
		if nl < 0 {
			s.seen = int32(len(b))
			return 0
		}
		end := from + nl
		start := int(s.line)
		s.line, s.seen = int32(end+1), int32(end+1)
		if end == start || (end == start+1 && b[start] == '\r') {
			return end + 1
		}
	}
}
