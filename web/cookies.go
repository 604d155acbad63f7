package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tornago/tornago/httputil"
)

// CookieOptions are the attributes of a cookie set on the response. The
// zero value is a session cookie for Path=/.
type CookieOptions struct {
	Domain string
	// Path defaults to "/".
	Path string
	// Expires is the cookie's expiry time; ExpiresDays sets it relative to
	// now when Expires is zero.
	Expires     time.Time
	ExpiresDays float64
	// MaxAge in seconds: positive is sent as Max-Age; negative sends
	// Max-Age=0 (delete now); zero sends nothing.
	MaxAge   int
	HTTPOnly bool
	Secure   bool
	// SameSite is "Lax", "Strict", "None" or "" (not sent).
	SameSite    string
	Partitioned bool
	// ScriptReadable lets scripts read a cookie that is HttpOnly by default
	// (signed cookies).
	ScriptReadable bool
}

// pendingCookie is a Set-Cookie header waiting for the first flush.
type pendingCookie struct {
	name, header string
}

// A CookieError reports a cookie that cannot be set safely.
type CookieError struct {
	Name, Reason string
}

func (e *CookieError) Error() string { return fmt.Sprintf("web: cookie %q: %s", e.Name, e.Reason) }

// Cookies returns the request's cookies by name.
func (h *RequestHandler) Cookies() map[string]string { return h.Request.Cookies() }

// GetCookie returns the value of the request cookie name, or def (or "")
// when it is absent. Cookies set on the response are not seen.
func (h *RequestHandler) GetCookie(name string, def ...string) string {
	if v, ok := h.Request.Cookies()[name]; ok {
		return v
	}
	if len(def) > 0 {
		return def[0]
	}
	return ""
}

// SetCookie sets a cookie on the response, sent with the headers at the
// first flush; setting the same name again replaces it. Values are quoted
// as Python's http.cookies does (so a Tornado server reads them back);
// control characters and spaces in the name or value, and ';' or controls
// in the attributes, are refused with a *CookieError.
func (h *RequestHandler) SetCookie(name, value string, opts ...CookieOptions) error {
	var o CookieOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	hdr, err := formatCookie(name, value, o, time.Now())
	if err != nil {
		return err
	}
	return h.addCookie(name, hdr)
}

func (h *RequestHandler) addCookie(name, header string) error {
	if h.out == nil {
		return ErrFinished
	}
	if h.headersWritten {
		return ErrHeadersWritten
	}
	for i := range h.out.cookies {
		if h.out.cookies[i].name == name {
			h.out.cookies[i].header = header
			return nil
		}
	}
	h.out.cookies = append(h.out.cookies, pendingCookie{name, header})
	return nil
}

// ClearCookie deletes a cookie by setting it empty and expired a year ago;
// Domain and Path must match the ones it was set with.
func (h *RequestHandler) ClearCookie(name string, opts ...CookieOptions) error {
	var o CookieOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	o.Expires = time.Now().Add(-365 * 24 * time.Hour)
	o.ExpiresDays, o.MaxAge = 0, 0
	hdr, err := formatCookie(name, "", o, time.Now())
	if err != nil {
		return err
	}
	return h.addCookie(name, hdr)
}

// ClearAllCookies clears every cookie the request sent.
func (h *RequestHandler) ClearAllCookies(opts ...CookieOptions) error {
	for name := range h.Request.Cookies() {
		if err := h.ClearCookie(name, opts...); err != nil {
			return err
		}
	}
	return nil
}

// formatCookie builds a Set-Cookie value the way Python's Morsel does:
// attributes in alphabetical order, "Domain; expires; HttpOnly; Max-Age;
// Partitioned; Path; SameSite; Secure".
func formatCookie(name, value string, o CookieOptions, now time.Time) (string, error) {
	if name == "" || !httputil.ValidToken(name) {
		return "", &CookieError{name, "invalid name"}
	}
	for i := 0; i < len(value); i++ {
		if value[i] <= 0x20 || value[i] == 0x7f {
			return "", &CookieError{name, fmt.Sprintf("invalid value %q", value)}
		}
	}
	for _, a := range [...]struct{ what, v string }{{"domain", o.Domain}, {"path", o.Path}} {
		if strings.ContainsFunc(a.v, func(r rune) bool { return r <= 0x20 || r == ';' || r == 0x7f }) {
			return "", &CookieError{name, fmt.Sprintf("invalid %s %q", a.what, a.v)}
		}
	}
	sameSite := ""
	switch strings.ToLower(o.SameSite) {
	case "":
	case "lax":
		sameSite = "Lax"
	case "strict":
		sameSite = "Strict"
	case "none":
		sameSite = "None"
	default:
		return "", &CookieError{name, fmt.Sprintf("invalid SameSite %q", o.SameSite)}
	}
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('=')
	b.WriteString(quoteCookieValue(value))
	if o.Domain != "" {
		b.WriteString("; Domain=")
		b.WriteString(o.Domain)
	}
	expires := o.Expires
	if expires.IsZero() && o.ExpiresDays != 0 {
		expires = now.Add(time.Duration(o.ExpiresDays * float64(24*time.Hour)))
	}
	if !expires.IsZero() {
		b.WriteString("; expires=")
		b.WriteString(httputil.FormatTimestamp(expires))
	}
	if o.HTTPOnly {
		b.WriteString("; HttpOnly")
	}
	if o.MaxAge > 0 {
		b.WriteString("; Max-Age=")
		b.WriteString(strconv.Itoa(o.MaxAge))
	} else if o.MaxAge < 0 {
		b.WriteString("; Max-Age=0")
	}
	if o.Partitioned {
		b.WriteString("; Partitioned")
	}
	path := o.Path
	if path == "" {
		path = "/"
	}
	b.WriteString("; Path=")
	b.WriteString(path)
	if sameSite != "" {
		b.WriteString("; SameSite=")
		b.WriteString(sameSite)
	}
	if o.Secure {
		b.WriteString("; Secure")
	}
	return b.String(), nil
}

// Characters Python's http.cookies leaves alone in a value, and those it
// keeps unescaped inside quotes.
const (
	cookieLegal     = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~:"
	cookieUnescaped = cookieLegal + " ()/<=>?@[]{}"
)

// quoteCookieValue is Python's http.cookies._quote: a value of legal
// characters only is written as is; anything else is double-quoted with
// '"' and '\' backslash-escaped and other characters written as octal
// escapes ("a;b" → "a\073b"). Python escapes characters up to U+00FF;
// Go strings are bytes, so every byte from 0x80 up is escaped, which keeps
// the header ASCII and reads back to the same bytes.
func quoteCookieValue(v string) string {
	if v == "" {
		return `""`
	}
	legal := true
	for i := 0; i < len(v); i++ {
		if strings.IndexByte(cookieLegal, v[i]) < 0 {
			legal = false
			break
		}
	}
	if legal {
		return v
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case strings.IndexByte(cookieUnescaped, c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, `\%03o`, c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
