package auth_test

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/tornago/tornago/auth"
	"github.com/tornago/tornago/web"
)

func TestPresets(t *testing.T) {
	g, gh := auth.Google(), auth.GitHub()
	tests := []struct {
		name            string
		got             auth.Provider
		authURL, tokURL string
		scopes          []string
		userURL         string
	}{
		{"google", g, "https://accounts.google.com/o/oauth2/auth", "https://oauth2.googleapis.com/token",
			[]string{"openid", "email", "profile"}, "https://openidconnect.googleapis.com/v1/userinfo"},
		{"github", gh, "https://github.com/login/oauth/authorize", "https://github.com/login/oauth/access_token",
			[]string{"read:user", "user:email"}, "https://api.github.com/user"},
	}
	for _, tt := range tests {
		p := tt.got
		if p.Name != tt.name || p.Endpoint.AuthURL != tt.authURL || p.Endpoint.TokenURL != tt.tokURL ||
			!reflect.DeepEqual(p.Scopes, tt.scopes) || p.UserURL != tt.userURL {
			t.Errorf("%s preset: %+v", tt.name, p)
		}
	}
	if gh.UserHeader.Get("Accept") != "application/vnd.github+json" || gh.CompleteUser == nil {
		t.Errorf("github preset: header %v, CompleteUser set %v", gh.UserHeader, gh.CompleteUser != nil)
	}
	// Presets are values: changing one changes no other.
	g.Scopes[0] = "changed"
	if auth.Google().Scopes[0] != "openid" {
		t.Error("Google() shares its scopes between calls")
	}
}

func TestGitHubPresetAgainstFake(t *testing.T) {
	p := newFakeProvider(t)
	p.user = map[string]any{"id": 12345678901234, "login": "octocat", "name": "The Octocat", "email": nil, "avatar_url": "https://avatars.example/u/1"}
	p.emails = []map[string]any{
		{"email": "old@example.com", "primary": false, "verified": true},
		{"email": "octo@example.com", "primary": true, "verified": true},
	}
	gh := auth.GitHub()
	gh.Endpoint = oauth2.Endpoint{AuthURL: p.srv.URL + "/authorize", TokenURL: p.srv.URL + "/token", AuthStyle: oauth2.AuthStyleInHeader}
	gh.UserURL = p.srv.URL + "/user"
	got := make(chan *auth.User, 1)
	login := &auth.Login{Provider: gh, ClientID: p.clientID, ClientSecret: p.clientSecret,
		OnLogin: func(h *web.RequestHandler, u *auth.User, next string) error {
			got <- u
			return storeUser(h, u, next)
		}}
	s := newSite(t, &auth.LoginHandler{Login: login})
	last, visited := newBrowser(t).follow(s.URL + "/private")
	if last.status != 200 || last.body != "hello The Octocat <octo@example.com> #12345678901234" {
		t.Fatalf("github login: %d %q (visited %v)", last.status, last.body, visited)
	}
	u := <-got
	if u.Login != "octocat" || u.Picture != "https://avatars.example/u/1" || !u.EmailVerified || u.Provider != "github" {
		t.Errorf("user %+v", u)
	}
	if strings.Join(p.scopes, " ") != "read:user user:email" {
		t.Errorf("scopes asked: %v", p.scopes)
	}
	p.mu.Lock()
	accept := p.userHdr.Get("Accept")
	p.mu.Unlock()
	if accept != "application/vnd.github+json" {
		t.Errorf("Accept %q", accept)
	}
}

func TestDecodeUser(t *testing.T) {
	tests := []struct {
		name string
		in   map[string]any
		want auth.User
		err  bool
	}{
		{"openid connect", map[string]any{"sub": "1", "preferred_username": "ann", "name": "Ann", "email": "a@x", "email_verified": true, "picture": "p"},
			auth.User{ID: "1", Login: "ann", Name: "Ann", Email: "a@x", EmailVerified: true, Picture: "p"}, false},
		{"github names", map[string]any{"id": float64(77), "login": "octo", "avatar_url": "a"},
			auth.User{ID: "77", Login: "octo", Picture: "a"}, false},
		{"verified as a string", map[string]any{"sub": "2", "email_verified": "true"}, auth.User{ID: "2", EmailVerified: true}, false},
		{"sub wins over id", map[string]any{"sub": "s", "id": "i"}, auth.User{ID: "s"}, false},
		{"no id", map[string]any{"name": "x"}, auth.User{}, true},
		{"id of the wrong type", map[string]any{"id": []any{1}}, auth.User{}, true},
	}
	for _, tt := range tests {
		u, err := auth.DecodeUser(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("%s: error %v", tt.name, err)
			continue
		}
		if err == nil && !reflect.DeepEqual(*u, tt.want) {
			t.Errorf("%s: %+v, want %+v", tt.name, *u, tt.want)
		}
	}
}
