package conformance

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
)

// fuzzMaxInput bounds a fuzz input. Below 4 KiB no limit of either
// parser decides: net/http reads chunk lines and trailers through a
// 4096-byte bufio.Reader (as its server does), tornago bounds a chunk
// line at 4 KiB, and tornago's other limits (64 KiB head, 16 KiB of
// extensions and of trailers) are larger still. The limits themselves
// are the table's rows (head-too-large, chunk-ext-long, too-many-fields).
const fuzzMaxInput = 4 << 10

// fuzzDeadline bounds one input's conversation with tornago; the input is
// half-closed after it is written, so the server always has an answer.
const fuzzDeadline = 2 * time.Second

// reading is what a server that accepts a request sees of it.
type reading struct {
	method  string
	target  string
	bodyLen int
	fields  string // the header fields, as fieldsText writes them
}

// view is what a server made of the first request of an input.
type view struct {
	accepted bool
	reading
	detail string // the refusal: tornago's status and logged reason, net/http's error
}

func (v view) String() string {
	if !v.accepted {
		return "rejected (" + v.detail + ")"
	}
	return fmt.Sprintf("accepted %q %q body=%d fields=%q", v.method, v.target, v.bodyLen, v.fields)
}

// fieldsText writes h as one "Name: value\n" line per value: names in
// sorted order, because net/http's Header is a map and keeps no order
// between names, and the values of a name in the order they arrived,
// which both parsers keep.
func fieldsText(h http.Header) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			b.WriteString(name + ": " + v + "\n")
		}
	}
	return b.String()
}

// refusals is the fuzz server's log handler: it keeps, per client IP,
// the reason of the last request tornago refused from it (the Info
// record httpserver logs before it answers), so that an exception can
// name the rule tornago applied and not only the input's shape.
type refusals struct {
	mu     sync.Mutex
	reason map[string]string
}

func (r *refusals) Enabled(context.Context, slog.Level) bool { return true }

func (r *refusals) Handle(_ context.Context, rec slog.Record) error {
	var ip, reason string
	rec.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "remote":
			ip = a.Value.String()
		case "reason":
			reason = a.Value.String()
		}
		return true
	})
	if reason != "" {
		r.mu.Lock()
		r.reason[ip] = reason
		r.mu.Unlock()
	}
	return nil
}

func (r *refusals) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *refusals) WithGroup(string) slog.Handler      { return r }

// take returns and forgets the reason last logged for ip.
func (r *refusals) take(ip string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.reason[ip]
	delete(r.reason, ip)
	return s
}

var (
	fuzzOnce    sync.Once
	fuzzAddr    string
	fuzzErr     error
	fuzzRefused = &refusals{reason: map[string]string{}}

	// fuzzPeers counts the connections to the fuzz server; each comes
	// from its own loopback address, because httpserver logs a refusal
	// with the client's IP only, and a connection of an earlier input
	// may still be refusing its pipelined rest while the next is sent.
	fuzzPeers atomic.Uint32
)

// fuzzServer is a tornago server whose handler echoes the method, target,
// body length and every header field of any request (no /status/ paths),
// in its X-Echo response field, so that every accepted request is
// recognisable and fully visible.
func fuzzServer(tb testing.TB) string {
	fuzzOnce.Do(func() {
		srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
			var b strings.Builder
			fmt.Fprintf(&b, "%s\n%s\n%d\n", r.Method, r.URI, len(r.Body))
			for name, value := range r.Header.All() {
				b.WriteString(name + ": " + value + "\n")
			}
			// In a response field, not the body, so that a HEAD
			// request's reading is seen too.
			w.Header().Set("X-Echo", strconv.QuoteToASCII(b.String()))
			w.Finish()
		}), httpserver.Options{Logger: slog.New(fuzzRefused)})
		if fuzzErr = srv.Listen(0, "127.0.0.1"); fuzzErr == nil {
			fuzzAddr = srv.Addr().String()
		}
	})
	if fuzzErr != nil {
		tb.Fatal(fuzzErr)
	}
	return fuzzAddr
}

// checkPeers skips the fuzz target where the 127.1.x.y addresses
// tornagoView connects from cannot be bound (EADDRNOTAVAIL: a platform
// where only 127.0.0.1 is loopback, as macOS by default), rather than
// fail every input; in CI (CI=true), where they must work, it fails.
func checkPeers(tb testing.TB) {
	l, err := net.Listen("tcp4", "127.1.0.1:0")
	if err == nil {
		l.Close()
		return
	}
	if !errors.Is(err, syscall.EADDRNOTAVAIL) || os.Getenv("CI") == "true" {
		tb.Fatalf("binding a 127.1.x.y source address: %v", err)
	}
	tb.Skipf("only 127.0.0.1 is loopback here (%v): the fuzz server tells inputs apart by their 127.1.x.y source addresses", err)
}

// refusalStatus reports whether tornago's status code refuses a request:
// a 4xx (httpserver's ParseErrors answer 400, 408, 413 and 431), or the
// 501 and 505 RFC 9110 §15.6 gives an unimplemented coding or version.
// Any other status, a 500 from a panic in the echo handler above all,
// is a failure and not a refusal.
func refusalStatus(code int) bool {
	return code >= 400 && code < 500 || code == 501 || code == 505
}

// splitPause separates the two writes of one split input in four, so
// that the server surely reads them apart (a sleep costs about a
// millisecond here); the other splits rely on the two writes leaving as
// two segments (TCP_NODELAY), which the server often reads apart.
const splitPause = 50 * time.Microsecond

// tornagoView sends data to tornago on a new connection (in two writes,
// split at split, when 0 < split < len(data), with splitPause between
// them if pause), half-closes it, and reads the first final response.
func tornagoView(addr string, data []byte, split int, pause bool) (view, error) {
	n := fuzzPeers.Add(1)
	peer := net.IPv4(127, 1, byte(n/250%250), byte(1+n%250))
	fuzzRefused.take(peer.String())
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: peer}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		return view{}, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(fuzzDeadline))
	go func() {
		if split > 0 && split < len(data) {
			c.Write(data[:split])
			if pause {
				time.Sleep(splitPause)
			}
			data = data[split:]
		}
		c.Write(data)
		c.(*net.TCPConn).CloseWrite()
	}()
	// Only the head of the first final response matters: no body is
	// read (it is empty, and a HEAD response's framing would need the
	// method).
	br := bufio.NewReader(c)
	for {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return view{}, fmt.Errorf("tornago neither answered nor closed within %v", fuzzDeadline)
			}
			return view{detail: "closed without a response: " + fuzzRefused.take(peer.String())}, nil
		}
		if resp.StatusCode < 200 {
			continue
		}
		if resp.StatusCode != 200 {
			reason := fuzzRefused.take(peer.String())
			if !refusalStatus(resp.StatusCode) {
				return view{}, fmt.Errorf("tornago answered %s (%q), which refuses nothing", resp.Status, reason)
			}
			return view{detail: resp.Status + ": " + reason}, nil
		}
		echo, err := strconv.Unquote(resp.Header.Get("X-Echo"))
		lines := strings.Split(echo, "\n")
		if err != nil || len(lines) < 4 || lines[len(lines)-1] != "" {
			return view{}, fmt.Errorf("tornago's echo is malformed: %q", resp.Header.Get("X-Echo"))
		}
		n, _ := strconv.Atoi(lines[2])
		h := http.Header{}
		for _, l := range lines[3 : len(lines)-1] {
			// A name is a token: the first ": " ends it. The names are
			// tornago's own (no canonicalisation here).
			name, value, ok := strings.Cut(l, ": ")
			if !ok {
				return view{}, fmt.Errorf("tornago's echo has a malformed field %q", l)
			}
			h[name] = append(h[name], value)
		}
		return view{accepted: true, reading: reading{method: lines[0], target: lines[1], bodyLen: n, fields: fieldsText(h)}}, nil
	}
}

// readHead reads the head of data as net/http's readRequest does, with a
// textproto.Reader (the request line, then ReadMIMEHeader), and returns
// the request line and the fields as read: canonical names, values
// trimmed of SP and HTAB, obs-fold unfolded, and nothing yet moved out.
func readHead(data []byte) (string, http.Header, error) {
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(data)))
	line, err := tp.ReadLine()
	if err != nil {
		return "", nil, err
	}
	h, err := tp.ReadMIMEHeader()
	return line, http.Header(h), err
}

// movedFields are the fields net/http's ReadRequest takes out of
// req.Header or rewrites (Go 1.26 request.go and transfer.go):
//   - Host: ReadRequest deletes it, keeping req.Host, which prefers the
//     absolute-form target's authority to the field;
//   - Transfer-Encoding: parseTransferEncoding deletes it, keeping only
//     req.TransferEncoding = ["chunked"] (the value's case is lost), or
//     nothing at all in HTTP/1.0;
//   - Content-Length: fixLength replaces equal repeated fields by one,
//     and deletes the field of a chunked request;
//   - Trailer: fixTrailer moves the names of a chunked request's Trailer
//     field into req.Trailer;
//   - Cache-Control: fixPragmaCacheControl adds "no-cache" for
//     "Pragma: no-cache" without Cache-Control (RFC 7234 §5.4).
//
// netHTTPView puts back the fields as read for these names, and checks
// that req.Header then equals what was read: no other change goes
// unaccounted for.
var movedFields = []string{"Host", "Transfer-Encoding", "Content-Length", "Trailer", "Cache-Control"}

// netHTTPView is net/http's reading of data: http.ReadRequest, the body
// read to its end, and the checks net/http's server adds after
// ReadRequest (Go 1.26 server.go readRequest and serve): a supported
// version (505), Host required in 1.1 but for CONNECT and made of host
// bytes, field names and values valid, and an Expect without the
// 100-continue token refused (417). A request refused for its Expect
// alone keeps its reading, for the exception that excuses it.
func netHTTPView(data []byte) (view, error) {
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		return view{detail: err.Error()}, nil
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return view{detail: "body: " + err.Error()}, nil
	}
	if req.ProtoMajor != 1 && (req.ProtoMajor != 2 || req.ProtoMinor != 0 || req.Method != "PRI") {
		return view{detail: "505"}, nil
	}
	_, wire, err := readHead(data)
	if err != nil {
		return view{}, fmt.Errorf("textproto refuses a head ReadRequest accepted: %v", err)
	}
	hosts := wire["Host"]
	if req.ProtoAtLeast(1, 1) && len(hosts) == 0 && req.Method != "CONNECT" {
		return view{detail: "missing Host"}, nil
	}
	if len(hosts) == 1 && !validHost(hosts[0]) {
		return view{detail: "malformed Host"}, nil
	}
	for k, vv := range req.Header {
		if !isToken(k) {
			return view{detail: "invalid header name"}, nil
		}
		for _, v := range vv {
			if !validValue(v) {
				return view{detail: "invalid header value"}, nil
			}
		}
	}
	h := req.Header.Clone()
	for _, name := range movedFields {
		if vv, ok := wire[name]; ok {
			h[name] = vv
		} else {
			delete(h, name)
		}
	}
	if got, want := fieldsText(h), fieldsText(wire); got != want {
		return view{}, fmt.Errorf("net/http changed header fields beyond movedFields:\nread     %q\nreturned %q", want, got)
	}
	v := view{accepted: true, reading: reading{method: req.Method, target: req.RequestURI, bodyLen: len(b), fields: fieldsText(h)}}
	if e := req.Header.Get("Expect"); e != "" && !hasToken(e, "100-continue") {
		v.accepted, v.detail = false, "417"
	}
	return v, nil
}

// hasToken is net/http's hasToken: whether v contains token, in any
// case, between SP, HTAB or "," boundaries.
func hasToken(v, token string) bool {
	for i := 0; i+len(token) <= len(v); i++ {
		if (i == 0 || strings.IndexByte(" \t,", v[i-1]) >= 0) &&
			(i+len(token) == len(v) || strings.IndexByte(" \t,", v[i+len(token)]) >= 0) &&
			strings.EqualFold(v[i:i+len(token)], token) {
			return true
		}
	}
	return false
}

// isToken reports whether s is an RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"(),/:;<=>?@[\\]{}", c) >= 0 {
			return false
		}
	}
	return true
}

// validValue reports whether s has no control byte but HTAB (httpguts'
// ValidHeaderFieldValue).
func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// validHost is httpguts' ValidHostHeader: bytes of a uri-host and port.
func validHost(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alnum && strings.IndexByte("!$%&'()*+,-.:;=[]_~", c) < 0 {
			return false
		}
	}
	return true
}

// headLines returns the lines of the head of data (up to the first
// empty line, bare LF ends included).
func headLines(data []byte) []string {
	s := string(data)
	if i := strings.Index(s, "\n\r\n"); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	return strings.Split(s, "\n")
}

// bodyStart returns the offset of what follows the head of data (the
// first empty line after the request line), or -1.
func bodyStart(data []byte) int {
	for i, first := 0, true; i < len(data); first = false {
		nl := bytes.IndexByte(data[i:], '\n')
		if nl < 0 {
			return -1
		}
		line := data[i : i+nl]
		i += nl + 1
		if !first && (len(line) == 0 || string(line) == "\r") {
			return i
		}
	}
	return -1
}

// chunkLine is one line of a chunked body: its offsets in the input
// (without the line end) and whether it is a trailer field line.
type chunkLine struct {
	start, end int
	trailer    bool
}

// chunkLines walks the chunked body that follows the head of data as
// both parsers frame it (a size line, that many bytes, CRLF, ... up to
// the last chunk and the trailer section) and returns its size and
// trailer lines. It reads sizes leniently (leading hex digits, whatever
// follows), since it only locates the lines for the exceptions: which
// parser refused what is decided before.
func chunkLines(data []byte) []chunkLine {
	var lines []chunkLine
	i := bodyStart(data)
	if i < 0 {
		return nil
	}
	trailer := false
	for i < len(data) {
		nl := bytes.IndexByte(data[i:], '\n')
		if nl < 0 {
			nl = len(data) - i
		}
		end := i + nl
		if end > i && data[end-1] == '\r' {
			end--
		}
		if trailer && end == i {
			break
		}
		lines = append(lines, chunkLine{start: i, end: end, trailer: trailer})
		if !trailer {
			var size uint64
			j := i
			for ; j < end && hexVal(data[j]) >= 0; j++ {
				if size > 1<<40 {
					return lines
				}
				size = size<<4 | uint64(hexVal(data[j]))
			}
			if size == 0 {
				trailer = true
			} else {
				i = i + nl + 1 + int(size) + 2
				continue
			}
		}
		i += nl + 1
	}
	return lines
}

const hexDigits = "0123456789abcdefABCDEF"

// hexVal returns the value of the hex digit c, or -1.
func hexVal(c byte) int {
	i := strings.IndexByte(hexDigits, c)
	if i >= 16 {
		i -= 6
	}
	return i
}

// hexPrefix returns the number of hex digits s starts with.
func hexPrefix(s string) int {
	n := 0
	for n < len(s) && hexVal(s[n]) >= 0 {
		n++
	}
	return n
}

// rewriteChunkSizes returns data with each chunk-size line replaced by
// f's result, and whether f changed any.
func rewriteChunkSizes(data []byte, f func(string) string) ([]byte, bool) {
	var out []byte
	last, changed := 0, false
	for _, l := range chunkLines(data) {
		if l.trailer {
			continue
		}
		s := string(data[l.start:l.end])
		if t := f(s); t != s {
			out = append(append(out, data[last:l.start]...), t...)
			last, changed = l.end, true
		}
	}
	return append(out, data[last:]...), changed
}

// unpadSize drops the leading zeros of a chunk size longer than 16
// digits (net/http's limit), keeping at least one digit.
func unpadSize(line string) string {
	n := hexPrefix(line)
	if n <= 16 {
		return line
	}
	z := 0
	for z < n-1 && line[z] == '0' {
		z++
	}
	return line[z:]
}

// unBWS drops the whitespace between a chunk size and the ";" of its
// extension.
func unBWS(line string) string {
	n := hexPrefix(line)
	rest := strings.TrimLeft(line[n:], " \t")
	if len(rest) < len(line[n:]) && strings.HasPrefix(rest, ";") {
		return line[:n] + rest
	}
	return line
}

// The reasons httpserver logs for the refusals the exceptions excuse
// (httpserver/errors.go); a changed reason makes its exception fail
// loudly rather than excuse something else.
const (
	reasonBadRequestLine = "malformed request line"
	reasonLengthAndTE    = "both Content-Length and Transfer-Encoding"
	reasonTEInHTTP10     = "Transfer-Encoding in an HTTP/1.0 request"
	reasonBadTE          = "unsupported Transfer-Encoding"
	reasonBadLength      = "malformed Content-Length"
	reasonObsFold        = "obsolete line folding"
	reasonTooManyFields  = "too many header fields"
	reasonMissingHost    = "missing Host header"
	reasonBadTarget      = "malformed request target"
	reasonBadChunkSize   = "malformed chunk size"
	reasonBadTrailer     = "malformed trailer field"
)

// exception names the documented rule under which tornago and net/http
// may disagree on accepting data, or "" when they must agree. Each rule
// applies in one direction only, so that tornago accepting what it
// should refuse is never excused, and names both tornago's refusal (its
// logged reason) or reading and what net/http did. Each has a table row
// with the RFC rule tornago follows, but for targetRule's known
// departure.
func exception(data []byte, tv, nv view) string {
	if tv.accepted == nv.accepted {
		return ""
	}
	// The head as net/http reads it, once for all the rules.
	line, wire, err := readHead(data)
	if err != nil {
		// Only net/http can have refused it.
		wire = nil
	}
	if tv.accepted {
		return acceptedException(data, wire, tv, nv)
	}
	if err != nil {
		return ""
	}
	return refusedException(data, line, wire, tv, nv)
}

// acceptedException is exception where tornago accepts data and net/http
// refuses it; wire is the head as readHead reads it (nil if it cannot).
// In each case net/http, given the input as tornago's rule reads it,
// reads what tornago did.
func acceptedException(data []byte, wire http.Header, tv, nv view) string {
	// same reports whether net/http accepts data with tornago's reading,
	// the fields named except (if any) set aside: those the rule rewrote.
	same := func(data []byte, except string) bool {
		v, err := netHTTPView(data)
		if err != nil || !v.accepted {
			return false
		}
		got, want := v.reading, tv.reading
		if except != "" {
			got.fields, want.fields = withoutField(got.fields, except), withoutField(want.fields, except)
		}
		return got == want
	}
	switch {
	case nv.detail == "417" && nv.reading == tv.reading:
		// RFC 9110 §10.1.1: a server MAY answer 417 to an expectation
		// other than 100-continue; tornago ignores it, net/http's
		// server answers 417.
		return "Expect other than 100-continue"
	case data[0] == '\n' && same(data[1:], ""), bytes.HasPrefix(data, []byte("\r\n")) && same(data[2:], ""):
		// RFC 9112 §2.2: a server SHOULD ignore at least one empty line
		// before the request-line; net/http only does after a POST on
		// the same connection.
		return "leading empty line"
	}
	if d, ok := rewriteChunkSizes(data, unBWS); ok && same(d, "") {
		// RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS ... ); net/http
		// refuses whitespace before the ";".
		return "BWS before a chunk extension"
	}
	if d, ok := rewriteChunkSizes(data, unpadSize); ok && same(d, "") {
		// RFC 9112 §7.1: chunk-size = 1*HEXDIG; tornago caps the
		// significant digits at 15, net/http all digits at 16.
		return "leading zeros in a chunk size past 16 digits"
	}
	if n, ok := oneLength(wire["Content-Length"]); ok && strings.Contains(nv.detail, "Content-Length") {
		// RFC 9110 §8.6: a recipient MAY replace a list of identical
		// decimal values ("5, 5", or fields "5" and "05") by the one
		// value; net/http refuses a list, and different spellings of
		// one value in several fields. Given the one value, it reads
		// what tornago did; tornago's reading keeps the fields as sent.
		if d, ok := rewriteField(data, "Content-Length", "Content-Length: "+strconv.Itoa(n)); ok && same(d, "Content-Length") {
			return "Content-Length values all the same number"
		}
	}
	if len(wire["Trailer"]) > 0 && strings.Contains(nv.detail, "bad trailer key") {
		// RFC 9110 §6.5.1: trailer fields are kept apart from the
		// header fields. tornago discards them, so announcing
		// Content-Length or Transfer-Encoding as a trailer (RFC 9110
		// §6.6.2 has no rule against it) changes nothing; net/http
		// refuses the announcement, and reads what tornago did once
		// it announces a harmless name instead.
		if d, ok := rewriteField(data, "Trailer", "Trailer: X-T"); ok && same(d, "Trailer") {
			return "Trailer naming a framing field"
		}
	}
	return ""
}

// rewriteField returns data with the head's field lines named name (in
// any case, with their obs-fold continuation lines) replaced by the one
// line repl, in the place of the first, and whether there were any.
func rewriteField(data []byte, name, repl string) ([]byte, bool) {
	end := bodyStart(data)
	if end < 0 {
		return data, false
	}
	var out []byte
	found, dropping := false, false
	for i, first := 0, true; i < end; first = false {
		nl := bytes.IndexByte(data[i:end], '\n')
		l := data[i : i+nl+1]
		i += nl + 1
		if !first && foldLine(string(l)) {
			if !dropping {
				out = append(out, l...)
			}
			continue
		}
		n, _, ok := strings.Cut(string(l), ":")
		dropping = !first && ok && strings.EqualFold(n, name)
		switch {
		case !dropping:
			out = append(out, l...)
		case !found:
			out = append(out, repl+"\r\n"...)
			found = true
		}
	}
	return append(out, data[end:]...), found
}

// withoutField returns fields (as fieldsText writes them) without the
// lines of the field name, in any case.
func withoutField(fields, name string) string {
	var b strings.Builder
	for l := range strings.SplitAfterSeq(fields, "\n") {
		if n, _, _ := strings.Cut(l, ": "); !strings.EqualFold(n, name) {
			b.WriteString(l)
		}
	}
	return b.String()
}

// oneLength returns the value of Content-Length fields whose elements
// (comma-separated) are all the same decimal number.
func oneLength(vv []string) (int, bool) {
	n := -1
	for _, v := range vv {
		for e := range strings.SplitSeq(v, ",") {
			e = strings.Trim(e, " \t")
			m, err := strconv.Atoi(e)
			if err != nil || strings.Trim(e, "0123456789") != "" || n >= 0 && m != n {
				return 0, false
			}
			n = m
		}
	}
	return n, n >= 0
}

// refusedException is exception where tornago refuses data (for the
// reason it logged) and net/http accepts it; line and wire are the head
// as readHead reads it.
func refusedException(data []byte, line string, wire http.Header, tv, nv view) string {
	refused := func(reasons ...string) bool {
		for _, r := range reasons {
			if strings.HasSuffix(tv.detail, ": "+r) {
				return true
			}
		}
		return false
	}
	_, te := wire["Transfer-Encoding"]
	_, cl := wire["Content-Length"]
	switch {
	case te && strings.HasSuffix(line, " HTTP/1.0") && refused(reasonTEInHTTP10, reasonLengthAndTE, reasonBadTE):
		// RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message is
		// faulty framing; net/http ignores the field (golang/go#12785).
		return "Transfer-Encoding in HTTP/1.0"
	case te && cl && refused(reasonLengthAndTE):
		// RFC 9112 §6.1: a server MAY reject a request with both
		// Content-Length and Transfer-Encoding (a smuggling attempt);
		// net/http frames it by the Transfer-Encoding.
		return "Content-Length with Transfer-Encoding"
	case refused(reasonObsFold) && slices.ContainsFunc(headLines(data)[1:], foldLine):
		// RFC 9112 §5.2: a server MUST either reject obs-fold or
		// replace it with SP; tornago rejects, net/http unfolds.
		return "obs-fold"
	case folded(data, "Transfer-Encoding") && refused(reasonBadTE), folded(data, "Content-Length") && refused(reasonBadLength):
		// RFC 9112 §5.2 again: tornago judges the field's first line
		// (an empty value) and refuses before the fold.
		return "obs-fold of a framing field"
	case refused(reasonTooManyFields) && len(headLines(data)) > 101:
		// RFC 6585 §5: a server MAY refuse many fields (431); net/http
		// has no count limit. tornago's limit is 100.
		return "more than 100 fields"
	case refused(reasonMissingHost) && nv.method == "CONNECT" && len(wire["Host"]) == 0:
		// RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1
		// request without Host; net/http's server exempts CONNECT.
		return "CONNECT without Host"
	case refused(reasonBadRequestLine) && nv.method == "CONNECT" && nv.target == "":
		// tornago finds no target between the two SPs; net/http reads
		// a CONNECT's as an empty authority (any other method's it
		// refuses: "empty url").
		return targetRule(nv.method, nv.target)
	case refused(reasonBadTarget):
		return targetRule(nv.method, nv.target)
	case refused(reasonBadChunkSize):
		for _, l := range chunkLines(data) {
			if !l.trailer {
				if r := chunkSizeRule(string(data[l.start:l.end])); r != "" {
					return r
				}
			}
		}
	case refused(reasonBadTrailer):
		for _, l := range chunkLines(data) {
			if s := string(data[l.start:l.end]); l.trailer {
				if foldLine(s) {
					// RFC 9112 §5.2 (field lines, trailers included).
					return "obs-fold in a trailer"
				}
				if name, _, ok := strings.Cut(s, ":"); ok && strings.ContainsAny(name, " \t") {
					// RFC 9112 §5.1: no whitespace in a field name or
					// before its colon; net/http drops such trailers.
					return "whitespace in a trailer field name"
				}
			}
		}
	}
	return ""
}

// foldLine reports whether l is an obs-fold continuation line: one that
// starts with SP or HTAB.
func foldLine(l string) bool {
	return l != "" && (l[0] == ' ' || l[0] == '\t')
}

// folded reports whether the head of data has a field name (in any case)
// followed by an obs-fold continuation line.
func folded(data []byte, name string) bool {
	lines := headLines(data)
	for i := 1; i+1 < len(lines); i++ {
		n, _, ok := strings.Cut(lines[i], ":")
		if ok && strings.EqualFold(n, name) && foldLine(lines[i+1]) {
			return true
		}
	}
	return false
}

// targetRule names the RFC 9112 §3.2 rule by which tornago refuses a
// target net/http accepted, or "".
func targetRule(method, target string) string {
	if strings.ContainsFunc(target, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
		return "target not made of VCHARs (RFC 9112 §3.2)"
	}
	if strings.Contains(target, "#") {
		return "fragment in the target (RFC 9112 §3.2: the grammar has none)"
	}
	for i := 0; i < len(target); i++ {
		if target[i] == '%' && (i+2 >= len(target) || hexVal(target[i+1]) < 0 || hexVal(target[i+2]) < 0) {
			// net/http checks the escapes of the path, not the query's.
			return "malformed percent-encoding (RFC 3986 §2.1)"
		}
	}
	switch {
	case target == "":
		// Every form of request-target has at least one character.
		return "empty target (RFC 9112 §3.2)"
	case target[0] == '/':
		return ""
	case method == "CONNECT":
		// §3.2.3: authority-form = uri-host ":" port.
		return "CONNECT target not in authority-form (RFC 9112 §3.2.3)"
	case target == "*":
		return "asterisk-form other than for OPTIONS (RFC 9112 §3.2.4)"
	}
	scheme, rest, ok := strings.Cut(target, ":")
	if ok && scheme != "" && !strings.HasPrefix(rest, "//") {
		// Not a rule but a known departure, without a security
		// consequence: "a:b" is an absolute-URI, which RFC 9112 §3.2.2
		// says a server MUST accept; tornago takes "://" for the mark
		// of the absolute-form and answers 400.
		return "absolute-form without an authority (known departure)"
	}
	return ""
}

// chunkSizeRule names the RFC 9112 §7.1 rule by which tornago refuses a
// chunk-size line net/http accepted, or "".
func chunkSizeRule(line string) string {
	n := hexPrefix(line)
	rest := line[n:]
	if n > 0 && rest != "" && strings.Trim(rest, " \t") == "" {
		// chunk = chunk-size [ chunk-ext ] CRLF: no whitespace without
		// an extension. net/http trims it.
		return "whitespace after a chunk size (RFC 9112 §7.1)"
	}
	if _, ext, ok := strings.Cut(rest, ";"); ok && strings.ContainsFunc(ext, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
		// chunk-ext is tokens and quoted strings; net/http does not
		// look at extensions.
		return "control byte in a chunk extension (RFC 9112 §7.1.1)"
	}
	return ""
}

// FuzzRequestDiff checks that tornago and net/http read a request the same
// way: both reject it, or both accept it with the same method, target,
// body length and header fields (every name, every value, in order per
// name), except under the rules exception documents. It also sends the
// input to tornago a second time in two writes, split at a point derived
// from the input, and requires the same reading: a parser whose verdict
// depends on segmentation has two readings.
func FuzzRequestDiff(f *testing.F) {
	addr := fuzzServer(f)
	checkPeers(f)
	f.Add([]byte(get("/")))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			t.Skip()
		}
		tv, err := tornagoView(addr, data, 0, false)
		if err != nil {
			t.Fatalf("%v\ninput: %q", err, data)
		}
		if len(data) > 1 {
			sum := crc32.ChecksumIEEE(data)
			split := 1 + int(sum%uint32(len(data)-1))
			sv, err := tornagoView(addr, data, split, sum>>30 == 0)
			if err != nil {
				t.Fatalf("split at %d: %v\ninput: %q", split, err, data)
			}
			if sv.accepted != tv.accepted || tv.accepted && sv.reading != tv.reading {
				t.Fatalf("tornago reads the input differently when split at %d:\nwhole %v\nsplit %v\ninput: %q", split, tv, sv, data)
			}
		}
		nv, err := netHTTPView(data)
		if err != nil {
			t.Fatalf("%v\ninput: %q", err, data)
		}
		if tv.accepted != nv.accepted {
			if exception(data, tv, nv) != "" {
				return
			}
			t.Fatalf("tornago %v, net/http %v\ninput: %q", tv, nv, data)
		}
		if tv.accepted && tv.reading != nv.reading {
			t.Fatalf("different readings:\ntornago  %v\nnet/http %v\ninput: %q", tv, nv, data)
		}
	})
}
