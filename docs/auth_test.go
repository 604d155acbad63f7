package docs_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"

	"golang.org/x/oauth2"

	"github.com/tornago/tornago/auth"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// guide: auth-login

// googleLogin is the login flow with Google: the credentials from the
// environment, the callback URL as registered in Google's console.
func googleLogin() *auth.Login {
	return &auth.Login{
		Provider:     auth.Google(), // or auth.GitHub(), or your own auth.Provider
		ClientID:     os.Getenv("GOOGLE_CLIENT_ID"),
		ClientSecret: os.Getenv("GOOGLE_CLIENT_SECRET"),
		RedirectURL:  "https://example.com/auth/google",
		OnLogin: func(h *web.RequestHandler, u *auth.User, next string) error {
			// Google vouched for u; key accounts on Provider and ID. Returning
			// without finishing the response redirects to next (a local URL).
			return h.SetSecureCookie("user", u.Provider+":"+u.ID)
		},
	}
}

func oauthApp(secret string, login *auth.Login) (*web.Application, error) {
	return web.NewApplication([]web.Rule{
		// One route serves both legs: the redirect to Google and the callback.
		{Pattern: "/auth/google", Handler: &auth.LoginHandler{Login: login}},
		{Pattern: "/compose", Handler: &ComposeHandler{}}, // reads the "user" cookie
	}, web.Settings{
		CookieSecret: secret,
		LoginURL:     "/auth/google", // Authenticated sends users there, with ?next=
	})
}

// end

// guide: auth-provider

// gitLabProvider is any other OAuth2 provider: its endpoints, scopes and
// user endpoint, and how to read its user.
func gitLabProvider() auth.Provider {
	return auth.Provider{
		Name: "gitlab",
		Endpoint: oauth2.Endpoint{
			AuthURL:  "https://gitlab.example.com/oauth/authorize",
			TokenURL: "https://gitlab.example.com/oauth/token",
		},
		Scopes:  []string{"read_user"},
		UserURL: "https://gitlab.example.com/api/v4/user",
		DecodeUser: func(data map[string]any) (*auth.User, error) {
			u, err := auth.DecodeUser(data) // id, name, email, avatar_url
			if err != nil {
				return nil, err
			}
			u.Login, _ = data["username"].(string)
			return u, nil
		},
	}
}

// end

// TestOAuthSample logs in through the guide's Google login, with Google
// replaced by a provider on loopback.
func TestOAuthSample(t *testing.T) {
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/token":
			if r.PostFormValue("code") != "good-code" {
				w.WriteHeader(400)
				fmt.Fprint(w, `{"error":"invalid_grant"}`)
				return
			}
			fmt.Fprint(w, `{"access_token":"tok","token_type":"Bearer"}`)
		case "/userinfo":
			if r.Header.Get("Authorization") != "Bearer tok" {
				w.WriteHeader(401)
				return
			}
			fmt.Fprint(w, `{"sub":"1234","email":"ann@example.com"}`)
		default:
			w.WriteHeader(404)
		}
	}))
	defer provider.Close()
	login := googleLogin()
	login.ClientID = "test-client"
	login.Provider.Endpoint = oauth2.Endpoint{AuthURL: provider.URL + "/auth", TokenURL: provider.URL + "/token"}
	login.Provider.UserURL = provider.URL + "/userinfo"
	app, err := oauthApp("a long random secret of at least 32 bytes", login)
	if err != nil {
		t.Fatal(err)
	}
	c := webtest.NewClient(t, app)
	toLogin := c.Get("/compose")
	if toLogin.Status != 302 || toLogin.Get("Location") != "/auth/google?next=%2Fcompose" {
		t.Fatalf("GET /compose = %d to %q", toLogin.Status, toLogin.Get("Location"))
	}
	toProvider := c.Get(toLogin.Get("Location"))
	authorize, err := url.Parse(toProvider.Get("Location"))
	if err != nil || authorize.Path != "/auth" || authorize.Query().Get("redirect_uri") != "https://example.com/auth/google" {
		t.Fatalf("login redirect = %d to %q", toProvider.Status, toProvider.Get("Location"))
	}
	state := authorize.Query().Get("state")
	// The provider sends the browser back with a code and the state.
	if bad := c.Get("/auth/google?code=good-code&state=" + url.QueryEscape("x"+state)); bad.Status != 403 {
		t.Errorf("foreign state = %d", bad.Status)
	}
	back := c.Get("/auth/google?code=good-code&state=" + url.QueryEscape(state))
	if back.Status != 302 || back.Get("Location") != "/compose" {
		t.Fatalf("callback = %d to %q: %s", back.Status, back.Get("Location"), back.Text())
	}
	if page := c.Get("/compose"); page.Text() != "write something, google:1234" {
		t.Errorf("GET /compose = %d %q", page.Status, page.Text())
	}
}

func TestCustomProviderSample(t *testing.T) {
	p := gitLabProvider()
	var data map[string]any
	if err := json.Unmarshal([]byte(`{"id":42,"username":"ann","name":"Ann","email":"ann@example.com"}`), &data); err != nil {
		t.Fatal(err)
	}
	u, err := p.DecodeUser(data)
	if err != nil || u.ID != "42" || u.Login != "ann" || u.Email != "ann@example.com" {
		t.Errorf("DecodeUser = %+v, %v", u, err)
	}
	if _, err := p.DecodeUser(map[string]any{"username": "nobody"}); err == nil {
		t.Error("a user without an id decoded")
	}
}
