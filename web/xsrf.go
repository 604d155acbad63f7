package web

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/tornago/tornago/escape"
)

// xsrfTokenSize is the raw token's size: 16 random bytes, as Tornado.
const xsrfTokenSize = 16

// xsrfState caches the request's XSRF tokens.
type xsrfState struct {
	token     string // the masked token handed out in this response
	raw       []byte // the user's raw token (from the cookie, or new)
	rawTS     int64
	rawFound  bool // the cookie held a valid token
	rawLoaded bool
}

// XSRFToken returns the XSRF token of the current user, masked anew for
// each request (Tornado's v2 format "2|mask|masked token|timestamp", which
// defeats BREACH), and sets the XSRF cookie if the request had none. Put it
// in forms (XSRFFormHTML) or send it back in the X-Xsrftoken header.
func (h *RequestHandler) XSRFToken() string {
	xs := &h.ext().xsrf
	if xs.token != "" {
		return xs.token
	}
	raw, ts, found := h.rawXSRFToken()
	if h.app.settings.XSRFCookieVersion == 1 {
		xs.token = hex.EncodeToString(raw)
	} else {
		var mask [4]byte
		_, _ = rand.Read(mask[:])
		xs.token = "2|" + hex.EncodeToString(mask[:]) + "|" +
			hex.EncodeToString(xorMask(mask[:], raw)) + "|" + strconv.FormatInt(ts, 10)
	}
	if !found {
		o := h.xsrfCookieOptions()
		if h.CurrentUser() != nil && o.Expires.IsZero() && o.ExpiresDays == 0 && o.MaxAge == 0 {
			o.ExpiresDays = 30
		}
		if err := h.SetCookie(h.app.settings.xsrfCookieName(), xs.token, o); err != nil {
			h.app.logger().Warn("web: setting the XSRF cookie: " + err.Error())
		}
	}
	return xs.token
}

// xsrfCookieOptions are the XSRF cookie's attributes: the application's,
// or SameSite=Lax and Secure over HTTPS. It stays readable by scripts.
func (h *RequestHandler) xsrfCookieOptions() CookieOptions {
	if o := h.app.settings.XSRFCookieOptions; o != nil {
		return *o
	}
	return CookieOptions{SameSite: "Lax", Secure: h.Request.Protocol == "https"}
}

// XSRFFormHTML returns the hidden form field carrying the XSRF token:
// <input type="hidden" name="_xsrf" value="..."/>.
func (h *RequestHandler) XSRFFormHTML() string {
	return `<input type="hidden" name="_xsrf" value="` + escape.XHTMLEscape(h.XSRFToken()) + `"/>`
}

// rawXSRFToken returns the user's raw token from the XSRF cookie, or a new
// random one, with its timestamp.
func (h *RequestHandler) rawXSRFToken() (raw []byte, ts int64, found bool) {
	x := &h.ext().xsrf
	if !x.rawLoaded {
		x.rawLoaded = true
		if c := h.GetCookie(h.app.settings.xsrfCookieName()); c != "" {
			x.raw, x.rawTS, x.rawFound = decodeXSRFToken(c)
		}
		if !x.rawFound {
			x.raw = make([]byte, xsrfTokenSize)
			_, _ = rand.Read(x.raw)
			x.rawTS = time.Now().Unix()
		}
	}
	return x.raw, x.rawTS, x.rawFound
}

// decodeXSRFToken reads a token in either of Tornado's formats: v2
// "2|mask|masked|timestamp", or v1, the hex token (or, failing hex, the
// text itself). Other versions and malformed v2 tokens are invalid.
func decodeXSRFToken(s string) (raw []byte, ts int64, ok bool) {
	if v, rest, found := strings.Cut(s, "|"); found && isVersion(v) {
		if v != "2" {
			return nil, 0, false
		}
		parts := strings.Split(rest, "|")
		if len(parts) != 3 {
			return nil, 0, false
		}
		mask, err1 := hex.DecodeString(parts[0])
		masked, err2 := hex.DecodeString(parts[1])
		t, err3 := strconv.ParseInt(parts[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || len(mask) != 4 {
			return nil, 0, false
		}
		return xorMask(mask, masked), t, true
	}
	raw, err := hex.DecodeString(s)
	if err != nil {
		raw = []byte(s)
	}
	return raw, time.Now().Unix(), true
}

// isVersion matches [1-9][0-9]*.
func isVersion(s string) bool {
	if s == "" || s[0] < '1' || s[0] > '9' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func xorMask(mask, data []byte) []byte {
	out := make([]byte, len(data))
	for i := range data {
		out[i] = data[i] ^ mask[i%len(mask)]
	}
	return out
}

// CheckXSRFCookie verifies that the request carries the user's XSRF token
// in the _xsrf argument or the X-Xsrftoken or X-Csrftoken header, matching
// the XSRF cookie (compared unmasked, in constant time). It runs before
// Prepare for every POST, PUT, PATCH and DELETE when Settings.XSRFCookies is
// on; define it on a handler to change the check. Failures are 403 errors
// with Tornado's log messages.
func (h *RequestHandler) CheckXSRFCookie() error {
	token, _ := h.GetArgument("_xsrf", "")
	if token == "" {
		token = h.Request.Header.Get("X-Xsrftoken")
	}
	if token == "" {
		token = h.Request.Header.Get("X-Csrftoken")
	}
	if token == "" {
		return NewHTTPError(403, "'_xsrf' argument missing from POST")
	}
	got, _, ok := decodeXSRFToken(token)
	expected, _, _ := h.rawXSRFToken()
	if !ok || len(got) == 0 {
		return NewHTTPError(403, "'_xsrf' argument has invalid format")
	}
	if !hmac.Equal(got, expected) {
		return NewHTTPError(403, "XSRF cookie does not match POST argument")
	}
	return nil
}
