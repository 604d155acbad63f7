package httputil

import "strings"

// A RequestLine is the first line of an HTTP/1.x request, Tornado's
// RequestStartLine.
type RequestLine struct {
	Method  string // a token, e.g. "GET"
	Target  string // the request-target, e.g. "/index.html?q=1", undecoded
	Version string // "HTTP/1.0" or "HTTP/1.1"
}

// ParseRequestLine parses "METHOD SP target SP HTTP-version" (RFC 9112
// section 3), without its line ending. Exactly one space separates the
// three parts; the method must be a token, the target one or more visible
// ASCII characters (VCHAR), and the version exactly "HTTP/1.0" or
// "HTTP/1.1". Anything else is an *InputError.
//
// That is stricter than Tornado, which takes any "HTTP/1.d": a server that
// understands only 1.0 and 1.1 has no reading of "HTTP/1.7" it could be
// sure of, and "HTTP/2.0", "http/1.1" or "HTTP/1.1 " are refused too.
//
// The fields are substrings of line; on success nothing is allocated.
func ParseRequestLine(line string) (RequestLine, error) {
	sp1 := strings.IndexByte(line, ' ')
	if sp1 < 0 {
		return RequestLine{}, inputError("malformed HTTP request line")
	}
	method, rest := line[:sp1], line[sp1+1:]
	sp2 := strings.IndexByte(rest, ' ')
	if sp2 < 0 {
		return RequestLine{}, inputError("malformed HTTP request line")
	}
	target, version := rest[:sp2], rest[sp2+1:]
	if !ValidToken(method) {
		return RequestLine{}, inputError("malformed HTTP method " + quoteForError(method))
	}
	if !validTarget(target) {
		return RequestLine{}, inputError("malformed HTTP request target")
	}
	if version != "HTTP/1.1" && version != "HTTP/1.0" {
		return RequestLine{}, inputError("unsupported HTTP version " + quoteForError(version))
	}
	return RequestLine{Method: method, Target: target, Version: version}, nil
}

// validTarget reports whether s is one or more VCHARs (0x21-0x7E): the
// request-target forms of RFC 9112 section 3.2 contain nothing else.
func validTarget(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}
