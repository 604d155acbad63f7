package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/tornago/tornago/web"
)

// The state parameter binds the login to the browser's XSRF cookie
// without carrying the token, which the provider, the callback URL, the
// browser's history and the access log all see (and anyone holding the
// token could forge XSRF-protected requests for the user):
//
//	<mac>                       no return page
//	<mac>.<base64url(next)>     with a local return page
//
// where mac is base64url(HMAC-SHA256(key: the raw XSRF token, message:
// stateLabel + "|" + next)). The callback recomputes it from the XSRF
// cookie and the next it carries: a state from another browser, or with
// next changed, does not match. base64url holds no '.', so the first '.'
// splits the two.

// stateLabel separates the state's HMAC from any other use of the XSRF
// token as a key.
const stateLabel = "tornago/auth OAuth2 state"

// maxStateSize bounds the state parameter read back from the provider: the
// MAC is 43 bytes and a return path rarely over a few hundred; 4 KiB is
// generous for both and keeps a forged one from costing anything.
const maxStateSize = 4 << 10

// stateEncoding is base64url without padding, strict: one spelling per
// value, so a state that parses is exactly what encodeState wrote for it.
var stateEncoding = base64.RawURLEncoding.Strict()

// stateMAC is the HMAC that binds next to the browser's raw XSRF token.
func stateMAC(rawXSRF []byte, next string) []byte {
	m := hmac.New(sha256.New, rawXSRF)
	m.Write([]byte(stateLabel + "|"))
	m.Write([]byte(next))
	return m.Sum(nil)
}

// encodeState builds the state for the browser's raw XSRF token and a
// return page (kept only if it is a local URL).
func encodeState(rawXSRF []byte, next string) string {
	if !web.IsLocalURL(next) {
		next = ""
	}
	mac := stateEncoding.EncodeToString(stateMAC(rawXSRF, next))
	if next == "" {
		return mac
	}
	return mac + "." + stateEncoding.EncodeToString([]byte(next))
}

// parseState splits a state into its MAC and return page. ok is false
// unless the state is one encodeState can write: a 32-byte MAC, then
// optionally a '.' and a local URL, both in strict base64url.
func parseState(state string) (mac []byte, next string, ok bool) {
	// The base64 decoder skips CR and LF: refuse them, so that each state
	// has one spelling.
	if strings.ContainsAny(state, "\r\n") {
		return nil, "", false
	}
	macPart, nextPart, hasNext := strings.Cut(state, ".")
	mac, err := stateEncoding.DecodeString(macPart)
	if err != nil || len(mac) != sha256.Size {
		return nil, "", false
	}
	if !hasNext {
		return mac, "", true
	}
	b, err := stateEncoding.DecodeString(nextPart)
	if err != nil || !web.IsLocalURL(string(b)) {
		return nil, "", false
	}
	return mac, string(b), true
}

// decodeXSRFToken reads a token in either of the formats the web package
// writes: v2 "2|mask|masked|timestamp" (the raw token is masked XOR mask),
// or v1, the hex token (or, failing hex, the text itself, as Tornado reads
// it). ok is false for other versions and malformed v2 tokens.
func decodeXSRFToken(s string) (raw []byte, ok bool) {
	if v, rest, found := strings.Cut(s, "|"); found {
		if v != "2" {
			return nil, false
		}
		parts := strings.Split(rest, "|")
		if len(parts) != 3 {
			return nil, false
		}
		mask, err1 := hex.DecodeString(parts[0])
		masked, err2 := hex.DecodeString(parts[1])
		if err1 != nil || err2 != nil || len(mask) != 4 || len(masked) == 0 || !isDigits(parts[2]) {
			return nil, false
		}
		raw = make([]byte, len(masked))
		for i := range masked {
			raw[i] = masked[i] ^ mask[i%4]
		}
		return raw, true
	}
	if s == "" {
		return nil, false
	}
	if raw, err := hex.DecodeString(s); err == nil {
		return raw, true
	}
	return []byte(s), true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkState verifies the callback's state against the XSRF cookie: its
// MAC, recomputed from the cookie's raw token and the state's return page,
// must match (compared in constant time). It returns that return page and
// the browser's raw XSRF token. Failures are 403 errors that say what is
// wrong.
func checkState(h *web.RequestHandler, state string) (next string, raw []byte, err error) {
	if state == "" {
		return "", nil, stateError("missing", "the provider's callback has no state parameter")
	}
	if len(state) > maxStateSize {
		return "", nil, stateError("invalid", "the state parameter is longer than %d bytes", maxStateSize)
	}
	mac, next, ok := parseState(state)
	if !ok {
		return "", nil, stateError("invalid", "the state parameter is not one this server writes")
	}
	cookie := h.GetCookie(xsrfCookieName(h))
	if cookie == "" {
		return "", nil, stateError("mismatch", "the browser sent no %s cookie to check the state against", xsrfCookieName(h))
	}
	raw, ok = decodeXSRFToken(cookie)
	if !ok || !hmac.Equal(mac, stateMAC(raw, next)) {
		return "", nil, stateError("mismatch", "the state parameter does not match the %s cookie", xsrfCookieName(h))
	}
	return next, raw, nil
}

// stateError is the 403 of a failed state check: the reason phrase says
// what failed, the log message why.
func stateError(what, format string, args ...any) error {
	return web.NewHTTPError(403, append([]any{"auth: " + format}, args...)...).
		WithReason("OAuth2 state " + what)
}

func xsrfCookieName(h *web.RequestHandler) string {
	if n := h.Application().Settings().XSRFCookieName; n != "" {
		return n
	}
	return "_xsrf"
}
