package auth

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/tornago/tornago/web"
)

// The state parameter carries the user's XSRF token, as the web package
// hands it out (masked anew for each request), and optionally the local
// page to return to:
//
//	<xsrf token>                      the token alone
//	<xsrf token>.<base64url(next)>    with a return page
//
// The token's formats (Tornado's v2 "2|mask|masked|timestamp" and v1 hex)
// hold no '.', and base64url holds none either, so the last '.' splits
// them.

// maxStateSize bounds the state parameter read back from the provider: a v2
// token is under 60 bytes and a return path rarely over a few hundred; 4 KiB
// is generous for both and keeps a forged one from costing anything.
const maxStateSize = 4 << 10

// encodeState builds the state for token and a return page (kept only if
// it is a local URL).
func encodeState(token, next string) string {
	if next == "" || !web.IsLocalURL(next) {
		return token
	}
	return token + "." + base64.RawURLEncoding.EncodeToString([]byte(next))
}

// parseState splits a state into its XSRF token and return page. A return
// page that is not valid base64url or not a local URL is dropped ("").
func parseState(state string) (token, next string) {
	i := strings.LastIndexByte(state, '.')
	if i < 0 {
		return state, ""
	}
	token = state[:i]
	b, err := base64.RawURLEncoding.DecodeString(state[i+1:])
	if err != nil || !web.IsLocalURL(string(b)) {
		return token, ""
	}
	return token, string(b)
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

// checkState verifies the callback's state against the XSRF cookie (both
// unmasked, compared in constant time) and returns the return page it
// carries and the browser's raw XSRF token. Failures are 403 errors that
// say what is wrong.
func checkState(h *web.RequestHandler, state string) (next string, raw []byte, err error) {
	if state == "" {
		return "", nil, stateError("missing", "the provider's callback has no state parameter")
	}
	if len(state) > maxStateSize {
		return "", nil, stateError("invalid", "the state parameter is longer than %d bytes", maxStateSize)
	}
	token, next := parseState(state)
	got, ok := decodeXSRFToken(token)
	if !ok {
		return "", nil, stateError("invalid", "the state parameter is not an XSRF token")
	}
	cookie := h.GetCookie(xsrfCookieName(h))
	if cookie == "" {
		return "", nil, stateError("mismatch", "the browser sent no %s cookie to check the state against", xsrfCookieName(h))
	}
	want, ok := decodeXSRFToken(cookie)
	if !ok || !hmac.Equal(got, want) {
		return "", nil, stateError("mismatch", "the state parameter does not match the %s cookie", xsrfCookieName(h))
	}
	return next, want, nil
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
