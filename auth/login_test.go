package auth_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tornago/tornago/auth"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

const testSecret = "a test cookie secret of at least 32 bytes"

// homeHandler shows the logged-in user; Authenticated sends others to the
// login URL with ?next=.
type homeHandler struct {
	web.RequestHandler
	web.Authenticated
}

func (h *homeHandler) GetCurrentUser() (any, error) {
	if v, ok := h.GetSecureCookie("user"); ok {
		return v, nil
	}
	return nil, nil
}

func (h *homeHandler) Get() error { return h.Write("hello " + h.CurrentUser().(string)) }

// storeUser is an OnLogin that keeps the user in a secure cookie.
func storeUser(h *web.RequestHandler, u *auth.User, next string) error {
	return h.SetSecureCookie("user", fmt.Sprintf("%s <%s> #%s", u.Name, u.Email, u.ID))
}

// blockingLogin runs on the worker pool and takes the user itself.
type blockingLogin struct {
	auth.LoginHandler
	web.Blocking
}

func (h *blockingLogin) OnLogin(u *auth.User, next string) error {
	return h.SetSecureCookie("user", "blocking "+u.Name)
}

// logRecorder is a slog handler that keeps each message as it was logged,
// one per line, for the loop and the test to share.
type logRecorder struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func newLogRecorder() logRecorder { return logRecorder{&sync.Mutex{}, &bytes.Buffer{}} }

func (l logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l logRecorder) WithGroup(string) slog.Handler            { return l }

func (l logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(r.Level.String() + " " + r.Message)
	r.Attrs(func(a slog.Attr) bool {
		l.b.WriteString(" " + a.String())
		return true
	})
	l.b.WriteString("\n")
	return nil
}

func (l logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// site is a tornago application with a login route, served on loopback.
type site struct {
	*webtest.Server
	log logRecorder
}

func newSite(t testing.TB, loginRoute web.Handler, settings ...func(*web.Settings)) *site {
	t.Helper()
	logs := newLogRecorder()
	st := web.Settings{
		CookieSecret: testSecret,
		LoginURL:     "/login",
		XSRFCookies:  true,
		Logger:       slog.New(logs),
	}
	for _, f := range settings {
		f(&st)
	}
	app, err := web.NewApplication([]web.Rule{
		{Pattern: "/", Handler: &homeHandler{}},
		{Pattern: "/private", Handler: &homeHandler{}},
		{Pattern: "/login", Handler: loginRoute},
	}, st)
	if err != nil {
		t.Fatal(err)
	}
	return &site{Server: webtest.StartServer(t, app), log: logs}
}

func (p *fakeProvider) login(onLogin func(*web.RequestHandler, *auth.User, string) error) *auth.Login {
	return &auth.Login{
		Provider: p.provider(), ClientID: p.clientID, ClientSecret: p.clientSecret,
		OnLogin: onLogin,
	}
}

// browser keeps cookies across the site and the provider and follows
// redirects step by step, recording them.
type browser struct {
	t *testing.T
	c *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, c: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type page struct {
	status   int
	reason   string
	location string
	body     string
	url      string
}

// get sends one GET and does not follow its redirect.
func (b *browser) get(u string) page {
	b.t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		b.t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	loc := ""
	if l, err := resp.Location(); err == nil {
		loc = l.String()
	}
	_, reason, _ := strings.Cut(resp.Status, " ")
	return page{status: resp.StatusCode, reason: reason, location: loc, body: string(body), url: u}
}

// follow GETs u and follows redirects; it returns the last page and the
// URLs visited.
func (b *browser) follow(u string) (page, []string) {
	b.t.Helper()
	var visited []string
	for range 10 {
		visited = append(visited, u)
		p := b.get(u)
		if p.location == "" {
			return p, visited
		}
		u = p.location
	}
	b.t.Fatalf("redirect loop: %v", visited)
	return page{}, nil
}

// toCallback runs the first leg: the site's redirect to the provider and
// the provider's redirect back; it returns the callback URL.
func (b *browser) toCallback(loginURL string) *url.URL {
	b.t.Helper()
	first := b.get(loginURL)
	if first.status != 302 {
		b.t.Fatalf("GET %s = %d %q, want a redirect to the provider", loginURL, first.status, first.body)
	}
	back := b.get(first.location)
	if back.status != 302 {
		b.t.Fatalf("provider authorize = %d %q", back.status, back.body)
	}
	u, err := url.Parse(back.location)
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

func TestLoginFlowEndToEnd(t *testing.T) {
	p := newFakeProvider(t)
	s := newSite(t, &auth.LoginHandler{Login: p.login(storeUser)})
	b := newBrowser(t)

	last, visited := b.follow(s.URL + "/private")
	if last.status != 200 || last.body != "hello Ann Example <ann@example.com> #u-42" {
		t.Fatalf("after login: %d %q (visited %v)", last.status, last.body, visited)
	}
	// The private page, its login redirect, the provider, the callback,
	// and back to the private page.
	want := []string{s.URL + "/private", s.URL + "/login?next=%2Fprivate", p.srv.URL + "/authorize", s.URL + "/login?code=", s.URL + "/private"}
	if len(visited) != len(want) {
		t.Fatalf("visited %v", visited)
	}
	for i, w := range want {
		if !strings.HasPrefix(visited[i], w) {
			t.Errorf("step %d: %s, want %s...", i, visited[i], w)
		}
	}
	authz, _ := url.Parse(visited[2])
	q := authz.Query()
	if q.Get("redirect_uri") != s.URL+"/login" || q.Get("client_id") != p.clientID || q.Get("state") == "" {
		t.Errorf("authorize request %s", authz.RawQuery)
	}
	if strings.Join(p.scopes, " ") != "openid profile" {
		t.Errorf("scopes %v", p.scopes)
	}
	// Logged in: the site answers directly now.
	if again := b.get(s.URL + "/"); again.status != 200 || !strings.HasPrefix(again.body, "hello Ann") {
		t.Errorf("second visit %d %q", again.status, again.body)
	}
}

// TestPKCEStopsCodeInjection shows the attack PKCE stops: a code issued
// to the victim's browser, redeemed with the attacker's own valid state.
func TestPKCEStopsCodeInjection(t *testing.T) {
	for _, pkce := range []bool{false, true} {
		p := newFakeProvider(t)
		login := p.login(storeUser)
		login.PKCE = pkce
		s := newSite(t, &auth.LoginHandler{Login: login})

		victim := newBrowser(t)
		stolen := victim.toCallback(s.URL + "/login").Query().Get("code")
		attacker := newBrowser(t)
		own := attacker.toCallback(s.URL + "/login") // the attacker's own code and state
		q := own.Query()
		q.Set("code", stolen)
		own.RawQuery = q.Encode()
		got := attacker.get(own.String())
		if !pkce {
			if got.status != 302 {
				t.Fatalf("without PKCE the injected code gave %d; the test no longer shows the attack", got.status)
			}
			continue
		}
		if got.status != 401 || got.reason != "Login code rejected" {
			t.Errorf("PKCE: injected code = %d %q", got.status, got.reason)
		}
		if home := attacker.get(s.URL + "/"); home.status != 302 {
			t.Errorf("the attacker is logged in: %q", home.body)
		}
		// The victim's own flow still works, with a 43-character verifier.
		last, visited := victim.follow(s.URL + "/login?next=/private")
		if last.status != 200 || len(p.verifier) != 43 {
			t.Errorf("PKCE login: %d %q (visited %v), verifier %q", last.status, last.body, visited, p.verifier)
		}
		if authz, _ := url.Parse(visited[1]); authz.Query().Get("code_challenge_method") != "S256" {
			t.Errorf("authorize request without S256 challenge: %s", visited[1])
		}
	}
}

func TestPKCENeedsACookieSecret(t *testing.T) {
	p := newFakeProvider(t)
	login := p.login(storeUser)
	login.PKCE = true
	s := newSite(t, &auth.LoginHandler{Login: login}, func(st *web.Settings) { st.CookieSecret = "" })
	if got := newBrowser(t).get(s.URL + "/login"); got.status != 500 {
		t.Errorf("PKCE without a secret: %d", got.status)
	}
	s.waitLog(t, "PKCE needs Settings.CookieSecret")

	rotated := newSite(t, &auth.LoginHandler{Login: login}, func(st *web.Settings) {
		st.CookieSecret, st.CookieSecrets, st.KeyVersion = "", map[int]string{1: testSecret + " old", 2: testSecret + " new"}, 2
	})
	if last, visited := newBrowser(t).follow(rotated.URL + "/private"); last.status != 200 {
		t.Errorf("PKCE with CookieSecrets: %d %q (visited %v)", last.status, last.body, visited)
	}
}

func TestLoginWithXSRFSettings(t *testing.T) {
	p := newFakeProvider(t)
	for name, f := range map[string]func(*web.Settings){
		"v1 tokens":          func(s *web.Settings) { s.XSRFCookieVersion = 1 },
		"another cookie":     func(s *web.Settings) { s.XSRFCookieName = "csrftoken" },
		"XSRF checks off":    func(s *web.Settings) { s.XSRFCookies = false },
		"v1 in another name": func(s *web.Settings) { s.XSRFCookieVersion, s.XSRFCookieName = 1, "x" },
	} {
		s := newSite(t, &auth.LoginHandler{Login: p.login(storeUser)}, f)
		b := newBrowser(t)
		cb := b.toCallback(s.URL + "/login?next=/private")
		if got := b.get(cb.String()); got.status != 302 || got.location != s.URL+"/private" {
			t.Errorf("%s: callback %d to %q: %q", name, got.status, got.location, got.body)
		}
		// Another browser (with an XSRF cookie of its own) cannot use b's
		// callback.
		b2 := newBrowser(t)
		b2.toCallback(s.URL + "/login")
		if got := b2.get(cb.String()); got.status != 403 {
			t.Errorf("%s: foreign state %d", name, got.status)
		}
	}
}

func TestLoginUserAndReceiverOnBlockingHandler(t *testing.T) {
	p := newFakeProvider(t)
	got := make(chan *auth.User, 1)
	login := p.login(func(h *web.RequestHandler, u *auth.User, next string) error {
		got <- u
		return storeUser(h, u, next)
	})
	s := newSite(t, &auth.LoginHandler{Login: login})
	last, _ := newBrowser(t).follow(s.URL + "/login")
	if last.status != 200 {
		t.Fatalf("login ended with %d %q", last.status, last.body)
	}
	u := <-got
	if u.ID != "u-42" || u.Email != "ann@example.com" || !u.EmailVerified || u.Provider != "fake" ||
		u.Token == nil || u.Token.RefreshToken != "r-1" || u.Raw["name"] != "Ann Example" {
		t.Errorf("user %+v", u)
	}

	// The same flow in a handler that embeds web.Blocking and defines
	// OnLogin itself.
	s2 := newSite(t, &blockingLogin{LoginHandler: auth.LoginHandler{Login: p.login(nil)}})
	last, visited := newBrowser(t).follow(s2.URL + "/private")
	if last.status != 200 || last.body != "hello blocking Ann Example" {
		t.Fatalf("blocking receiver: %d %q (visited %v)", last.status, last.body, visited)
	}
}

func TestLoginInProcessClient(t *testing.T) {
	p := newFakeProvider(t)
	app, err := web.NewApplication([]web.Rule{
		{Pattern: "/", Handler: &homeHandler{}},
		{Pattern: "/login", Handler: &auth.LoginHandler{Login: p.login(storeUser)}},
	}, web.Settings{CookieSecret: testSecret, LoginURL: "/login", Logger: slog.New(newLogRecorder())})
	if err != nil {
		t.Fatal(err)
	}
	c := webtest.NewClient(t, app)
	first := c.Get("/login")
	if first.Status != 302 {
		t.Fatalf("GET /login = %d", first.Status)
	}
	back := newBrowser(t).get(first.Get("Location"))
	cb, err := url.Parse(back.location)
	if err != nil || cb.Path != "/login" {
		t.Fatalf("provider sent the browser to %q", back.location)
	}
	done := c.Get(cb.RequestURI())
	if done.Status != 302 || done.Get("Location") != "/" {
		t.Fatalf("callback = %d %q %q", done.Status, done.Get("Location"), done.Text())
	}
	if home := c.Get("/"); home.Text() != "hello Ann Example <ann@example.com> #u-42" {
		t.Errorf("home = %d %q", home.Status, home.Text())
	}
}

func TestStateIsCheckedAgainstXSRF(t *testing.T) {
	p := newFakeProvider(t)
	s := newSite(t, &auth.LoginHandler{Login: p.login(storeUser)})
	tests := []struct {
		name   string
		state  func(orig string) string // the state the callback carries; "-" drops it
		fresh  bool                     // a browser without the XSRF cookie
		reason string
		log    string
	}{
		{"missing state", func(string) string { return "-" }, false, "OAuth2 state missing", "no state parameter"},
		{"empty state", func(string) string { return "" }, false, "OAuth2 state missing", "no state parameter"},
		{"tampered MAC", func(o string) string { return "A" + o[1:] }, false, "OAuth2 state mismatch", "does not match"},
		{"tampered next", func(o string) string {
			mac, _, _ := strings.Cut(o, ".")
			return mac + "." + base64.RawURLEncoding.EncodeToString([]byte("/elsewhere"))
		}, false, "OAuth2 state mismatch", "does not match"},
		{"MAC without its next", func(o string) string { mac, _, _ := strings.Cut(o, "."); return mac }, false, "OAuth2 state mismatch", "does not match"},
		{"another user's state", func(string) string {
			return newBrowser(t).toCallback(s.URL + "/login?next=/private").Query().Get("state")
		}, false, "OAuth2 state mismatch", "does not match"},
		{"an XSRF token", func(string) string { return "2|0a0b0c0d|00112233|1700000000" }, false, "OAuth2 state invalid", "not one this server writes"},
		{"not base64url", func(o string) string { return o + "!" }, false, "OAuth2 state invalid", "not one this server writes"},
		{"oversized", func(string) string { return strings.Repeat("a", 5000) }, false, "OAuth2 state invalid", "longer than"},
		{"no XSRF cookie", func(o string) string { return o }, true, "OAuth2 state mismatch", "no _xsrf cookie"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBrowser(t)
			cb := b.toCallback(s.URL + "/login?next=/private")
			q := cb.Query()
			code := q.Get("code")
			if st := tt.state(q.Get("state")); st == "-" {
				q.Del("state")
			} else {
				q.Set("state", st)
			}
			cb.RawQuery = q.Encode()
			if tt.fresh {
				b = newBrowser(t)
			}
			got := b.get(cb.String())
			if got.status != 403 || !strings.HasPrefix(got.reason, tt.reason) || !strings.Contains(got.body, "403: OAuth2 state") {
				t.Errorf("callback = %d %q %q", got.status, got.reason, got.body)
			}
			if !strings.Contains(s.log.String(), tt.log) {
				t.Errorf("log has no %q:\n%s", tt.log, s.log.String())
			}
			p.mu.Lock()
			_, unused := p.codes[code]
			p.mu.Unlock()
			if !unused {
				t.Error("the code was exchanged despite the bad state")
			}
			if home := b.get(s.URL + "/"); home.status != 302 {
				t.Errorf("logged in after a bad state: %d %q", home.status, home.body)
			}
		})
	}
}

// v2Token finds what looks like a v2 XSRF token ("2|mask|masked|time").
var v2Token = regexp.MustCompile(`2\|([0-9a-fA-F]{8})\|([0-9a-fA-F]+)\|`)

// revealsToken reports whether s (or s URL-unescaped) holds the raw XSRF
// token: its hex, its base64, or a masked token that unmasks to it.
func revealsToken(s string, raw []byte) bool {
	if u, err := url.QueryUnescape(s); err == nil {
		s += "\n" + u
	}
	s += "\n" + strings.NewReplacer("%7C", "|", "%7c", "|").Replace(s)
	for _, enc := range []string{hex.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw), base64.RawStdEncoding.EncodeToString(raw)} {
		if strings.Contains(strings.ToLower(s), strings.ToLower(enc)) {
			return true
		}
	}
	for _, m := range v2Token.FindAllStringSubmatch(s, -1) {
		mask, _ := hex.DecodeString(m[1])
		masked, _ := hex.DecodeString(m[2])
		for i := range masked {
			masked[i] ^= mask[i%4]
		}
		if bytes.Equal(masked, raw) {
			return true
		}
	}
	return false
}

// rawXSRF is the raw token of the browser's XSRF cookie for the site.
func (b *browser) rawXSRF(site, name string) []byte {
	b.t.Helper()
	u, _ := url.Parse(site)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name != name {
			continue
		}
		v, err := url.QueryUnescape(c.Value)
		if err != nil {
			b.t.Fatal(err)
		}
		if parts := strings.Split(v, "|"); len(parts) == 4 {
			mask, _ := hex.DecodeString(parts[1])
			raw, _ := hex.DecodeString(parts[2])
			for i := range raw {
				raw[i] ^= mask[i%4]
			}
			return raw
		}
		raw, err := hex.DecodeString(v)
		if err != nil {
			b.t.Fatalf("XSRF cookie %q", v)
		}
		return raw
	}
	b.t.Fatalf("no %s cookie for %s", name, site)
	return nil
}

// TestStateDoesNotRevealXSRFToken: whoever sees the state (the provider,
// the callback URL in the browser's history, the site's log of a failed
// callback) learns nothing of the XSRF token, with which they could forge
// XSRF-protected requests for the user; nor does the PKCE verifier.
func TestStateDoesNotRevealXSRFToken(t *testing.T) {
	for name, f := range map[string]func(*web.Settings){
		"v2 tokens": func(*web.Settings) {},
		"v1 tokens": func(s *web.Settings) { s.XSRFCookieVersion = 1 },
	} {
		p := newFakeProvider(t)
		login := p.login(storeUser)
		login.PKCE = true
		s := newSite(t, &auth.LoginHandler{Login: login}, f)
		b := newBrowser(t)
		first := b.get(s.URL + "/login?next=/private")
		raw := b.rawXSRF(s.URL, "_xsrf")
		if len(raw) < 16 {
			t.Fatalf("%s: raw XSRF token %x", name, raw)
		}
		authz, err := url.Parse(first.location)
		if err != nil || authz.Query().Get("state") == "" {
			t.Fatalf("%s: authorize redirect %q", name, first.location)
		}
		if revealsToken(first.location, raw) {
			t.Errorf("%s: the authorize redirect reveals the XSRF token %x: %s", name, raw, first.location)
		}
		back := b.get(first.location)
		cb, err := url.Parse(back.location)
		if err != nil {
			t.Fatal(err)
		}
		// Two failed callbacks: another browser's (403), and the
		// provider's token endpoint failing (502).
		if got := newBrowser(t).get(cb.String()); got.status != 403 {
			t.Fatalf("%s: callback from another browser = %d", name, got.status)
		}
		verifier := make(chan string, 1)
		p.mu.Lock()
		p.tokenFn = func(w http.ResponseWriter, r *http.Request) bool {
			verifier <- r.PostFormValue("code_verifier")
			http.Error(w, "down", 500)
			return true
		}
		p.mu.Unlock()
		if got := b.get(cb.String()); got.status != 502 {
			t.Fatalf("%s: callback with the token endpoint down = %d %q", name, got.status, got.body)
		}
		logs := s.log.String()
		if !strings.Contains(logs, "WARN 403") || !strings.Contains(logs, "502") || !strings.Contains(logs, "state=") {
			t.Fatalf("%s: the log lacks the failed callbacks:\n%s", name, logs)
		}
		if revealsToken(logs, raw) {
			t.Errorf("%s: the log of failed callbacks reveals the XSRF token %x:\n%s", name, raw, logs)
		}
		if v := <-verifier; len(v) != 43 || revealsToken(v, raw) {
			t.Errorf("%s: PKCE verifier %q (token %x)", name, v, raw)
		}
	}
}

func TestProviderFailures(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(p *fakeProvider)
		status int
		log    string
	}{
		{"user refuses consent", func(p *fakeProvider) { p.deny = "access_denied" }, 401, `refused the login: "access_denied" ("The user said no.\nforged log line")`},
		{"provider error in callback", func(p *fakeProvider) { p.deny = "server_error" }, 502, `failed the login: "server_error"`},
		{"code rejected", func(p *fakeProvider) {
			p.tokenFn = func(w http.ResponseWriter, r *http.Request) bool { tokenFailure(w, 400, "invalid_grant"); return true }
		}, 401, `fake token: oauth2: "invalid_grant"`},
		{"bad client credentials", func(p *fakeProvider) { p.clientSecret = "rotated" }, 502, `"invalid_client"`},
		{"token endpoint down", func(p *fakeProvider) {
			p.tokenFn = func(w http.ResponseWriter, r *http.Request) bool { http.Error(w, "upstream broke", 500); return true }
		}, 502, "fake token: oauth2: cannot fetch token: 500"},
		{"token endpoint malformed", func(p *fakeProvider) {
			p.tokenFn = func(w http.ResponseWriter, r *http.Request) bool {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"access_token":`)
				return true
			}
		}, 502, "fake token:"},
		{"user endpoint 500", func(p *fakeProvider) {
			p.userFn = func(w http.ResponseWriter, r *http.Request) bool { http.Error(w, "db down", 500); return true }
		}, 502, "fake user: " + "URL/user answered 500 Internal Server Error"},
		{"user endpoint malformed JSON", func(p *fakeProvider) {
			p.userFn = func(w http.ResponseWriter, r *http.Request) bool { io.WriteString(w, `{"sub": "u-1", `); return true }
		}, 502, "answered malformed JSON"},
		{"user endpoint answers an array", func(p *fakeProvider) {
			p.userFn = func(w http.ResponseWriter, r *http.Request) bool { io.WriteString(w, `[1,2]`); return true }
		}, 502, "answered malformed JSON"},
		{"user endpoint answers null", func(p *fakeProvider) {
			p.userFn = func(w http.ResponseWriter, r *http.Request) bool { io.WriteString(w, `null`); return true }
		}, 502, "answered null"},
		{"user without id", func(p *fakeProvider) { p.user = map[string]any{"name": "nobody"} }, 502, `has no "sub" or "id"`},
		{"user endpoint too large", func(p *fakeProvider) {
			p.userFn = func(w http.ResponseWriter, r *http.Request) bool {
				io.WriteString(w, `{"sub":"u","pad":"`+strings.Repeat("x", 2<<20)+`"}`)
				return true
			}
		}, 502, "answered more than 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newFakeProvider(t)
			login := p.login(storeUser)
			tt.setup(p)
			s := newSite(t, &auth.LoginHandler{Login: login})
			b := newBrowser(t)
			last, visited := b.follow(s.URL + "/login")
			if last.status != tt.status || !strings.Contains(last.body, fmt.Sprint(tt.status)) {
				t.Errorf("login ended with %d %q (visited %v), want %d", last.status, last.body, visited, tt.status)
			}
			logs := strings.ReplaceAll(s.log.String(), p.srv.URL, "URL")
			if !strings.Contains(logs, tt.log) {
				t.Errorf("log has no %q:\n%s", tt.log, logs)
			}
			if strings.Contains(logs, "\nforged") {
				t.Error("the provider's description forged a log line")
			}
			if strings.Contains(last.body, "oauth2") || strings.Contains(last.body, p.srv.URL) {
				t.Errorf("the error page shows details: %q", last.body)
			}
			if home := b.get(s.URL + "/"); home.status != 302 {
				t.Errorf("logged in after a failure: %d %q", home.status, home.body)
			}
		})
	}
}

func TestClientGoingAwayCancelsExchange(t *testing.T) {
	p := newFakeProvider(t)
	s := newSite(t, &auth.LoginHandler{Login: p.login(storeUser)})
	b := newBrowser(t)
	cb := b.toCallback(s.URL + "/login")
	p.hangToken()
	b.c.Timeout = 200 * time.Millisecond // the browser gives up and closes
	if _, err := b.c.Get(cb.String()); err == nil {
		t.Fatal("the callback answered while the token endpoint hangs")
	}
	select {
	case err := <-p.tokenErr:
		if err == nil {
			t.Fatal("the token request was not cancelled in 10 s")
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the token endpoint was never called")
	}
	s.waitLog(t, "login abandoned by the client")
	if strings.Contains(s.log.String(), "WARN 502") {
		t.Errorf("an abandoned login is logged as a provider failure:\n%s", s.log.String())
	}
}

// waitLog waits up to 5 s for the site's log to contain want.
func (s *site) waitLog(t *testing.T, want string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(s.log.String(), want) {
			return
		}
	}
	t.Errorf("log has no %q:\n%s", want, s.log.String())
}

func TestExchangeDoesNotHoldTheLoop(t *testing.T) {
	p := newFakeProvider(t)
	s := newSite(t, &auth.LoginHandler{Login: p.login(storeUser)})
	if n := len(s.HTTP.Loops()); n != 1 {
		t.Skipf("the server runs %d loops; the test needs the login and the other request on one", n)
	}
	b := newBrowser(t)
	cb := b.toCallback(s.URL + "/login")
	p.hangToken()
	b.c.Timeout = 2 * time.Second // then the browser gives up, which ends the exchange
	done := make(chan error, 1)
	go func() {
		resp, err := b.c.Get(cb.String())
		if err == nil {
			resp.Body.Close()
			err = fmt.Errorf("the callback answered %s while the token endpoint hangs", resp.Status)
		}
		done <- err
	}()
	time.Sleep(200 * time.Millisecond) // the exchange is under way
	start := time.Now()
	other := newBrowser(t).get(s.URL + "/")
	if took := time.Since(start); other.status != 302 || took > time.Second {
		t.Errorf("another request during the exchange: %d after %v", other.status, took)
	}
	if err := <-done; strings.Contains(err.Error(), "answered") {
		t.Error(err)
	}
	if err := <-p.tokenErr; err == nil {
		t.Error("the token request was not cancelled when the browser left")
	}
}

func TestProviderTimeout(t *testing.T) {
	p := newFakeProvider(t)
	login := p.login(storeUser)
	login.Timeout = 100 * time.Millisecond
	s := newSite(t, &auth.LoginHandler{Login: login})
	b := newBrowser(t)
	cb := b.toCallback(s.URL + "/login")
	p.hangToken()
	start := time.Now()
	got := b.get(cb.String())
	if got.status != 504 || got.reason != "Login provider timed out" {
		t.Errorf("slow provider: %d %q %q", got.status, got.reason, got.body)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("answered after %v", d)
	}
	if err := <-p.tokenErr; err == nil {
		t.Error("the token request outlived the timeout")
	}
}

func TestNextStaysOnSite(t *testing.T) {
	p := newFakeProvider(t)
	s := newSite(t, &auth.LoginHandler{Login: p.login(storeUser)})
	for _, tt := range []struct{ next, want string }{
		{"/private?x=1", "/private?x=1"},
		{"//evil.example/", "/"},
		{"https://evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"", "/"},
	} {
		b := newBrowser(t)
		cb := b.toCallback(s.URL + "/login?next=" + url.QueryEscape(tt.next))
		got := b.get(cb.String())
		if got.status != 302 || got.location != s.URL+tt.want {
			t.Errorf("next=%q: %d to %q, want %q", tt.next, got.status, got.location, tt.want)
		}
	}
}

func TestMisconfiguredLoginIsA500(t *testing.T) {
	p := newFakeProvider(t)
	noClient := p.login(storeUser)
	noClient.ClientID = ""
	for name, h := range map[string]web.Handler{
		"no client id":   &auth.LoginHandler{Login: noClient},
		"no Login":       &auth.LoginHandler{},
		"no OnLogin":     &auth.LoginHandler{Login: p.login(nil)},
		"OnLogin panics": &auth.LoginHandler{Login: p.login(func(*web.RequestHandler, *auth.User, string) error { panic("boom") })},
	} {
		s := newSite(t, h)
		last, visited := newBrowser(t).follow(s.URL + "/login")
		if last.status != 500 {
			t.Errorf("%s: %d %q (visited %v)", name, last.status, last.body, visited)
		}
		if !strings.Contains(s.log.String(), "auth: ") {
			t.Errorf("%s: log %s", name, s.log.String())
		}
	}
}

// BenchmarkLoginFlow measures a whole login on loopback: the redirect to
// the provider, its redirect back, the exchange and user fetch, and the
// redirect home (four requests to the site, three to the provider).
func BenchmarkLoginFlow(b *testing.B) {
	p := newFakeProvider(b)
	s := newSite(b, &auth.LoginHandler{Login: p.login(storeUser)})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	b.ResetTimer()
	for range b.N {
		resp, err := c.Get(s.URL + "/login?next=/private")
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "hello Ann") {
			b.Fatalf("login ended with %d %q", resp.StatusCode, body)
		}
	}
}
