package conformance

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tornago/tornago/httpserver"
)

// fuzzMaxInput bounds a fuzz input: far below the 64 KiB head limit, so
// that limits never decide, and small enough for thousands of runs a second.
const fuzzMaxInput = 4 << 10

// fuzzDeadline bounds one input's conversation with tornago; the input is
// half-closed after it is written, so the server always has an answer.
const fuzzDeadline = 2 * time.Second

// view is what a server made of the first request of an input.
type view struct {
	accepted bool
	method   string
	target   string
	bodyLen  int
	host     string // the Host field values, joined with ","
	xa       string // the X-A field values, joined with ","
	detail   string // the refusal, for reports
}

func (v view) String() string {
	if !v.accepted {
		return "rejected (" + v.detail + ")"
	}
	return fmt.Sprintf("accepted %q %q body=%d host=%q x-a=%q", v.method, v.target, v.bodyLen, v.host, v.xa)
}

var (
	fuzzOnce sync.Once
	fuzzAddr string
	fuzzErr  error
)

// fuzzServer is a tornago server whose handler always echoes (no
// /status/ paths), so that every accepted request is recognisable.
func fuzzServer(tb testing.TB) string {
	fuzzOnce.Do(func() {
		srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
			w.WriteString(echoText(r.Method, r.URI, len(r.Body), r.Header.Get("Host"), r.Header.Get("X-A")))
			w.Finish()
		}), httpserver.Options{Logger: quiet})
		if fuzzErr = srv.Listen(0, "127.0.0.1"); fuzzErr == nil {
			fuzzAddr = srv.Addr().String()
		}
	})
	if fuzzErr != nil {
		tb.Fatal(fuzzErr)
	}
	return fuzzAddr
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
	c, err := net.Dial("tcp", addr)
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
	br := bufio.NewReader(c)
	for {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return view{}, fmt.Errorf("tornago neither answered nor closed within %v", fuzzDeadline)
			}
			return view{detail: "closed without a response"}, nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return view{}, fmt.Errorf("reading tornago's response body: %w", err)
		}
		if resp.StatusCode < 200 {
			continue
		}
		if resp.StatusCode != 200 {
			return view{detail: resp.Status}, nil
		}
		f := strings.SplitN(string(b), "\n", 5)
		if len(f) != 5 {
			return view{}, fmt.Errorf("tornago's echo is malformed: %q", b)
		}
		n, _ := strconv.Atoi(f[2])
		return view{accepted: true, method: f[0], target: f[1], bodyLen: n, host: f[3], xa: f[4]}, nil
	}
}

// netHTTPView is net/http's reading of data: http.ReadRequest, the body
// read to its end, and the checks net/http's server adds after
// ReadRequest (Go 1.26 server.go readRequest and serve): a supported
// version (505), Host required in 1.1 and made of host bytes, field names
// and values valid, and Expect other than 100-continue refused (417).
func netHTTPView(data []byte) view {
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		return view{detail: err.Error()}
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return view{detail: "body: " + err.Error()}
	}
	if req.ProtoMajor != 1 && (req.ProtoMajor != 2 || req.ProtoMinor != 0 || req.Method != "PRI") {
		return view{detail: "505"}
	}
	// ReadRequest drops the Host field (keeping req.Host, which prefers
	// the target's authority): take its values from the head itself,
	// which ReadRequest has just found well formed.
	var hosts []string
	for _, l := range headLines(data)[1:] {
		if n, v, ok := strings.Cut(strings.TrimSuffix(l, "\r"), ":"); ok && strings.EqualFold(n, "Host") {
			hosts = append(hosts, strings.Trim(v, " \t"))
		}
	}
	if req.ProtoAtLeast(1, 1) && len(hosts) == 0 && req.Method != "CONNECT" {
		return view{detail: "missing Host"}
	}
	if len(hosts) == 1 && !validHost(hosts[0]) {
		return view{detail: "malformed Host"}
	}
	for k, vv := range req.Header {
		if !isToken(k) {
			return view{detail: "invalid header name"}
		}
		for _, v := range vv {
			if !validValue(v) {
				return view{detail: "invalid header value"}
			}
		}
	}
	if e := req.Header.Get("Expect"); e != "" && !strings.EqualFold(strings.TrimSpace(e), "100-continue") {
		return view{detail: "417"}
	}
	return view{accepted: true, method: req.Method, target: req.RequestURI, bodyLen: len(b),
		host: strings.Join(hosts, ","), xa: strings.Join(req.Header.Values("X-A"), ",")}
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

// exception names the documented rule under which tornago and net/http may
// disagree on accepting data, or "" when they must agree. Each rule is a
// table row (with the RFC rule tornago follows) and applies in one
// direction only, so that tornago accepting what it should refuse is
// never excused.
//
// tornago refuses, net/http accepts:
//   - Transfer-Encoding with Content-Length (RFC 9112 §6.1 MAY reject), in
//     HTTP/1.0 (§6.1 faulty framing), folded, or with chunk extensions or
//     trailers net/http does not validate (§7.1.1, §7.1.2);
//   - obs-fold (§5.2 MAY reject); a bare CR (§2.2); more than 100 fields
//     (RFC 6585 §5);
//   - a target that is not origin-form, "*" for OPTIONS (§3.2.4), or
//     http(s) absolute-form; non-ASCII or "#" in the target (§3.2).
//
// tornago accepts, net/http refuses:
//   - a chunk size whose leading zeros take it past 16 digits (§7.1:
//     1*HEXDIG; tornago caps significant digits, net/http all digits);
//   - one leading empty line (§2.2 SHOULD ignore it; net/http only does
//     after a POST);
//   - a Content-Length list of equal values (RFC 9110 §8.6);
//   - BWS before a chunk extension (§7.1.1);
//   - an Expect other than 100-continue, which tornago ignores and
//     net/http answers 417 (RFC 9110 §10.1.1 MAY), and 100-continue in
//     HTTP/1.0, which net/http's server also answers 417.
func exception(data []byte, tv, nv view) string {
	lines := headLines(data)
	lower := strings.ToLower(strings.Join(lines, "\n"))
	if tv.accepted == nv.accepted {
		return ""
	}
	if tv.accepted {
		switch {
		case bytes.HasPrefix(data, []byte("\n")) || bytes.HasPrefix(data, []byte("\r\n")):
			return "leading empty line"
		case strings.Contains(lower, "content-length") && strings.Contains(lower, ","):
			return "Content-Length list"
		case strings.Contains(lower, "transfer-encoding") && (bytes.Contains(data, []byte(" ;")) || bytes.Contains(data, []byte("\t;"))):
			return "BWS before a chunk extension"
		case strings.Contains(lower, "expect"):
			return "Expect"
		case strings.Contains(lower, "transfer-encoding") && zeroPaddedChunkSize(data):
			return "leading zeros in a chunk size"
		}
		return ""
	}
	switch {
	case strings.Contains(lower, "transfer-encoding"):
		return "Transfer-Encoding (with Content-Length, in 1.0, folded, extensions, trailers)"
	case strings.Contains(strings.ReplaceAll(string(data), "\r\n", ""), "\r"):
		return "bare CR"
	}
	for _, l := range lines[1:] {
		if l != "" && (l[0] == ' ' || l[0] == '\t') {
			return "obs-fold"
		}
	}
	if len(lines) > 100 {
		return "more than 100 fields"
	}
	if nv.target == "*" && nv.method != "OPTIONS" {
		return "asterisk-form is for OPTIONS only"
	}
	if t := strings.ToLower(nv.target); !strings.HasPrefix(t, "/") && t != "*" && !strings.HasPrefix(t, "http://") && !strings.HasPrefix(t, "https://") {
		return "target not in origin-form, asterisk-form or http(s) absolute-form"
	}
	if strings.ContainsFunc(nv.target, func(r rune) bool { return r >= 0x80 || r == '#' || r == utf8.RuneError }) {
		return "non-ASCII or '#' in the target"
	}
	return ""
}

// zeroPaddedChunkSize reports whether a line of data starts with more
// than 16 hex digits, of which at most 15 are significant.
func zeroPaddedChunkSize(data []byte) bool {
	for _, line := range strings.Split(string(data), "\n") {
		i := 0
		for i < len(line) && strings.IndexByte("0123456789abcdefABCDEF", line[i]) >= 0 {
			i++
		}
		z := 0
		for z < i && line[z] == '0' {
			z++
		}
		if i > 16 && i-z <= 15 {
			return true
		}
	}
	return false
}

// FuzzRequestDiff checks that tornago and net/http read a request the same
// way: both reject it, or both accept it with the same method, target,
// Host, X-A and body length, except under the rules exception documents.
// It also sends the input to tornago a second time in two writes, split
// at a point derived from the input, and requires the same reading: a
// parser whose verdict depends on segmentation has two readings.
func FuzzRequestDiff(f *testing.F) {
	addr := fuzzServer(f)
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
			if sv.accepted != tv.accepted || (tv.accepted && sv != tv) {
				t.Fatalf("tornago reads the input differently when split at %d:\nwhole %v\nsplit %v\ninput: %q", split, tv, sv, data)
			}
		}
		nv := netHTTPView(data)
		if tv.accepted != nv.accepted {
			if exception(data, tv, nv) != "" {
				return
			}
			t.Fatalf("tornago %v, net/http %v\ninput: %q", tv, nv, data)
		}
		if tv.accepted && tv != nv {
			t.Fatalf("different readings:\ntornago  %v\nnet/http %v\ninput: %q", tv, nv, data)
		}
	})
}
