package web_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/web"
)

func cookieHandler(f func(h *web.RequestHandler) error) *fnHandler { return fn(f) }

func TestSetCookie(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/set", Handler: cookieHandler(func(h *web.RequestHandler) error {
			h.SetCookie("str", "asdf")
			h.SetCookie("unicode", "qwer")
			return h.SetCookie("bytes", "zxcv")
		})},
		{Pattern: "/set_domain", Handler: cookieHandler(func(h *web.RequestHandler) error {
			return h.SetCookie("unicode_args", "blah", web.CookieOptions{Domain: "foo.com", Path: "/foo"})
		})},
		{Pattern: "/special_char", Handler: cookieHandler(func(h *web.RequestHandler) error {
			h.SetCookie("equals", "a=b")
			h.SetCookie("semicolon", "a;b")
			return h.SetCookie("quote", `a"b`)
		})},
		{Pattern: "/set_overwrite", Handler: cookieHandler(func(h *web.RequestHandler) error {
			h.SetCookie("a", "b", web.CookieOptions{Domain: "example.com"})
			h.SetCookie("c", "d", web.CookieOptions{Domain: "example.com"})
			return h.SetCookie("a", "e")
		})},
		{Pattern: "/set_max_age", Handler: cookieHandler(func(h *web.RequestHandler) error {
			return h.SetCookie("foo", "bar", web.CookieOptions{MaxAge: 10})
		})},
		{Pattern: "/set_expires_days", Handler: cookieHandler(func(h *web.RequestHandler) error {
			return h.SetCookie("foo", "bar", web.CookieOptions{ExpiresDays: 10})
		})},
		{Pattern: "/set_flags", Handler: cookieHandler(func(h *web.RequestHandler) error {
			h.SetCookie("a", "1", web.CookieOptions{Secure: true})
			h.SetCookie("b", "1", web.CookieOptions{Secure: false})
			h.SetCookie("c", "1", web.CookieOptions{HTTPOnly: true})
			h.SetCookie("d", "1", web.CookieOptions{HTTPOnly: false})
			return h.SetCookie("e", "1", web.CookieOptions{SameSite: "strict", Partitioned: true, Secure: true, HTTPOnly: true, Domain: "x.org", MaxAge: 5, Path: "/p"})
		})},
		{Pattern: "/forbidden", Handler: cookieHandler(func(h *web.RequestHandler) error {
			var accepted []string
			for _, tc := range []struct {
				name, value string
				o           web.CookieOptions
			}{
				{"a b", "v", web.CookieOptions{}},
				{"a", "v w", web.CookieOptions{}},
				{"a", "v\r\nSet-Cookie: x=y", web.CookieOptions{}},
				{"a", "v\x00", web.CookieOptions{}},
				{"a;b", "v", web.CookieOptions{}},
				{"", "v", web.CookieOptions{}},
				{"a", "v", web.CookieOptions{Domain: "x.com; HttpOnly"}},
				{"a", "v", web.CookieOptions{Path: "/a b"}},
				{"a", "v", web.CookieOptions{Path: "/\r\n"}},
				{"a", "v", web.CookieOptions{SameSite: "Lax; Secure"}},
				{"a", "v", web.CookieOptions{SameSite: "sometimes"}},
			} {
				if err := h.SetCookie(tc.name, tc.value, tc.o); err == nil {
					accepted = append(accepted, fmt.Sprintf("%q=%q %+v", tc.name, tc.value, tc.o))
				}
			}
			return h.Write(strings.Join(accepted, "\n"))
		})},
		{Pattern: "/clear", Handler: cookieHandler(func(h *web.RequestHandler) error { return h.ClearAllCookies() })},
	}, web.Settings{})
	sorted := func(r interface{ Cookies() []string }) []string {
		s := r.Cookies()
		slices.Sort(s)
		return s
	}
	tests := []struct {
		target string
		want   []string
	}{
		{"/set", []string{"bytes=zxcv; Path=/", "str=asdf; Path=/", "unicode=qwer; Path=/"}},
		{"/set_domain", []string{"unicode_args=blah; Domain=foo.com; Path=/foo"}},
		{"/special_char", []string{`equals="a=b"; Path=/`, `quote="a\"b"; Path=/`, `semicolon="a\073b"; Path=/`}},
		{"/set_overwrite", []string{"a=e; Path=/", "c=d; Domain=example.com; Path=/"}},
		{"/set_max_age", []string{"foo=bar; Max-Age=10; Path=/"}},
		{"/set_flags", []string{"a=1; Path=/; Secure", "b=1; Path=/", "c=1; HttpOnly; Path=/", "d=1; Path=/",
			"e=1; Domain=x.org; HttpOnly; Max-Age=5; Partitioned; Path=/p; SameSite=Strict; Secure"}},
	}
	for _, tt := range tests {
		if got := sorted(c.Get(tt.target)); !slices.Equal(got, tt.want) {
			t.Errorf("GET %s: Set-Cookie %q; want %q", tt.target, got, tt.want)
		}
	}
	r := c.Get("/set_expires_days")
	m := regexp.MustCompile(`^foo=bar; expires=(.+); Path=/$`).FindStringSubmatch(r.Get("Set-Cookie"))
	if m == nil {
		t.Fatalf("expires_days cookie: %q", r.Get("Set-Cookie"))
	}
	if exp, err := httputil.ParseTimestamp(m[1]); err != nil || time.Until(exp) < 10*24*time.Hour-time.Minute || time.Until(exp) > 10*24*time.Hour+time.Minute {
		t.Errorf("expires %q is not 10 days away (%v)", m[1], err)
	}
	expect(t, "forbidden cookies", c.Get("/forbidden"), 200, "")
	r = c.Get("/clear", "Cookie", "foo=bar; baz=xyzzy")
	got := sorted(r)
	if len(got) != 2 || !strings.HasPrefix(got[0], `baz=""; expires=`) || !strings.HasPrefix(got[1], `foo=""; expires=`) {
		t.Errorf("ClearAllCookies: %q", got)
	}
}

func TestGetCookie(t *testing.T) {
	c := client(t, []web.Rule{{Pattern: "/get", Handler: cookieHandler(func(h *web.RequestHandler) error {
		return h.Write(h.GetCookie("foo", "default"))
	})}}, web.Settings{})
	tests := []struct{ header, want string }{
		{"foo=bar", "bar"},
		{`foo="bar"`, "bar"},
		{"/=exception;", "default"},
		{"foo=a=b", "a=b"},
		{`foo="a=b"`, "a=b"},
		{`foo="a;b"`, `"a`},
		{`foo=a\073b`, `a\073b`},
		{`foo="a\073b"`, "a;b"},
		{`foo="a\"b"`, `a"b`},
	}
	for _, tt := range tests {
		expect(t, "Cookie: "+tt.header, c.Get("/get", "Cookie", tt.header), 200, tt.want)
	}
}

const secret = "It's a secret to everybody"

// signedVector is the securecookie encoding of name "key", value "value",
// timestamp 1300000000 under secret: securecookie's format is
// base64url(timestamp|base64url(value)|HMAC-SHA256(name|timestamp|base64url(value))),
// the counterpart of Tornado's v2 known vector.
func signedVector(key, name, value string, ts int64) string {
	b64 := base64.URLEncoding.EncodeToString([]byte(value))
	mac := hmac.New(sha256.New, []byte(key))
	fmt.Fprintf(mac, "%s|%d|%s", name, ts, b64)
	inner := fmt.Appendf(nil, "%d|%s|", ts, b64)
	inner = append(inner, mac.Sum(nil)...)
	return base64.URLEncoding.EncodeToString(inner)
}

func TestSignedValueKnownVector(t *testing.T) {
	// Computed independently with Python's hmac and base64 modules.
	const known = "MTMwMDAwMDAwMHxkbUZzZFdVPXzoaiMuPH4sFx0JuN65XoSL_efyMELOLaPiAEv8B6SuxA=="
	if got := signedVector(secret, "key", "value", 1300000000); got != known {
		t.Fatalf("vector = %q; want %q", got, known)
	}
	app := newApp(t, nil, web.Settings{CookieSecret: secret})
	if v, ok := app.VerifyValue("key", known, 0); !ok || v != "value" {
		t.Errorf("known vector decodes to %q, %v", v, ok)
	}
	if _, ok := app.VerifyValue("key", known, 31*24*time.Hour); ok {
		t.Error("a 2011 signature is accepted with a 31-day max age")
	}
	if _, ok := app.VerifyValue("key2", known, 0); ok {
		t.Error("the value is accepted under another name")
	}
	tampered := []string{
		payloadTampered(known),
		known[:len(known)-4] + "AAA=",
		strings.Replace(known, "MTMw", "MTQw", 1),
		known[:len(known)-2],
		signedVector("another secret", "key", "value", 1300000000),
		"",
		"garbage",
	}
	for _, s := range tampered {
		if v, ok := app.VerifyValue("key", s, 0); ok {
			t.Errorf("tampered %q decodes to %q", s, v)
		}
	}
}

// payloadTampered changes the value inside a signed vector, keeping its
// signature.
func payloadTampered(signed string) string {
	inner, _ := base64.URLEncoding.DecodeString(signed)
	inner = []byte(strings.Replace(string(inner), "dmFsdWU=", "dmFsdWY=", 1))
	return base64.URLEncoding.EncodeToString(inner)
}

func TestSignedValueRoundTripAndRotation(t *testing.T) {
	keys := map[int]string{0: "ajklasdf0ojaisdf", 1: "aslkjasaolwkjsdf"}
	tests := []struct {
		name        string
		sign, check web.Settings
		ok          bool
	}{
		{"single secret", web.Settings{CookieSecret: "0123456789"}, web.Settings{CookieSecret: "0123456789"}, true},
		{"key version 0", web.Settings{CookieSecrets: keys, KeyVersion: 0}, web.Settings{CookieSecrets: keys, KeyVersion: 0}, true},
		{"key version 1", web.Settings{CookieSecrets: keys, KeyVersion: 1}, web.Settings{CookieSecrets: keys, KeyVersion: 1}, true},
		{"rotated to a new version", web.Settings{CookieSecrets: keys, KeyVersion: 0}, web.Settings{CookieSecrets: keys, KeyVersion: 1}, true},
		{"old key dropped", web.Settings{CookieSecrets: keys, KeyVersion: 0}, web.Settings{CookieSecrets: map[int]string{1: keys[1]}, KeyVersion: 1}, false},
		{"other secret", web.Settings{CookieSecret: "a"}, web.Settings{CookieSecret: "b"}, false},
	}
	for _, tt := range tests {
		for _, value := range []string{"bar", "\xe9", ""} {
			signed, err := newApp(t, nil, tt.sign).SignValue("foo", value)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := newApp(t, nil, tt.check).VerifyValue("foo", signed, time.Hour)
			if ok != tt.ok || (ok && got != value) {
				t.Errorf("%s: %q decodes to %q, %v; want ok=%v", tt.name, value, got, ok, tt.ok)
			}
		}
	}
	if _, err := newApp(t, nil, web.Settings{}).SignValue("a", "b"); err != web.ErrNoCookieSecret {
		t.Errorf("signing without a secret: %v", err)
	}
}

func TestSecureCookieHandler(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/set", Handler: cookieHandler(func(h *web.RequestHandler) error {
			return h.SetSecureCookie("user", "ben")
		})},
		{Pattern: "/script", Handler: cookieHandler(func(h *web.RequestHandler) error {
			return h.SetSecureCookie("prefs", "x", web.CookieOptions{ScriptReadable: true, SameSite: "Strict", MaxAge: 60})
		})},
		{Pattern: "/get", Handler: cookieHandler(func(h *web.RequestHandler) error {
			v, ok := h.GetSecureCookie("user")
			return h.Write(fmt.Sprintf("%q %v", v, ok))
		})},
	}, web.Settings{CookieSecret: secret})
	set := c.Get("/set").Get("Set-Cookie")
	if !regexp.MustCompile(`^user=[A-Za-z0-9_=-]+; expires=[^;]+; HttpOnly; Path=/; SameSite=Lax$`).MatchString(set) {
		t.Errorf("signed cookie %q lacks the defaults", set)
	}
	expect(t, "read back", c.Get("/get"), 200, `"ben" true`)
	if set := c.Get("/script").Get("Set-Cookie"); !regexp.MustCompile(`^prefs=\S+; Max-Age=60; Path=/; SameSite=Strict$`).MatchString(set) {
		t.Errorf("script-readable cookie %q", set)
	}
	c.Protocol = "https"
	if set := c.Get("/set").Get("Set-Cookie"); !strings.HasSuffix(set, "; Secure") {
		t.Errorf("over https: %q is not Secure", set)
	}
	c.Protocol = ""
	good := c.Cookie("user")
	for _, bad := range []string{good[:len(good)-3] + "AA=", "x" + good, signedVector(secret, "other", "ben", time.Now().Unix())} {
		c.SetCookie("user", bad)
		expect(t, "tampered cookie", c.Get("/get"), 200, `"" false`)
	}
	c.SetCookie("user", signedVector(secret, "user", "ben", time.Now().Add(-40*24*time.Hour).Unix()))
	expect(t, "expired cookie", c.Get("/get"), 200, `"" false`)
	c.SetCookie("user", signedVector(secret, "user", "ben", time.Now().Unix()))
	expect(t, "fresh cookie", c.Get("/get"), 200, `"ben" true`)
}
