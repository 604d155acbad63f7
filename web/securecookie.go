package web

import (
	"errors"
	"slices"
	"time"

	"github.com/gorilla/securecookie"
)

// Signed cookie defaults, Tornado's: a cookie is set for 30 days and read
// back for 31.
const (
	defaultSignedCookieDays = 30
	defaultSignedCookieAge  = 31 * 24 * time.Hour
)

// ErrNoCookieSecret is returned by SetSecureCookie when the application has
// no CookieSecret.
var ErrNoCookieSecret = errors.New("web: signed cookies need Settings.CookieSecret")

// signingKeys returns the signing key versions, the current one first.
func (s *Settings) signingKeys() []int {
	if len(s.CookieSecrets) == 0 {
		if s.CookieSecret == "" {
			return nil
		}
		return []int{-1}
	}
	var vs []int
	for v := range s.CookieSecrets {
		if v != s.KeyVersion {
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	if _, ok := s.CookieSecrets[s.KeyVersion]; ok {
		vs = append([]int{s.KeyVersion}, vs...)
	}
	return vs
}

func (s *Settings) secret(version int) string {
	if version < 0 {
		return s.CookieSecret
	}
	return s.CookieSecrets[version]
}

// codec returns a gorilla/securecookie codec for one key. Values are bytes
// (no gob), HMAC-SHA256 signed with the name and a timestamp inside the
// signature, not encrypted. maxAge 0 accepts any age.
func codec(secret string, maxAge time.Duration) *securecookie.SecureCookie {
	return securecookie.New([]byte(secret), nil).
		SetSerializer(securecookie.NopEncoder{}).
		MaxAge(int(maxAge / time.Second))
}

// SignValue signs value under name with the application's current cookie
// key, the string SetSecureCookie puts in the cookie.
func (app *Application) SignValue(name, value string) (string, error) {
	keys := app.settings.signingKeys()
	if len(keys) == 0 {
		return "", ErrNoCookieSecret
	}
	return codec(app.settings.secret(keys[0]), 0).Encode(name, []byte(value))
}

// VerifyValue checks a signed value under name, accepting any key of the
// rotation and rejecting values older than maxAge (0: no limit). It
// reports false for a value that is tampered with, expired, signed for
// another name or by a key no longer configured.
func (app *Application) VerifyValue(name, signed string, maxAge time.Duration) (string, bool) {
	if signed == "" {
		return "", false
	}
	for _, v := range app.settings.signingKeys() {
		var out []byte
		if err := codec(app.settings.secret(v), maxAge).Decode(name, signed, &out); err == nil {
			return string(out), true
		}
	}
	return "", false
}

// SetSecureCookie sets a cookie whose value is signed (but readable) with
// the application's CookieSecret, so that it cannot be forged: Tornado's
// set_signed_cookie on github.com/gorilla/securecookie. By default it
// expires in 30 days and is HttpOnly, SameSite=Lax, and Secure when the
// request came over HTTPS; opts override the expiry and attributes
// (ScriptReadable drops HttpOnly).
func (h *RequestHandler) SetSecureCookie(name, value string, opts ...CookieOptions) error {
	signed, err := h.app.SignValue(name, value)
	if err != nil {
		return err
	}
	var o CookieOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Expires.IsZero() && o.ExpiresDays == 0 && o.MaxAge == 0 {
		o.ExpiresDays = defaultSignedCookieDays
	}
	o.HTTPOnly = !o.ScriptReadable
	if o.SameSite == "" {
		o.SameSite = "Lax"
	}
	if h.Request.Protocol == "https" {
		o.Secure = true
	}
	return h.SetCookie(name, signed, o)
}

// GetSecureCookie returns the value of a signed cookie and true, or false
// when it is absent, tampered with, renamed, signed by a key no longer in
// the rotation, or older than maxAge (default 31 days). A bad cookie is
// simply absent: never an error page.
func (h *RequestHandler) GetSecureCookie(name string, maxAge ...time.Duration) (string, bool) {
	age := defaultSignedCookieAge
	if len(maxAge) > 0 {
		age = maxAge[0]
	}
	return h.app.VerifyValue(name, h.GetCookie(name), age)
}
