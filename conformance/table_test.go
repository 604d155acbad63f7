package conformance

import "strings"

// expect is one server's expected answer to a row.
type expect struct {
	statuses []int    // one per response, 1xx included
	close    bool     // the server closes the connection afterwards
	echo     []string // "METHOD TARGET BODYLEN" per final response; "" skips

	// may100 lets a 100 (Continue) be there or not: RFC 9110 §10.1.1
	// lets a server omit it once some of the content has arrived.
	may100 bool
}

// row is one raw request (or several, pipelined) and its expectations.
type row struct {
	name    string
	raw     string
	want    expect   // tornago's answer, per RFC 9110/9112
	methods []string // per final response, for HEAD framing; default GET
	small   bool     // run against the servers with a smallBodyLimit body limit

	// netHTTP is net/http's answer where it differs from want; a comment
	// names the RFC rule tornago follows.
	netHTTP *expect

	// knownIssue marks a row where tornago departs from the RFC without a
	// security consequence: the mismatch is logged, not failed.
	knownIssue string

	// bytewiseIssue is a knownIssue of the byte-by-byte run only.
	bytewiseIssue string
}

// finals counts the final (non-1xx) statuses of e.
func (e expect) finals() int {
	n := 0
	for _, s := range e.statuses {
		if s >= 200 {
			n++
		}
	}
	return n
}

// Helpers for the common expectations.
func ok(echo ...string) expect {
	e := expect{echo: echo}
	for range echo {
		e.statuses = append(e.statuses, 200)
	}
	return e
}
func okClose(echo ...string) expect { e := ok(echo...); e.close = true; return e }
func status(code int) expect        { return expect{statuses: []int{code}, close: true} }

var bad = status(400)

// H is a Host line; the table's requests carry it unless a row tests Host.
const H = "Host: a\r\n"

// get is a minimal valid GET of target.
func get(target string) string { return "GET " + target + " HTTP/1.1\r\n" + H + "\r\n" }

// post is a POST / with extra head lines hdr (each ending in CRLF) and body.
func post(hdr, body string) string { return "POST / HTTP/1.1\r\n" + H + hdr + "\r\n" + body }

// chunked is a chunked POST / with the given encoded body.
func chunked(body string) string { return post("Transfer-Encoding: chunked\r\n", body) }

var table = []row{
	// ---- framing ----
	{name: "get", raw: get("/"), want: ok("GET / 0")},
	{name: "post-cl", raw: post("Content-Length: 5\r\n", "hello"), want: ok("POST / 5")},
	{name: "post-cl-zero", raw: post("Content-Length: 0\r\n", ""), want: ok("POST / 0")},
	{name: "post-no-framing", raw: post("", ""), want: ok("POST / 0")}, // RFC 9112 §6.3 rule 6: no body
	{name: "get-with-body", raw: "GET / HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nabc", want: ok("GET / 3")},
	{name: "cl-leading-zeros", raw: post("Content-Length: 005\r\n", "hello"), want: ok("POST / 5")},
	{name: "cl-trailing-ows", raw: post("Content-Length: 5 \r\n", "hello"), want: ok("POST / 5")},
	{name: "cl-tab-ows", raw: post("Content-Length:\t5\t\r\n", "hello"), want: ok("POST / 5")},
	{name: "chunked", raw: chunked("5\r\nhello\r\n0\r\n\r\n"), want: ok("POST / 5")},
	{name: "chunked-multi", raw: chunked("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), want: ok("POST / 5")},
	{name: "chunked-empty", raw: chunked("0\r\n\r\n"), want: ok("POST / 0")},
	{name: "chunk-size-upper-hex", raw: chunked("A\r\n0123456789\r\n0\r\n\r\n"), want: ok("POST / 10")},
	{name: "chunk-size-lower-hex", raw: chunked("a\r\n0123456789\r\n0\r\n\r\n"), want: ok("POST / 10")},
	{name: "chunk-size-leading-zeros", raw: chunked("0005\r\nhello\r\n0000\r\n\r\n"), want: ok("POST / 5")},
	{name: "chunk-ext", raw: chunked("5;a=b\r\nhello\r\n0;c\r\n\r\n"), want: ok("POST / 5")},
	{name: "chunk-ext-quoted", raw: chunked("5;a=\"b c\"\r\nhello\r\n0\r\n\r\n"), want: ok("POST / 5")},
	// RFC 9112 §7.1.1 allows BWS before ";"; net/http refuses it.
	{name: "chunk-ext-bws", raw: chunked("5 ;a=b\r\nhello\r\n0\r\n\r\n"), want: ok("POST / 5"), netHTTP: &bad},
	// RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF, so
	// whitespace may only precede an extension's ";"; net/http trims it.
	{name: "chunk-size-trailing-ws", raw: chunked("5 \r\nhello\r\n0\r\n\r\n"), want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"POST / 5"}}},
	{name: "chunk-trailer", raw: chunked("5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"), want: ok("POST / 5")},
	{name: "chunk-trailers-two", raw: chunked("5\r\nhello\r\n0\r\nX-T: 1\r\nX-U: 2\r\n\r\n"), want: ok("POST / 5")},
	// RFC 9112 §5.2 (trailer fields are field lines): tornago rejects
	// obs-fold; net/http unfolds it.
	{name: "chunk-trailer-obs-fold", raw: chunked("5\r\nhello\r\n0\r\nX-T: 1\r\n 2\r\n\r\n"), want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"POST / 5"}}},
	// RFC 9110 §6.5.1: trailer fields are kept apart from the header
	// fields (tornago drops them), so announcing Content-Length as one
	// is harmless, and §6.6.2 has no rule against it; net/http refuses.
	{name: "trailer-announces-cl", raw: post("Transfer-Encoding: chunked\r\nTrailer: Content-Length\r\n", "5\r\nhello\r\n0\r\n\r\n"), want: ok("POST / 5"), netHTTP: &bad},
	{name: "te-chunked-case", raw: post("Transfer-Encoding: Chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), want: ok("POST / 5")}, // RFC 9112 §7: coding names are case-insensitive
	{name: "te-chunked-tab", raw: post("Transfer-Encoding:\tchunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), want: ok("POST / 5")},

	// ---- request smuggling ----
	// RFC 9112 §6.1/§6.3: with both CL and TE a server MAY reject; if it
	// processes the message it MUST close the connection afterwards.
	// net/http decodes by TE and (go1.26.8, before golang/go#80942) keeps
	// the connection open: the probe is answered.
	{name: "cl-te", raw: post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), want: bad,
		netHTTP: &expect{statuses: []int{200}, echo: []string{"POST / 0"}}},
	// RFC 9112 §6.1, as cl-te, with the fields the other way round.
	{name: "te-cl", raw: post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"), want: bad,
		netHTTP: &expect{statuses: []int{200}, echo: []string{"POST / 0"}}},
	// net/http decodes by TE and reads the stray "G" into the next request
	// ("GGET /x"): the CL.TE desync a CL-framing front end would exploit.
	{name: "cl-te-smuggle", raw: post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nG") + get("/x"), want: bad,
		netHTTP: &expect{statuses: []int{200, 200}, echo: []string{"POST / 0", "GGET /x 0"}}},
	{name: "cl-dup-same", raw: post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), want: ok("POST / 5")}, // RFC 9110 §8.6
	{name: "cl-dup-differ", raw: post("Content-Length: 5\r\nContent-Length: 4\r\n", "hello"), want: bad},
	// RFC 9110 §8.6: fields of identical decimal values may be replaced
	// by one; net/http compares their spellings and refuses 5 and 05.
	{name: "cl-dup-spellings", raw: post("Content-Length: 5\r\nContent-Length: 05\r\n", "hello"), want: ok("POST / 5"), netHTTP: &bad},
	{name: "cl-list-same", raw: post("Content-Length: 5, 5\r\n", "hello"), want: ok("POST / 5"), // RFC 9110 §8.6 MAY accept
		netHTTP: &bad},
	{name: "cl-list-differ", raw: post("Content-Length: 5, 4\r\n", "hello"), want: bad},
	{name: "cl-negative", raw: post("Content-Length: -1\r\n", ""), want: bad},
	{name: "cl-plus", raw: post("Content-Length: +5\r\n", "hello"), want: bad},
	{name: "cl-hex", raw: post("Content-Length: 0x5\r\n", "hello"), want: bad},
	{name: "cl-empty", raw: post("Content-Length: \r\n", ""), want: bad},
	{name: "cl-inner-space", raw: post("Content-Length: 1 2\r\n", "hello hello!"), want: bad},
	// RFC 9110 §8.6: a valid but huge length is over any body limit: 413.
	{name: "cl-overflow", raw: post("Content-Length: 99999999999999999999999\r\n", ""), want: status(413), netHTTP: &bad},
	{name: "cl-underscore", raw: post("Content-Length: 1_0\r\n", "0123456789"), want: bad},
	{name: "cl-obs-fold", raw: post("Content-Length: 5\r\n 4\r\n", "hello"), want: bad},
	// The te-* rows: tornago answers any Transfer-Encoding but one
	// "chunked" field 400 and closes (Tornado 6.4.1); net/http answers
	// 501, which RFC 9112 §6.1 asks (SHOULD) for a coding the server
	// does not understand. Each row names the rule that makes 400 right.
	//
	// RFC 9112 §6.3 rule 4: chunked is not the final coding, so the
	// length cannot be determined: the server MUST answer 400 and close.
	{name: "te-identity", raw: post("Transfer-Encoding: identity\r\n", ""), want: bad,
		netHTTP: &expect{statuses: []int{501}, close: true}},
	// RFC 9112 §6.1: a coding tornago does not implement (gzip) SHOULD
	// get 501; tornago answers 400, as Tornado does.
	{name: "te-gzip-chunked", raw: post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), want: bad,
		netHTTP: &expect{statuses: []int{501}, close: true}},
	// RFC 9112 §7.1: a sender MUST NOT apply chunked more than once.
	{name: "te-chunked-chunked", raw: post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), want: bad,
		netHTTP: &expect{statuses: []int{501}, close: true}},
	// RFC 9110 §5.3: two fields are one list, "chunked, chunked" (§7.1).
	{name: "te-two-fields", raw: post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), want: bad,
		netHTTP: &expect{statuses: []int{501}, close: true}},
	// RFC 9112 §6.3 rule 4: chunked not final: MUST 400 and close.
	{name: "te-chunked-then-identity", raw: post("Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n"), want: bad,
		netHTTP: &expect{statuses: []int{501}, close: true}},
	{name: "te-space-before-colon", raw: post("Transfer-Encoding : chunked\r\n", "0\r\n\r\n"), want: bad},
	{name: "te-vtab", raw: post("Transfer-Encoding: \vchunked\r\n", "0\r\n\r\n"), want: bad},
	// RFC 9112 §6.3 rule 4: chunked not final (an unknown coding).
	{name: "te-xchunked", raw: post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n"), want: bad,
		netHTTP: &expect{statuses: []int{501}, close: true}},
	// RFC 9112 §5.2: obs-fold is rejected (400) by tornago; net/http
	// unfolds it and so honours a folded Transfer-Encoding.
	{name: "te-obs-fold", raw: post("Transfer-Encoding:\r\n chunked\r\n", "0\r\n\r\n"), want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"POST / 0"}}},
	// RFC 9112 §6.3 rule 4: no coding at all, so chunked is not final.
	{name: "te-empty", raw: post("Transfer-Encoding: \r\n", ""), want: bad,
		netHTTP: &expect{statuses: []int{501}, close: true}},
	// RFC 9112 §6.1: TE in HTTP/1.0 means faulty framing; tornago
	// refuses it. net/http ignores TE in 1.0 (golang/go#12785), reads no
	// body and closes (1.0 without keep-alive).
	{name: "te-http10", raw: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", want: bad,
		netHTTP: &expect{statuses: []int{200}, close: true, echo: []string{"POST / 0"}}},
	// RFC 9112 §7.1: chunk-size = 1*HEXDIG, leading zeros included;
	// tornago caps the significant digits, net/http counts the zeros too.
	{name: "chunk-size-17-digits-zeros", raw: chunked("00000000000000005\r\nhello\r\n0\r\n\r\n"), want: ok("POST / 5"), netHTTP: &bad},
	// A 5000-byte chunk extension: both refuse it (net/http caps a chunk
	// line at 4096 bytes; reliability anchors propose 4 KiB).
	{name: "chunk-ext-long", raw: chunked("5;a=" + strings.Repeat("e", 5000) + "\r\nhello\r\n0\r\n\r\n"), want: bad},
	{name: "te-chunked-trailing-ows", raw: post("Transfer-Encoding: chunked \r\n", "5\r\nhello\r\n0\r\n\r\n"), want: ok("POST / 5")},
	// RFC 9112 §7: chunked has no parameters; a parameter tornago does
	// not understand makes a coding it does not implement (§6.1 SHOULD
	// 501; tornago answers 400, as Tornado does).
	{name: "te-chunked-param", raw: post("Transfer-Encoding: chunked;x=1\r\n", "0\r\n\r\n"), want: bad,
		netHTTP: &expect{statuses: []int{501}, close: true}},
	// RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 is faulty framing
	// (and with Content-Length a smuggling attempt); net/http ignores
	// the Transfer-Encoding and frames by Content-Length.
	{name: "te-cl-http10", raw: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello", want: bad,
		netHTTP: &expect{statuses: []int{200}, close: true, echo: []string{"POST / 5"}}},
	{name: "cl-no-space", raw: post("Content-Length:5\r\n", "hello"), want: ok("POST / 5")},
	{name: "cl-tab-before-colon", raw: post("Content-Length\t: 5\r\n", "hello"), want: bad},
	{name: "cl-dup-case", raw: post("Content-Length: 5\r\ncontent-length: 4\r\n", "hello"), want: bad},
	// RFC 9110 §5.3 and RFC 9112 §6.3 rule 4: the fields combine to
	// "chunked, identity", chunked not final: MUST 400 and close.
	{name: "te-dup-case-identity", raw: post("Transfer-Encoding: chunked\r\ntransfer-encoding: identity\r\n", "0\r\n\r\n"), want: bad,
		netHTTP: &expect{statuses: []int{501}, close: true}},
	{name: "chunk-size-negative", raw: chunked("-5\r\nhello\r\n0\r\n\r\n"), want: bad},
	{name: "chunk-size-empty", raw: chunked("\r\nhello\r\n0\r\n\r\n"), want: bad},
	{name: "chunk-size-0x", raw: chunked("0x5\r\nhello\r\n0\r\n\r\n"), want: bad},
	{name: "chunk-size-plus", raw: chunked("+5\r\nhello\r\n0\r\n\r\n"), want: bad},
	{name: "chunk-size-inner-space", raw: chunked("1 0\r\n0123456789abcdef\r\n0\r\n\r\n"), want: bad},
	{name: "chunk-size-overflow", raw: chunked("fffffffffffffffff1\r\nhello\r\n0\r\n\r\n"), want: bad},
	{name: "chunk-size-underscore", raw: chunked("0_5\r\nhello\r\n0\r\n\r\n"), want: bad},
	{name: "chunk-size-bare-lf", raw: chunked("5\nhello\r\n0\r\n\r\n"), want: bad},
	{name: "chunk-data-bare-lf", raw: chunked("5\r\nhello\n0\r\n\r\n"), want: bad},
	{name: "chunk-last-bare-lf", raw: chunked("5\r\nhello\r\n0\n\r\n"), want: bad},
	{name: "chunk-size-bare-cr", raw: chunked("5\rhello\r\n0\r\n\r\n"), want: bad},
	{name: "chunk-data-too-long", raw: chunked("5\r\nhelloXX\r\n0\r\n\r\n"), want: bad},
	{name: "chunk-data-no-crlf", raw: chunked("5\r\nhello0\r\n\r\n"), want: bad},
	{name: "chunk-ext-bare-cr", raw: chunked("5;a\rb\r\nhello\r\n0\r\n\r\n"), want: bad},
	// RFC 9112 §7.1.1: chunk-ext is made of tokens and quoted strings;
	// net/http does not check extension bytes.
	{name: "chunk-ext-nul", raw: chunked("5;a\x00b\r\nhello\r\n0\r\n\r\n"), want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"POST / 5"}}},
	// RFC 9112 §7.1.2: trailer fields are field-lines; net/http accepts
	// a malformed trailer name (it is dropped).
	{name: "chunk-trailer-bad-name", raw: chunked("5\r\nhello\r\n0\r\nBad Name: x\r\n\r\n"), want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"POST / 5"}}},
	{name: "chunk-trailer-no-colon", raw: chunked("5\r\nhello\r\n0\r\nX-T\r\n\r\n"), want: bad},
	{name: "cl-zero-then-request", raw: post("Content-Length: 0\r\n", "") + get("/smuggled"), want: ok("POST / 0", "GET /smuggled 0")},
	{name: "header-name-nul", raw: "GET / HTTP/1.1\r\n" + H + "X\x00A: b\r\n\r\n", want: bad},

	// ---- limits ----
	{name: "head-too-large", raw: "GET / HTTP/1.1\r\n" + H + "X-Big: " + strings.Repeat("a", 100<<10) + "\r\n\r\n", want: status(431)},
	// RFC 6585 §5 lets a server refuse many fields with 431; net/http has
	// no field-count limit.
	{name: "too-many-fields", raw: "GET / HTTP/1.1\r\n" + H + strings.Repeat("X-F: 1\r\n", 101) + "\r\n", want: status(431),
		netHTTP: &expect{statuses: []int{200}, echo: []string{"GET / 0"}}},
	{name: "body-cl-at-limit", small: true, raw: post("Content-Length: 1024\r\n", strings.Repeat("b", 1024)), want: ok("POST / 1024")},
	{name: "body-cl-over-limit", small: true, raw: post("Content-Length: 2000\r\n", strings.Repeat("b", 2000)), want: status(413)},
	{name: "body-chunked-over-limit", small: true, raw: chunked("400\r\n" + strings.Repeat("b", 1024) + "\r\n400\r\n" + strings.Repeat("b", 1024) + "\r\n0\r\n\r\n"), want: status(413)},
	{name: "body-one-chunk-over-limit", small: true, raw: chunked("800\r\n" + strings.Repeat("b", 2048) + "\r\n0\r\n\r\n"), want: status(413)},

	// ---- request-line syntax ----
	{name: "method-lowercase", raw: "get / HTTP/1.1\r\n" + H + "\r\n", want: ok("get / 0")}, // methods are case-sensitive tokens (RFC 9110 §9.1)
	{name: "method-extension", raw: "PURGE / HTTP/1.1\r\n" + H + "\r\n", want: ok("PURGE / 0")},
	{name: "method-slash", raw: "GE/T / HTTP/1.1\r\n" + H + "\r\n", want: bad},
	{name: "method-empty", raw: " / HTTP/1.1\r\n" + H + "\r\n", want: bad},
	{name: "method-ctl", raw: "G\x01T / HTTP/1.1\r\n" + H + "\r\n", want: bad},
	{name: "method-utf8", raw: "GÉT / HTTP/1.1\r\n" + H + "\r\n", want: bad},
	{name: "two-spaces", raw: "GET  / HTTP/1.1\r\n" + H + "\r\n", want: bad},
	{name: "tab-separators", raw: "GET\t/\tHTTP/1.1\r\n" + H + "\r\n", want: bad},
	{name: "trailing-space", raw: "GET / HTTP/1.1 \r\n" + H + "\r\n", want: bad},
	{name: "no-version", raw: "GET /\r\n" + H + "\r\n", want: bad},
	{name: "version-lowercase", raw: "GET / http/1.1\r\n" + H + "\r\n", want: bad},
	{name: "version-1.10", raw: "GET / HTTP/1.10\r\n" + H + "\r\n", want: bad},
	{name: "version-1", raw: "GET / HTTP/1\r\n" + H + "\r\n", want: bad},
	{name: "version-junk", raw: "GET / HTXP/1.1\r\n" + H + "\r\n", want: bad},
	// RFC 9110 §15.6.6: 505 is the precise answer to a major version the
	// server does not support; tornago answers 400 as Tornado does.
	{name: "version-2.0", raw: "GET / HTTP/2.0\r\n" + H + "\r\n", want: bad,
		netHTTP: &expect{statuses: []int{505}, close: true}},
	// RFC 9110 §15.6.6, as version-2.0: tornago serves HTTP/1.x only.
	{name: "version-0.9", raw: "GET / HTTP/0.9\r\n" + H + "\r\n", want: bad,
		netHTTP: &expect{statuses: []int{505}, close: true}},
	// RFC 9112 §2.3: a 1.x message with a higher minor version is served as 1.1.
	{name: "version-1.2", raw: "GET / HTTP/1.2\r\n" + H + "\r\n", want: ok("GET / 0")},
	// RFC 9112 §3.2.4: asterisk-form is OPTIONS's, and RFC 9110 §9.3.7
	// makes "OPTIONS *" a question about the server in general, which
	// tornago leaves to the application (as Tornado); net/http's server
	// answers it itself (200, empty body) without calling the handler.
	{name: "target-asterisk", raw: "OPTIONS * HTTP/1.1\r\n" + H + "\r\n", want: ok("OPTIONS * 0"), netHTTP: &expect{statuses: []int{200}}},
	{name: "target-absolute", raw: "GET http://a/x?y HTTP/1.1\r\n" + H + "\r\n", want: ok("GET http://a/x?y 0")},
	// RFC 9112 §3.2.4: asterisk-form is for OPTIONS only; net/http
	// passes "GET *" to the handler.
	{name: "target-asterisk-get", raw: get("*"), want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"GET * 0"}}},
	// RFC 9112 §3.2.3: CONNECT's authority-form is uri-host ":" port;
	// net/http accepts a host alone.
	{name: "connect-no-port", raw: "CONNECT a HTTP/1.1\r\n" + H + "\r\n", want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"CONNECT a 0"}}},
	{name: "target-query", raw: get("/a?b=c&d"), want: ok("GET /a?b=c&d 0")},
	{name: "target-percent", raw: get("/a%20b"), want: ok("GET /a%20b 0")},
	{name: "target-no-slash", raw: get("x"), want: bad}, // RFC 9112 §3.2: origin-form starts with "/"
	// RFC 3986 §2.1: pct-encoded is "%" HEXDIG HEXDIG; an invalid
	// request-line SHOULD get 400 (RFC 9112 §3). net/http refuses it.
	{name: "target-bad-percent", raw: get("/a%zz"), want: bad},
	{name: "target-lone-percent", raw: get("/a%"), want: bad},
	// RFC 3986 §2.1 in the query too; net/http checks the path only.
	{name: "target-bad-percent-query", raw: get("/?a%zz"), want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"GET /?a%zz 0"}}},
	{name: "target-ctl", raw: get("/\x01"), want: bad},
	{name: "target-del", raw: get("/\x7f"), want: bad},
	{name: "target-nul", raw: get("/\x00"), want: bad},
	// RFC 9112 §3.2 / RFC 3986: the target is ASCII; net/http accepts raw UTF-8.
	{name: "target-utf8", raw: get("/é"), want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"GET /é 0"}}},
	{name: "target-empty", raw: "GET  HTTP/1.1\r\n" + H + "\r\n", want: bad},
	// RFC 9112 §3.2: every form of request-target has at least one
	// character; net/http reads a CONNECT's empty target as an empty
	// authority (any other method's it refuses, as target-empty).
	{name: "target-empty-connect", raw: "CONNECT  HTTP/1.1\r\n" + H + "\r\n", want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"CONNECT  0"}}},
	// RFC 9112 §3.2: the request-target grammar has no fragment; an invalid
	// request-line SHOULD get 400 (§3). net/http accepts it.
	{name: "target-fragment", raw: get("/a#b"), want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"GET /a#b 0"}}},

	// ---- header syntax ----
	{name: "header-space-before-colon", raw: "GET / HTTP/1.1\r\n" + H + "X-A : b\r\n\r\n", want: bad}, // RFC 9112 §5.1 MUST 400
	{name: "header-no-colon", raw: "GET / HTTP/1.1\r\n" + H + "X-A b\r\n\r\n", want: bad},
	{name: "header-empty-name", raw: "GET / HTTP/1.1\r\n" + H + ": b\r\n\r\n", want: bad},
	{name: "header-name-ctl", raw: "GET / HTTP/1.1\r\n" + H + "X\x01A: b\r\n\r\n", want: bad},
	{name: "header-name-utf8", raw: "GET / HTTP/1.1\r\n" + H + "X-Ä: b\r\n\r\n", want: bad},
	{name: "header-name-quote", raw: "GET / HTTP/1.1\r\n" + H + "X\"A: b\r\n\r\n", want: bad},
	{name: "header-value-nul", raw: "GET / HTTP/1.1\r\n" + H + "X-A: b\x00c\r\n\r\n", want: bad},
	{name: "header-value-bare-cr", raw: "GET / HTTP/1.1\r\n" + H + "X-A: b\rc\r\n\r\n", want: bad},
	{name: "header-value-del", raw: "GET / HTTP/1.1\r\n" + H + "X-A: b\x7fc\r\n\r\n", want: bad},
	{name: "header-value-ctl", raw: "GET / HTTP/1.1\r\n" + H + "X-A: b\x01c\r\n\r\n", want: bad},
	{name: "header-value-obs-text", raw: "GET / HTTP/1.1\r\n" + H + "X-A: caf\xe9\r\n\r\n", want: ok("GET / 0")},
	{name: "header-value-inner-tab", raw: "GET / HTTP/1.1\r\n" + H + "X-A: a\tb\r\n\r\n", want: ok("GET / 0")},
	{name: "header-value-empty", raw: "GET / HTTP/1.1\r\n" + H + "X-A:\r\n\r\n", want: ok("GET / 0")},
	{name: "header-underscore", raw: "GET / HTTP/1.1\r\n" + H + "X_A: b\r\n\r\n", want: ok("GET / 0")},
	{name: "header-repeated", raw: "GET / HTTP/1.1\r\n" + H + "X-A: 1\r\nx-a: 2\r\n\r\n", want: ok("GET / 0")},
	// RFC 9112 §5.2: a server MUST either reject obs-fold with 400 or
	// replace it with SP; tornago rejects (Tornado 6.5 deprecates it).
	{name: "obs-fold", raw: "GET / HTTP/1.1\r\n" + H + "X-A: b\r\n c\r\n\r\n", want: bad,
		netHTTP: &expect{statuses: []int{200}, echo: []string{"GET / 0"}}},
	// RFC 9112 §5.2, as obs-fold: the continuation starts with HTAB.
	{name: "obs-fold-tab", raw: "GET / HTTP/1.1\r\n" + H + "X-A: b\r\n\tc\r\n\r\n", want: bad,
		netHTTP: &expect{statuses: []int{200}, echo: []string{"GET / 0"}}},
	{name: "obs-fold-first-line", raw: "GET / HTTP/1.1\r\n X-A: b\r\n" + H + "\r\n", want: bad},
	{name: "bare-lf-head", raw: "GET / HTTP/1.1\n" + H[:len(H)-2] + "\n\n", want: ok("GET / 0")}, // RFC 9112 §2.2 MAY
	{name: "bare-lf-mixed", raw: "GET / HTTP/1.1\r\n" + H[:len(H)-2] + "\n\r\n", want: ok("GET / 0")},
	{name: "bare-cr-request-line", raw: "GET / HTTP/1.1\r" + H + "\r\n", want: bad},
	{name: "bare-cr-blank-line", raw: "GET / HTTP/1.1\r\n" + H + "\r\r\n", want: bad},
	// RFC 9112 §2.2: a server SHOULD ignore at least one empty line before
	// the request-line. net/http does so only after a POST on the same
	// connection, so a leading empty line on a new connection is a 400.
	{name: "leading-crlf", raw: "\r\n" + get("/"), want: ok("GET / 0"), netHTTP: &bad},
	// RFC 9112 §2.2, as leading-crlf: the empty line ends in a bare LF.
	{name: "leading-lf", raw: "\n" + get("/"), want: ok("GET / 0"), netHTTP: &bad},
	// RFC 9112 §2.2 asks to ignore "at least one" empty line; tornago
	// ignores exactly one (Tornado 4.3 table: two blank lines → 400).
	{name: "leading-two-crlf", raw: "\r\n\r\n" + get("/"), want: bad},

	// ---- Host ----
	{name: "host-missing-11", raw: "GET / HTTP/1.1\r\n\r\n", want: bad}, // RFC 9112 §3.2 MUST 400
	{name: "host-missing-10", raw: "GET / HTTP/1.0\r\n\r\n", want: okClose("GET / 0")},
	// RFC 9112 §3.2: a server MUST answer 400 to any HTTP/1.1 request
	// without Host; net/http's server exempts CONNECT.
	{name: "connect-no-host", raw: "CONNECT a:1 HTTP/1.1\r\n\r\n", want: bad, netHTTP: &expect{statuses: []int{200}, echo: []string{"CONNECT a:1 0"}}},
	{name: "host-two", raw: "GET / HTTP/1.1\r\n" + H + H + "\r\n", want: bad},
	{name: "host-two-differ", raw: "GET / HTTP/1.1\r\n" + H + "Host: b\r\n\r\n", want: bad},
	{name: "host-empty", raw: "GET / HTTP/1.1\r\nHost:\r\n\r\n", want: ok("GET / 0")}, // RFC 9110 §7.2: empty when no authority
	{name: "host-port", raw: "GET / HTTP/1.1\r\nHost: a:8080\r\n\r\n", want: ok("GET / 0")},
	{name: "host-ipv6", raw: "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", want: ok("GET / 0")},
	// RFC 3986 §3.2.2: reg-name = *( unreserved / pct-encoded / sub-delims ).
	{name: "host-reg-name-subdelims", raw: "GET / HTTP/1.1\r\nHost: a,b!c\r\n\r\n", want: ok("GET / 0")},
	{name: "host-reg-name-tilde", raw: "GET / HTTP/1.1\r\nHost: a~b_c\r\n\r\n", want: ok("GET / 0")},
	{name: "host-pct-encoded", raw: "GET / HTTP/1.1\r\nHost: a%41\r\n\r\n", want: ok("GET / 0")},
	{name: "host-space", raw: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", want: bad},
	{name: "host-slash", raw: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", want: bad},
	{name: "host-userinfo", raw: "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", want: bad},
	{name: "host-ctl", raw: "GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n", want: bad},
	{name: "host-absolute-target", raw: "GET http://b/x HTTP/1.1\r\n" + H + "\r\n", want: ok("GET http://b/x 0")}, // RFC 9112 §3.2.2

	// ---- keep-alive ----
	{name: "keepalive-11-default", raw: get("/") + get("/2"), want: ok("GET / 0", "GET /2 0")},
	{name: "keepalive-10-default-close", raw: "GET / HTTP/1.0\r\n" + H + "\r\n", want: okClose("GET / 0")},
	{name: "keepalive-10-keep-alive", raw: "GET / HTTP/1.0\r\n" + H + "Connection: keep-alive\r\n\r\n", want: ok("GET / 0")},
	{name: "keepalive-10-post-cl", raw: "POST / HTTP/1.0\r\n" + H + "Connection: keep-alive\r\nContent-Length: 2\r\n\r\nhi", want: ok("POST / 2")},
	{name: "keepalive-10-pipelined", raw: "GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n", want: okClose("GET /1 0", "GET /2 0")},
	{name: "connection-close", raw: "GET / HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n", want: okClose("GET / 0")},
	{name: "connection-close-upper", raw: "GET / HTTP/1.1\r\n" + H + "Connection: CLOSE\r\n\r\n", want: okClose("GET / 0")},
	// RFC 9112 §9.6: the "close" option anywhere in the list closes.
	{name: "connection-close-in-list", raw: "GET / HTTP/1.1\r\n" + H + "Connection: foo, close\r\n\r\n", want: okClose("GET / 0")},
	{name: "connection-close-then-more", raw: "GET /1 HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n" + get("/2"), want: okClose("GET /1 0")},

	// ---- pipelining ----
	{name: "pipeline-3", raw: get("/1") + get("/2") + get("/3"), want: ok("GET /1 0", "GET /2 0", "GET /3 0")},
	{name: "pipeline-bodies", raw: post("Content-Length: 2\r\n", "ab") + chunked("3\r\nabc\r\n0\r\n\r\n") + get("/g"),
		want: ok("POST / 2", "POST / 3", "GET /g 0")},
	{name: "pipeline-then-bad", raw: get("/1") + "GET / HTTP/1.1\r\n\r\n", want: expect{statuses: []int{200, 400}, close: true, echo: []string{"GET /1 0"}}},
	{name: "pipeline-close-middle", raw: get("/1") + "GET /2 HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n" + get("/3"), want: okClose("GET /1 0", "GET /2 0")},
	{name: "pipeline-10", raw: strings.Repeat(get("/p"), 10), want: ok("GET /p 0", "GET /p 0", "GET /p 0", "GET /p 0", "GET /p 0", "GET /p 0", "GET /p 0", "GET /p 0", "GET /p 0", "GET /p 0")},

	// ---- Expect ----
	{name: "expect-100", raw: post("Content-Length: 5\r\nExpect: 100-continue\r\n", "hello"), want: expect{statuses: []int{100, 200}, echo: []string{"POST / 5"}, may100: true}},
	{name: "expect-100-case", raw: post("Content-Length: 5\r\nExpect: 100-Continue\r\n", "hello"), want: expect{statuses: []int{100, 200}, echo: []string{"POST / 5"}, may100: true}},
	{name: "expect-100-chunked", raw: post("Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n", "5\r\nhello\r\n0\r\n\r\n"), want: expect{statuses: []int{100, 200}, echo: []string{"POST / 5"}, may100: true}},
	// RFC 9110 §10.1.1: a server MUST NOT send 100 to an HTTP/1.0 client.
	{name: "expect-100-http10", raw: "POST / HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello", want: okClose("POST / 5")},
	{name: "expect-100-no-body", raw: post("Content-Length: 0\r\nExpect: 100-continue\r\n", ""), want: ok("POST / 0")},
	// RFC 9110 §10.1.1: a server MAY answer an unknown expectation 417.
	{name: "expect-unknown", raw: "GET / HTTP/1.1\r\n" + H + "Expect: foo\r\n\r\n", want: ok("GET / 0"),
		netHTTP: &expect{statuses: []int{417}, close: true}},

	// ---- HEAD / 204 / 304 framing ----
	{name: "head", raw: "HEAD / HTTP/1.1\r\n" + H + "\r\n" + get("/after"), methods: []string{"HEAD", "GET"}, want: ok("", "GET /after 0")},
	{name: "head-10", raw: "HEAD / HTTP/1.0\r\n\r\n", methods: []string{"HEAD"}, want: okClose("")},
	{name: "status-204", raw: get("/status/204") + get("/after"), want: expect{statuses: []int{204, 200}, echo: []string{"", "GET /after 0"}}},
	{name: "status-304", raw: get("/status/304") + get("/after"), want: expect{statuses: []int{304, 200}, echo: []string{"", "GET /after 0"}}},
	{name: "head-204", raw: "HEAD /status/204 HTTP/1.1\r\n" + H + "\r\n" + get("/after"), methods: []string{"HEAD", "GET"}, want: expect{statuses: []int{204, 200}, echo: []string{"", "GET /after 0"}}},
	{name: "status-404-then-get", raw: get("/status/404") + get("/after"), want: expect{statuses: []int{404, 200}, echo: []string{"", "GET /after 0"}}},
}
