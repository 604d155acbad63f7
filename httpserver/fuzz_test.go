package httpserver

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// parseMessage runs the server's parser over one complete message in data,
// as a connection would: one leading empty line skipped, the head, then
// the body by Content-Length or chunked. It returns the request, its body,
// and the refusal (nil when accepted). An incomplete message is refused
// with errIncomplete.
func parseMessage(data []byte) (*Request, []byte, *ParseError) {
	data = bytes.Clone(data) // the parser canonicalises in place
	if len(data) > 0 && data[0] == '\n' {
		data = data[1:]
	} else if len(data) > 1 && data[0] == '\r' && data[1] == '\n' {
		data = data[2:]
	}
	r := &Request{}
	var h headInfo
	n, _, err := parseHead(data, r, &h, DefaultMaxHeaderSize)
	if err != nil {
		return nil, nil, err
	}
	if n == 0 {
		return nil, nil, errIncomplete
	}
	rest := data[n:]
	switch {
	case h.chunked:
		var k chunkReader
		var body []byte
		_, done, err := k.decode(rest, &body, DefaultMaxBodySize)
		if err != nil {
			return nil, nil, err
		}
		if !done {
			return nil, nil, errIncomplete
		}
		return r, body, nil
	case h.length > DefaultMaxBodySize:
		return nil, nil, errBodyTooLarge
	case h.length > 0:
		if int64(len(rest)) < h.length {
			return nil, nil, errIncomplete
		}
		return r, rest[:h.length], nil
	}
	return r, nil, nil
}

var errIncomplete = &ParseError{0, "incomplete message"}

// Documented differences with net/http's ReadRequest (Go 1.26), where
// tornago follows RFC 9112 or Tornado 6.5 more strictly. When only
// tornago refuses, its reason must be one of these:
var strictOnlyHere = map[*ParseError]string{
	errObsFold:        "RFC 9112 §5.2: obs-fold may be refused; Go joins the lines",
	errBadTarget:      "RFC 9112 §3.2: target must be VCHARs in one of four forms, without '#'; Go takes non-ASCII bytes, '#', '*' for any method, any scheme:opaque",
	errBadVersion:     "RFC 9112 §2.3: only HTTP/1.x is understood (1.2 and up as 1.1); Go's ReadRequest takes any HTTP/x.y",
	errBadHost:        "RFC 9110 §7.2 host syntax; Go's server (not ReadRequest) checks it",
	errMissingHost:    "RFC 9112 §3.2: Go's server refuses it too, after ReadRequest",
	errMultipleHost:   "RFC 9112 §3.2: Go's server refuses it too, after ReadRequest",
	errTEInHTTP10:     "RFC 9112 §6.1: Transfer-Encoding in 1.0 is faulty framing; Go ignores it",
	errLengthAndTE:    "RFC 9112 §6.1: a smuggling signal; Go decodes by Transfer-Encoding",
	errTooManyFields:  "tornago's 100-field limit",
	errBadChunkSize:   "RFC 9112 §7.1: no whitespace after a chunk size without ';', no bare LF; Go trims whitespace",
	errBadTrailer:     "trailers are checked as header fields and need CRLF; Go is looser",
	errBadTE:          "Tornado 6.4.1: exactly one Transfer-Encoding field, exactly chunked",
	errBadHeaderValue: "RFC 9110 §5.5: no controls in values; Go lets some through (e.g. in trailers)",
	errNoColon:        "Go takes some colon-less lines after obs-fold handling",
	errBadLineEnding:  "bare CR",
	errBadRequestLine: "single SP separators only",
	errLeadingBlank:   "two empty lines before a request line",
	errBadChunkEnd:    "chunk data must end in CRLF",
	errChunkExtBudget: "chunk extension budget",
	errBadHeaderName:  "Go's textproto takes some names tornago refuses in trailers",
}

// When only tornago accepts: a Content-Length list of equal values
// ("3, 3", RFC 9110 §8.6 and Tornado), one leading empty line (RFC 9112
// §2.2), whitespace before a chunk extension's ';' (BWS, RFC 9112
// §7.1.1), or a chunk size whose leading zeros take it past 16 digits
// (RFC 9112 §7.1: 1*HEXDIG; Go counts the zeros against its cap).
func acceptedOnlyHere(data []byte, r *Request) bool {
	if bytes.HasPrefix(data, []byte("\n")) || bytes.HasPrefix(data, []byte("\r\n")) {
		return true
	}
	if v, ok := r.Header.Lookup("Content-Length"); ok && strings.Contains(v, ",") {
		return true
	}
	if r.Header.Has("Transfer-Encoding") && (bytes.Contains(data, []byte(" ;")) || bytes.Contains(data, []byte("\t;"))) {
		return true
	}
	if r.Header.Has("Transfer-Encoding") && zeroPaddedChunkSize(data) {
		return true
	}
	return false
}

// hasObsFold reports whether a header line of data (before the first
// empty line) starts with SP or HT. Tornago judges each field line as
// it arrives and refuses the fold when it reaches it, so a field that
// is malformed until Go joins the next line to it (an empty
// Content-Length followed by " 0") is refused for its own fault first.
func hasObsFold(data []byte) bool {
	first := true
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			if first {
				continue // a leading empty line before the request line
			}
			return false
		}
		if !first && (line[0] == ' ' || line[0] == '\t') {
			return true
		}
		first = false
	}
	return false
}

// zeroPaddedChunkSize reports whether a line of data starts with more
// than 16 hex digits of which leading zeros make the excess: RFC 9112
// section 7.1 allows them, net/http counts them against its cap.
func zeroPaddedChunkSize(data []byte) bool {
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		i := 0
		for i < len(line) && chars[line[i]]&cHex != 0 {
			i++
		}
		z := 0
		for z < i && line[z] == '0' {
			z++
		}
		if i > 16 && i-z <= maxChunkDigits {
			return true
		}
	}
	return false
}

// FuzzParseRequest checks the parser against net/http's ReadRequest: both
// refuse a message, or both accept it with the same method, target, header
// fields and body; differences must be in the documented lists above.
func FuzzParseRequest(f *testing.F) {
	for _, tt := range requestTests {
		f.Add([]byte(tt.raw))
	}
	f.Add([]byte("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n"))
	f.Add([]byte("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n"))
	f.Add([]byte("GET / HTTP/1.1\r\nX: a\rb"))
	f.Add([]byte("GET / HTTP/1.1\r\nBad line\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, body, err := parseMessage(data)

		// Never two readings: parsing the message split at any point,
		// incrementally, gives the same result as parsing it whole.
		checkSplit(t, data, err)

		greq, gerr := http.ReadRequest(bufio.NewReader(bytes.NewReader(data)))
		var gbody []byte
		if gerr == nil {
			gbody, gerr = io.ReadAll(greq.Body)
		}
		switch {
		case err != nil && gerr != nil:
			return
		case err != nil:
			if err == errIncomplete || err == errBodyTooLarge || err == errHeadTooLarge {
				return
			}
			if _, ok := strictOnlyHere[err]; !ok && !hasObsFold(data) {
				t.Fatalf("tornago refuses (%s), net/http accepts %q", err.Reason, data)
			}
			return
		case gerr != nil:
			if !acceptedOnlyHere(data, r) {
				t.Fatalf("tornago accepts, net/http refuses (%v): %q", gerr, data)
			}
			return
		}
		if r.Method != greq.Method || r.URI != greq.RequestURI {
			t.Fatalf("request line: %q %q vs %q %q", r.Method, r.URI, greq.Method, greq.RequestURI)
		}
		if !bytes.Equal(body, gbody) {
			t.Fatalf("body %q vs %q", body, gbody)
		}
		var mine, theirs []string
		for k, v := range r.Header.All() {
			// Go drops Host and Transfer-Encoding from the map and
			// merges identical Content-Length fields.
			if k != "Host" && k != "Transfer-Encoding" && k != "Content-Length" {
				mine = append(mine, k+": "+v)
			}
		}
		for k, vs := range greq.Header {
			if k != "Transfer-Encoding" && k != "Content-Length" {
				for _, v := range vs {
					theirs = append(theirs, k+": "+v)
				}
			}
		}
		slices.Sort(mine)
		slices.Sort(theirs)
		if !slices.Equal(mine, theirs) {
			t.Fatalf("headers %q vs %q", mine, theirs)
		}
	})
}

// checkSplit feeds data to a conn-like incremental parse in two pieces
// and checks the verdict (the status, or still waiting) equals the
// one-piece parse's: a refusal must come as soon as its evidence has
// arrived, whatever the split, never after a wait for more input.
func checkSplit(t *testing.T, data []byte, whole *ParseError) {
	cuts := []int{1, len(data) / 2, len(data) - 1}
	if len(data) <= 256 {
		cuts = cuts[:0]
		for cut := 1; cut < len(data); cut++ {
			cuts = append(cuts, cut)
		}
	}
	for _, cut := range cuts {
		if cut <= 0 || cut >= len(data) {
			continue
		}
		got := incrementalOutcome(data, cut)
		if statusOf(got) != statusOf(whole) {
			t.Fatalf("split at %d: %v, whole: %v (%q)", cut, got, whole, data)
		}
	}
}

// statusOf is the answer err gives: 0 for still waiting or accepted.
func statusOf(err *ParseError) int {
	if err == nil {
		return 0
	}
	return err.Status
}

// incrementalOutcome parses data as the connection does when it arrives
// as data[:cut] then the rest: the head parsed line by line, resumed
// where the first piece stopped, then parsed again whole.
func incrementalOutcome(data []byte, cut int) *ParseError {
	all := bytes.Clone(data)
	skip := 0
	if len(all) > 0 && all[0] == '\n' {
		skip = 1
	} else if len(all) > 1 && all[0] == '\r' && all[1] == '\n' {
		skip = 2
	}
	if cut <= skip {
		_, _, err := parseMessage(data)
		return err
	}
	first := bytes.Clone(data[skip:cut])
	r := &Request{}
	var h headInfo
	var s headScan
	n, err := s.parse(first, r, &h, DefaultMaxHeaderSize)
	if err == nil && n == 0 {
		r.reset()
		if n, err = s.parse(all[skip:], r, &h, DefaultMaxHeaderSize); err == nil && n > 0 {
			r.reset()
			s = headScan{}
			n, err = s.parse(all[skip:], r, &h, DefaultMaxHeaderSize)
		}
	}
	if err == nil && n > 0 {
		err = checkHead(r, &h)
	}
	if err != nil {
		return err
	}
	if n == 0 {
		return errIncomplete
	}
	_, _, err = parseMessage(data) // the body, read incrementally by the conn
	return err
}

// FuzzValidValue checks the word-at-a-time value check against the
// byte table.
func FuzzValidValue(f *testing.F) {
	f.Add([]byte("text/html,application/xhtml+xml\t\x80\xff"))
	f.Add([]byte("0123456789abcdef\x7f"))
	f.Fuzz(func(t *testing.T, v []byte) {
		want := true
		for _, c := range v {
			if chars[c]&cValue == 0 {
				want = false
			}
		}
		if got := validValue(v); got != want {
			t.Fatalf("validValue(%q) = %v", v, got)
		}
	})
}
