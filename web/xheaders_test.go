package web_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// A proxyRequest is one request of a proxyTests row: its proxy headers and
// whether the cookies it is answered with must be Secure.
type proxyRequest struct {
	header []string
	secure bool
}

// proxyTests run over the real loop server, because X-Forwarded-Proto and
// X-Scheme are read there (httpserver's XHeaders), not by the application:
// webtest.Client would bypass the very code under test. Each row's
// requests share one keep-alive connection, so a proxy header must not
// outlive its request.
var proxyTests = []struct {
	name     string
	opts     httpserver.Options
	requests []proxyRequest
}{
	{"plain http", httpserver.Options{}, []proxyRequest{{nil, false}}},
	{"xheaders, plain http", httpserver.Options{XHeaders: true}, []proxyRequest{{nil, false}}},
	{"xheaders, X-Forwarded-Proto https", httpserver.Options{XHeaders: true}, []proxyRequest{
		{[]string{"X-Forwarded-Proto", "https"}, true},
	}},
	{"xheaders, X-Scheme https", httpserver.Options{XHeaders: true}, []proxyRequest{
		{[]string{"X-Scheme", "https"}, true},
	}},
	{"xheaders, last X-Forwarded-Proto hop is https", httpserver.Options{XHeaders: true}, []proxyRequest{
		{[]string{"X-Forwarded-Proto", "http, https"}, true},
	}},
	{"xheaders, last X-Forwarded-Proto hop is http", httpserver.Options{XHeaders: true}, []proxyRequest{
		{[]string{"X-Forwarded-Proto", "https, http"}, false},
	}},
	{"xheaders, unknown scheme ignored", httpserver.Options{XHeaders: true}, []proxyRequest{
		{[]string{"X-Forwarded-Proto", "ftp"}, false},
	}},
	{"xheaders, X-Scheme wins over X-Forwarded-Proto", httpserver.Options{XHeaders: true}, []proxyRequest{
		{[]string{"X-Scheme", "http", "X-Forwarded-Proto", "https"}, false},
	}},
	{"xheaders apply to one request only", httpserver.Options{XHeaders: true}, []proxyRequest{
		{[]string{"X-Forwarded-Proto", "https"}, true},
		{nil, false},
		{[]string{"X-Forwarded-Proto", "https"}, true},
	}},
	{"without xheaders, X-Forwarded-Proto is ignored", httpserver.Options{}, []proxyRequest{
		{[]string{"X-Forwarded-Proto", "https"}, false},
		{[]string{"X-Scheme", "https"}, false},
	}},
	{"TLS-terminating proxy: Protocol https", httpserver.Options{Protocol: "https"}, []proxyRequest{
		{nil, true},
		{[]string{"X-Forwarded-Proto", "http"}, true},
	}},
}

// TestSecureCookiesBehindProxy checks that the signed cookie and the XSRF
// cookie (a session cookie: no expiry) are Secure exactly when the request
// came over HTTPS, as the server saw it through its proxy headers.
func TestSecureCookiesBehindProxy(t *testing.T) {
	handler := fn(func(h *web.RequestHandler) error {
		if err := h.SetSecureCookie("user", "ben"); err != nil {
			return err
		}
		h.XSRFToken()
		return h.Write(h.Request.Protocol)
	})
	for _, tt := range proxyTests {
		t.Run(tt.name, func(t *testing.T) {
			app := newApp(t, []web.Rule{{Pattern: "/", Handler: handler}},
				web.Settings{CookieSecret: secret, XSRFCookies: true})
			s := webtest.StartServer(t, app, tt.opts)
			conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(s.Port), webtest.DefaultTimeout)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(webtest.DefaultTimeout))
			br := bufio.NewReader(conn)
			for i, pr := range tt.requests {
				var req strings.Builder
				req.WriteString("GET / HTTP/1.1\r\nHost: example.com\r\n")
				for j := 0; j+1 < len(pr.header); j += 2 {
					req.WriteString(pr.header[j] + ": " + pr.header[j+1] + "\r\n")
				}
				req.WriteString("\r\n")
				if _, err := conn.Write([]byte(req.String())); err != nil {
					t.Fatal(err)
				}
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
				body, err := io.ReadAll(resp.Body)
				if err != nil {
					t.Fatalf("request %d: reading the body: %v", i, err)
				}
				resp.Body.Close()
				cookies := map[string]*http.Cookie{}
				for _, c := range resp.Cookies() {
					cookies[c.Name] = c
				}
				for _, name := range []string{"user", "_xsrf"} {
					c := cookies[name]
					if c == nil {
						t.Errorf("request %d %q: no %s cookie in %q", i, pr.header, name, resp.Header.Values("Set-Cookie"))
						continue
					}
					if c.Secure != pr.secure {
						t.Errorf("request %d %q (protocol %q): %s cookie %q Secure=%v; want %v",
							i, pr.header, body, name, c.Raw, c.Secure, pr.secure)
					}
				}
			}
		})
	}
}
