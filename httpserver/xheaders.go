package httpserver

import (
	"strings"

	"github.com/tornago/tornago/httputil"
)

// applyXHeaders takes the client's address and scheme from proxy headers
// (Options.XHeaders), as Tornado's HTTPServer does:
//
//   - the remote IP is X-Real-Ip if present, else the last hop of
//     X-Forwarded-For that is not a trusted downstream proxy; it is used
//     only if it is a valid IP address;
//   - the protocol is the last item of X-Scheme, else of
//     X-Forwarded-Proto, used only if it is "http" or "https".
//
// They apply to this request only: the next one starts again from the
// connection's own address and scheme.
func (s *HTTPServer) applyXHeaders(r *Request) {
	ip := r.RemoteIP
	if xff, ok := r.Header.Lookup("X-Forwarded-For"); ok {
		rest := xff
		for {
			i := strings.LastIndexByte(rest, ',')
			ip = strings.Trim(rest[i+1:], " \t")
			if i < 0 || !s.trusted(ip) {
				break
			}
			rest = rest[:i]
		}
	}
	if v, ok := r.Header.Lookup("X-Real-Ip"); ok {
		ip = v
	}
	if ip != r.RemoteIP && httputil.ValidIP(ip) {
		r.RemoteIP = ip
	}
	proto, ok := r.Header.Lookup("X-Scheme")
	if !ok {
		proto, ok = r.Header.Lookup("X-Forwarded-Proto")
	}
	if ok {
		if i := strings.LastIndexByte(proto, ','); i >= 0 {
			proto = proto[i+1:]
		}
		switch strings.Trim(proto, " \t") {
		case "http":
			r.Protocol = "http"
		case "https":
			r.Protocol = "https"
		}
	}
}

// trusted reports whether ip is one of Options.TrustedDownstream.
func (s *HTTPServer) trusted(ip string) bool {
	for _, t := range s.opts.TrustedDownstream {
		if t == ip {
			return true
		}
	}
	return false
}
