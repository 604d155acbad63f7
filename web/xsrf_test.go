package web_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// xsrfHandler hands out tokens on GET and implements every other verb, so
// that a 403 can only come from the XSRF check and not from a 405.
type xsrfHandler struct{ web.RequestHandler }

func (h *xsrfHandler) Get() error     { return h.Write(h.XSRFToken()) }
func (h *xsrfHandler) Head() error    { return nil }
func (h *xsrfHandler) Options() error { return h.Write("ok") }
func (h *xsrfHandler) Post() error    { return h.Write("ok") }
func (h *xsrfHandler) Put() error     { return h.Write("ok") }
func (h *xsrfHandler) Patch() error   { return h.Write("ok") }
func (h *xsrfHandler) Delete() error  { return h.Write("ok") }

func xsrfClient(t *testing.T, s web.Settings) (*webtest.Client, func(cookie string) string) {
	s.XSRFCookies = true
	c := client(t, []web.Rule{{Pattern: "/", Handler: &xsrfHandler{}}}, s)
	name := s.XSRFCookieName
	if name == "" {
		name = "_xsrf"
	}
	getToken := func(cookie string) string {
		var r *webtest.Response
		if cookie != "" {
			r = c.Get("/", "Cookie", name+"="+cookie)
		} else {
			r = c.Get("/", "Cookie", "")
		}
		return r.Text()
	}
	return c, getToken
}

// xsrfCheckedMethods are the methods the XSRF check covers: every verb a
// handler can implement except GET, HEAD and OPTIONS (Tornado's rule).
var xsrfCheckedMethods = []string{"POST", "PUT", "PATCH", "DELETE"}

func TestXSRF(t *testing.T) {
	var logs logBuffer
	c, getToken := xsrfClient(t, web.Settings{Logger: logs.logger()})
	token := getToken("")
	if !regexp.MustCompile(`^2\|[0-9a-f]{8}\|[0-9a-f]{32}\|[0-9]+$`).MatchString(token) {
		t.Fatalf("token %q is not in the v2 format", token)
	}
	cookie := func(tok string) []string { return []string{"Cookie", "_xsrf=" + tok} }
	tests := []struct {
		name   string
		body   url.Values
		header []string
		status int
		log    string // Tornado's message, which names POST whatever the method
	}{
		{"no token", nil, []string{"Cookie", ""}, 403, "'_xsrf' argument missing from POST"},
		{"body, no cookie", url.Values{"_xsrf": {token}}, []string{"Cookie", ""}, 403, "XSRF cookie does not match POST argument"},
		{"header, no cookie", nil, []string{"Cookie", "", "X-Xsrftoken", token}, 403, "XSRF cookie does not match POST argument"},
		{"argument invalid format", url.Values{"_xsrf": {"3|"}}, cookie(token), 403, "'_xsrf' argument has invalid format"},
		{"header invalid format", nil, append(cookie(token), "X-Xsrftoken", "2|zz|zz|1"), 403, "'_xsrf' argument has invalid format"},
		{"cookie invalid format", url.Values{"_xsrf": {token}}, cookie("3|"), 403, "XSRF cookie does not match POST argument"},
		{"cookie, no body", nil, cookie(token), 403, "'_xsrf' argument missing from POST"},
		{"another user's token in the header", nil, append(cookie(token), "X-Xsrftoken", getToken("")), 403, "XSRF cookie does not match POST argument"},
		{"short token", url.Values{"_xsrf": {"deadbeef"}}, cookie("deadbeef"), 200, ""},
		{"non-hex token", url.Values{"_xsrf": {"xoxo"}}, cookie("xoxo"), 200, ""},
		{"form body", url.Values{"_xsrf": {token}}, cookie(token), 200, ""},
		{"header X-Xsrftoken", nil, append(cookie(token), "X-Xsrftoken", token), 200, ""},
		{"header X-Csrftoken", nil, append(cookie(token), "X-Csrftoken", token), 200, ""},
	}
	for _, method := range xsrfCheckedMethods {
		for _, tt := range tests {
			var b []byte
			if tt.body != nil {
				b = []byte(tt.body.Encode())
			}
			logs.reset() // each row's log line is its own
			r := c.Fetch(method, "/", b, append([]string{"Content-Type", "application/x-www-form-urlencoded"}, tt.header...)...)
			if r.Status != tt.status {
				t.Errorf("%s, %s: %d; want %d", method, tt.name, r.Status, tt.status)
			}
			if tt.log != "" && !logs.contains("403 "+method+" / (127.0.0.1): "+tt.log) {
				t.Errorf("%s, %s: log lacks %q:\n%s", method, tt.name, tt.log, logs.String())
			}
		}
		r := c.Fetch(method, "/?"+url.Values{"_xsrf": {token}}.Encode(), nil, cookie(token)...)
		expectStatus(t, method+" with a query string token", r, 200)
	}
	// The safe methods are not checked, with or without a cookie.
	for _, method := range []string{"GET", "HEAD", "OPTIONS"} {
		expectStatus(t, method+" without a token or cookie", c.Fetch(method, "/", nil, "Cookie", ""), 200)
		expectStatus(t, method+" with a cookie but no token", c.Fetch(method, "/", nil, cookie(token)...), 200)
	}
	// A method no handler can implement is refused as such, token or not.
	expectStatus(t, "PROPFIND without a token", c.Fetch("PROPFIND", "/", nil, "Cookie", ""), 405)
	expectStatus(t, "PROPFIND with a token", c.Fetch("PROPFIND", "/", nil, append(cookie(token), "X-Xsrftoken", token)...), 405)
}

func TestXSRFTokens(t *testing.T) {
	_, getToken := xsrfClient(t, web.Settings{})
	first := getToken("")
	seen := map[string]bool{}
	for range 10 {
		seen[getToken("")] = true
	}
	if len(seen) != 10 {
		t.Errorf("10 requests gave %d distinct tokens", len(seen))
	}
	// A refreshed token is masked anew but stays the same user's token.
	tokens := map[string]bool{first: true}
	tok := first
	for range 5 {
		tok = getToken(tok)
		tokens[tok] = true
	}
	if len(tokens) != 6 {
		t.Errorf("refreshing gave %d distinct tokens; want 6", len(tokens))
	}
}

func TestXSRFCrossUserAndVersions(t *testing.T) {
	c, getToken := xsrfClient(t, web.Settings{})
	t1, t2 := getToken(""), getToken("")
	post := func(cookieTok, bodyTok string) int {
		return c.Fetch("POST", "/", []byte(url.Values{"_xsrf": {bodyTok}}.Encode()),
			"Content-Type", "application/x-www-form-urlencoded", "Cookie", "_xsrf="+cookieTok).Status
	}
	for _, tok := range []string{t1, t2} {
		if s := post(tok, tok); s != 200 {
			t.Errorf("own token: %d", s)
		}
	}
	if post(t1, t2) != 403 || post(t2, t1) != 403 {
		t.Error("one user's token accepted for another")
	}
	// Version 1 tokens (plain hex) are compatible with v2 ones.
	c1, getV1 := xsrfClient(t, web.Settings{XSRFCookieVersion: 1})
	v1 := getV1("")
	if getV1("") == v1 {
		t.Error("v1 tokens are not distinct per new user")
	}
	for range 3 {
		if got := getV1(v1); got != v1 {
			t.Errorf("refreshed v1 token %q; want %q", got, v1)
		}
	}
	v2 := getToken(v1)
	if v2 == v1 || !strings.HasPrefix(v2, "2|") {
		t.Errorf("upgrading %q gave %q", v1, v2)
	}
	if post(v1, v2) != 200 || post(v2, v1) != 200 {
		t.Error("v1 and v2 tokens of one user do not match")
	}
	_ = c1
}

func TestXSRFCookieSettings(t *testing.T) {
	c, getToken := xsrfClient(t, web.Settings{XSRFCookieName: "__Host-xsrf", XSRFCookieOptions: &web.CookieOptions{Secure: true, HTTPOnly: true, ExpiresDays: 2}})
	r := c.Get("/", "Cookie", "")
	sc := r.Get("Set-Cookie")
	if !strings.HasPrefix(sc, "__Host-xsrf=") || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "expires=") || !strings.HasSuffix(sc, "Secure") {
		t.Errorf("cookie %q", sc)
	}
	tok := getToken("")
	r = c.Fetch("POST", "/", []byte("_xsrf="+url.QueryEscape(tok)), "Content-Type", "application/x-www-form-urlencoded", "Cookie", "__Host-xsrf="+tok)
	expectStatus(t, "renamed cookie, _xsrf argument", r, 200)

	// Default XSRF cookie: readable by scripts, SameSite=Lax, no expiry.
	c, _ = xsrfClient(t, web.Settings{})
	if sc := c.Get("/").Get("Set-Cookie"); !regexp.MustCompile(`^_xsrf=\S+; Path=/; SameSite=Lax$`).MatchString(sc) {
		t.Errorf("default XSRF cookie %q", sc)
	}
	c.Protocol = "https"
	c.ClearCookies()
	if sc := c.Get("/").Get("Set-Cookie"); !strings.HasSuffix(sc, "; Secure") {
		t.Errorf("XSRF cookie over https %q is not Secure", sc)
	}
}

func TestErrorHandlerSkipsXSRF(t *testing.T) {
	c := client(t, []web.Rule{{Pattern: "/error", Handler: &web.ErrorHandler{StatusCode: 417}}}, web.Settings{XSRFCookies: true})
	expectStatus(t, "POST /error", c.Fetch("POST", "/error", nil), 417)
	expectStatus(t, "POST /404", c.Fetch("POST", "/404", nil), 404)
}

func TestXSRFFormHTMLAndClientHelper(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/form", Handler: fn(func(h *web.RequestHandler) error { return h.Write(h.XSRFFormHTML()) })},
		{Pattern: "/post", Handler: fn(func(h *web.RequestHandler) error { return h.Write("posted") })},
	}, web.Settings{XSRFCookies: true})
	html := c.Get("/form").Text()
	if !regexp.MustCompile(`^<input type="hidden" name="_xsrf" value="2\|[0-9a-f]{8}\|[0-9a-f]{32}\|\d+"/>$`).MatchString(html) {
		t.Errorf("XSRFFormHTML = %q", html)
	}
	if c.XSRFToken() == "" {
		t.Fatal("the client kept no XSRF cookie")
	}
	expect(t, "Post with the jar's token", c.Post("/post", nil), 200, "posted")
	expect(t, "PostJSON with the jar's token", c.PostJSON("/post", map[string]int{"a": 1}), 200, "posted")
	c.ClearCookies()
	expectStatus(t, "Post without a token", c.Post("/post", url.Values{"a": {strconv.Itoa(1)}}), 403)
}
