package auth_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/tornago/tornago/auth"
)

// fakeProvider is a small OAuth2 provider on loopback: an authorize
// endpoint that redirects back with a code (or an error), a token endpoint
// and a user endpoint, each of which can be made to fail.
type fakeProvider struct {
	t   testing.TB
	srv *httptest.Server

	clientID, clientSecret string

	mu       sync.Mutex
	codes    map[string]string // code -> redirect_uri it was issued for
	pkce     map[string]string // code -> its PKCE challenge
	verifier string            // the last token request's code_verifier
	tokens   map[string]bool
	deny     string                                        // authorize answers error=deny
	tokenFn  func(http.ResponseWriter, *http.Request) bool // true: handled
	userFn   func(http.ResponseWriter, *http.Request) bool
	user     map[string]any
	emails   []map[string]any
	scopes   []string // the scopes of the last authorize request
	userHdr  http.Header
	tokenErr chan error // the token request's context error, when it hangs
}

func newFakeProvider(t testing.TB) *fakeProvider {
	p := &fakeProvider{
		t: t, clientID: "client-1", clientSecret: "s3cret",
		codes: map[string]string{}, tokens: map[string]bool{}, pkce: map[string]string{},
		user: map[string]any{"sub": "u-42", "name": "Ann Example", "email": "ann@example.com", "email_verified": true},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", p.authorize)
	mux.HandleFunc("/token", p.token)
	mux.HandleFunc("/user", p.userInfo)
	mux.HandleFunc("/user/emails", p.userEmails)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

// provider describes the fake provider as an auth.Provider.
func (p *fakeProvider) provider() auth.Provider {
	return auth.Provider{
		Name: "fake",
		Endpoint: oauth2.Endpoint{
			AuthURL: p.srv.URL + "/authorize", TokenURL: p.srv.URL + "/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
		Scopes:  []string{"openid", "profile"},
		UserURL: p.srv.URL + "/user",
	}
}

func (p *fakeProvider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || q.Get("response_type") != "code" || q.Get("client_id") != p.clientID || redirect.Host == "" {
		http.Error(w, "bad authorize request: "+r.URL.RawQuery, 400)
		return
	}
	p.mu.Lock()
	p.scopes = strings.Fields(q.Get("scope"))
	back := url.Values{"state": {q.Get("state")}}
	if p.deny != "" {
		back.Set("error", p.deny)
		back.Set("error_description", "The user said no.\nforged log line")
	} else {
		var b [8]byte
		_, _ = rand.Read(b[:])
		code := hex.EncodeToString(b[:])
		p.codes[code] = redirect.String()
		if ch := q.Get("code_challenge"); ch != "" {
			if q.Get("code_challenge_method") != "S256" {
				p.mu.Unlock()
				http.Error(w, "only S256", 400)
				return
			}
			p.pkce[code] = ch
		}
		back.Set("code", code)
	}
	p.mu.Unlock()
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (p *fakeProvider) token(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	fn := p.tokenFn
	p.mu.Unlock()
	if fn != nil && fn(w, r) {
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || id != p.clientID || secret != p.clientSecret {
		tokenFailure(w, 401, "invalid_client")
		return
	}
	if r.PostFormValue("grant_type") != "authorization_code" {
		tokenFailure(w, 400, "unsupported_grant_type")
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	code := r.PostFormValue("code")
	redirect, known := p.codes[code]
	delete(p.codes, code) // a code is good once
	if !known || redirect != r.PostFormValue("redirect_uri") {
		tokenFailure(w, 400, "invalid_grant")
		return
	}
	p.verifier = r.PostFormValue("code_verifier")
	if ch, ok := p.pkce[code]; ok {
		sum := sha256.Sum256([]byte(p.verifier))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != ch {
			tokenFailure(w, 400, "invalid_grant")
			return
		}
	}
	tok := "tok-" + code
	p.tokens[tok] = true
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600,"refresh_token":"r-1"}`, tok)
}

func tokenFailure(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":%q}`, code)
}

// authorized checks the bearer token of a user endpoint request.
func (p *fakeProvider) authorized(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	defer p.mu.Unlock()
	p.userHdr = r.Header.Clone()
	if !ok || !p.tokens[tok] {
		http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
		return false
	}
	return true
}

func (p *fakeProvider) userInfo(w http.ResponseWriter, r *http.Request) {
	if !p.authorized(w, r) {
		return
	}
	p.mu.Lock()
	fn, user := p.userFn, p.user
	p.mu.Unlock()
	if fn != nil && fn(w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(user)
}

func (p *fakeProvider) userEmails(w http.ResponseWriter, r *http.Request) {
	if !p.authorized(w, r) {
		return
	}
	p.mu.Lock()
	emails := p.emails
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(emails)
}

// hangToken makes the token endpoint wait until its request is cancelled
// (or 10 s), and report the request context's error.
func (p *fakeProvider) hangToken() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenErr = make(chan error, 1)
	ch := p.tokenErr
	p.tokenFn = func(w http.ResponseWriter, r *http.Request) bool {
		// net/http notices a client going away only once the body is read.
		_ = r.ParseForm()
		select {
		case <-r.Context().Done():
			ch <- r.Context().Err()
		case <-time.After(10 * time.Second):
			ch <- nil
		}
		return true
	}
}
