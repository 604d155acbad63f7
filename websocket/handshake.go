package websocket

import (
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/tornago/tornago/httputil"
)

// acceptGUID is RFC 6455's key suffix (section 1.3).
const acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// supportedVersions is what a 426 advertises, as Tornado does: versions 7
// and 8 (the last drafts) frame as 13.
const supportedVersions = "7, 8, 13"

// acceptKey is base64(SHA-1(key + GUID)).
func acceptKey(key string) string {
	h := sha1.New()
	h.Write([]byte(key))
	h.Write([]byte(acceptGUID))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// handshakeError is a refused upgrade: the status, its body, and for 426
// the supported versions header.
type handshakeError struct {
	status int
	msg    string
}

func (e *handshakeError) Error() string { return "websocket: " + e.msg }

// hasToken reports whether the comma-separated list v holds token,
// case-insensitively.
func hasToken(v, token string) bool {
	for _, t := range strings.Split(v, ",") {
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}

// SameHostOrigin is Tornado's default check_origin: the Origin's host
// (lower-cased, with its port) must equal the request's Host header.
func SameHostOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Host, host)
}

// checkRequest applies Tornado's handshake checks in its order: Upgrade
// (400), Connection (400), Origin (403), version (426), key (400).
func checkRequest(h *httputil.Headers, checkOrigin func(string) bool) *handshakeError {
	if !strings.EqualFold(h.Get("Upgrade"), "websocket") {
		return &handshakeError{400, `Can "Upgrade" only to "WebSocket".`}
	}
	if !hasToken(h.Get("Connection"), "upgrade") {
		return &handshakeError{400, `"Connection" must be "Upgrade".`}
	}
	origin := h.Get("Origin")
	if origin == "" {
		origin = h.Get("Sec-Websocket-Origin")
	}
	if origin != "" && !checkOrigin(origin) {
		return &handshakeError{403, "Cross origin websockets not allowed"}
	}
	switch h.Get("Sec-Websocket-Version") {
	case "7", "8", "13":
	default:
		return &handshakeError{426, "Upgrade Required"}
	}
	key := h.Get("Sec-Websocket-Key")
	if b, err := base64.StdEncoding.DecodeString(key); err != nil || len(b) != 16 {
		return &handshakeError{400, "Missing/Invalid WebSocket key"}
	}
	return nil
}

// splitList splits a comma-separated header value into trimmed, non-empty
// items.
func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// appendAccept appends the 101 response.
func appendAccept(dst []byte, key, subprotocol, extensions string) []byte {
	dst = append(dst, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "...)
	dst = append(dst, acceptKey(key)...)
	dst = append(dst, "\r\n"...)
	if subprotocol != "" {
		dst = append(dst, "Sec-WebSocket-Protocol: "...)
		dst = append(dst, subprotocol...)
		dst = append(dst, "\r\n"...)
	}
	if extensions != "" {
		dst = append(dst, "Sec-WebSocket-Extensions: "...)
		dst = append(dst, extensions...)
		dst = append(dst, "\r\n"...)
	}
	return append(dst, "\r\n"...)
}
