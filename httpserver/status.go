package httpserver

import "strconv"

// reasons are the standard reason phrases (RFC 9110 section 15, and the
// registered codes of other RFCs), the ones Python's http.client gives
// Tornado.
var reasons = map[int]string{
	100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
	200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information",
	204: "No Content", 205: "Reset Content", 206: "Partial Content", 207: "Multi-Status",
	208: "Already Reported", 226: "IM Used",
	300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other",
	304: "Not Modified", 305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
	400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
	404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
	407: "Proxy Authentication Required", 408: "Request Timeout", 409: "Conflict",
	410: "Gone", 411: "Length Required", 412: "Precondition Failed",
	413: "Content Too Large", 414: "URI Too Long", 415: "Unsupported Media Type",
	416: "Range Not Satisfiable", 417: "Expectation Failed", 418: "I'm a Teapot",
	421: "Misdirected Request", 422: "Unprocessable Content", 423: "Locked",
	424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required",
	428: "Precondition Required", 429: "Too Many Requests",
	431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
	503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
	506: "Variant Also Negotiates", 507: "Insufficient Storage", 508: "Loop Detected",
	510: "Not Extended", 511: "Network Authentication Required",
}

// StatusText returns the standard reason phrase for code, or "Unknown".
func StatusText(code int) string {
	if r, ok := reasons[code]; ok {
		return r
	}
	return "Unknown"
}

// statusLines holds "HTTP/1.1 <code> <reason>\r\n" for every code with a
// standard reason, built once so that a response head starts with one
// copy. The status line says HTTP/1.1 whatever the request's version, as
// Tornado and RFC 9110 section 6.2 have it.
var statusLines [600]string

func init() {
	for code, reason := range reasons {
		statusLines[code] = "HTTP/1.1 " + strconv.Itoa(code) + " " + reason + "\r\n"
	}
}

// appendStatusLine appends the status line for code and reason ("" for
// the standard one).
func appendStatusLine(dst []byte, code int, reason string) []byte {
	if reason == "" && code >= 0 && code < len(statusLines) && statusLines[code] != "" {
		return append(dst, statusLines[code]...)
	}
	if reason == "" {
		reason = StatusText(code)
	}
	dst = append(dst, "HTTP/1.1 "...)
	dst = strconv.AppendInt(dst, int64(code), 10)
	dst = append(dst, ' ')
	dst = append(dst, reason...)
	return append(dst, '\r', '\n')
}

// validReason reports whether reason can go on a status line: visible
// ASCII, SP, HTAB and obs-text, no controls (RFC 9112 section 4).
func validReason(reason string) bool {
	for i := 0; i < len(reason); i++ {
		if c := reason[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// bodyAllowed reports whether a response with code may carry content
// (RFC 9110 sections 15.2, 15.3.5 and 15.4.5): not 1xx, 204 or 304.
func bodyAllowed(code int) bool {
	return code >= 200 && code != 204 && code != 304
}
