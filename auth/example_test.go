package auth_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/tornago/tornago/auth"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// A Login with Google: the route's first GET sends the browser to Google
// with a state bound to its XSRF token (an HMAC keyed with it); Google's redirect back to the same
// route completes the login and calls OnLogin, then returns to next.
func Example() {
	login := &auth.Login{
		Provider:     auth.Google(),
		ClientID:     "my-client-id.apps.googleusercontent.com",
		ClientSecret: "my-client-secret",
		RedirectURL:  "https://example.com/auth/google",
		OnLogin: func(h *web.RequestHandler, u *auth.User, next string) error {
			// Key accounts on the provider's stable ID, not the e-mail.
			return h.SetSecureCookie("user", u.Provider+":"+u.ID)
		},
	}
	app, err := web.NewApplication([]web.Rule{
		{Pattern: "/auth/google", Handler: &auth.LoginHandler{Login: login}},
	}, web.Settings{CookieSecret: "a long random secret of at least 32 bytes", LoginURL: "/auth/google"})
	if err != nil {
		panic(err)
	}
	c := webtest.NewClient(nil, app)
	resp := c.Get("/auth/google?next=/settings")
	to, _ := url.Parse(resp.Get("Location"))
	q := to.Query()
	fmt.Println(resp.Status, to.Host+to.Path)
	fmt.Println(q.Get("scope"))
	fmt.Println(q.Get("redirect_uri"))
	// The state is an HMAC keyed with the browser's XSRF token (which it
	// does not reveal), then where to return, base64url-encoded.
	mac, next, _ := strings.Cut(q.Get("state"), ".")
	page, _ := base64.RawURLEncoding.DecodeString(next)
	fmt.Println("XSRF cookie set:", c.XSRFToken() != "", "MAC:", len(mac), "characters, next:", string(page))

	// A callback whose state is not this browser's is refused.
	fmt.Println(c.Get("/auth/google?code=abc&state=2|00000000|00|1").Status)
	// Output:
	// 302 accounts.google.com/o/oauth2/auth
	// openid email profile
	// https://example.com/auth/google
	// XSRF cookie set: true MAC: 43 characters, next: /settings
	// 403
}

// GitHubLogin takes the user itself: it embeds LoginHandler and defines
// OnLogin, which makes it an auth.Receiver.
type GitHubLogin struct {
	auth.LoginHandler
}

func (h *GitHubLogin) OnLogin(u *auth.User, next string) error {
	if err := h.SetSecureCookie("user", "github:"+u.ID); err != nil {
		return err
	}
	return h.RedirectLocal(next)
}

// A handler that takes the user itself, with GitHub's preset.
func ExampleReceiver() {
	login := &auth.Login{Provider: auth.GitHub(), ClientID: "Iv1.0123456789abcdef", ClientSecret: "secret"}
	app, _ := web.NewApplication([]web.Rule{
		{Pattern: "/auth/github", Handler: &GitHubLogin{LoginHandler: auth.LoginHandler{Login: login}}},
	}, web.Settings{CookieSecret: "a long random secret of at least 32 bytes", Logger: slog.New(slog.DiscardHandler)})
	c := webtest.NewClient(nil, app)
	resp := c.Get("/auth/github")
	to, _ := url.Parse(resp.Get("Location"))
	fmt.Println(resp.Status, to.Host+to.Path, to.Query().Get("scope"))
	// The user refused on GitHub's consent page.
	fmt.Println(c.Get("/auth/github?error=access_denied").Status)
	// Output:
	// 302 github.com/login/oauth/authorize read:user user:email
	// 401
}

// DecodeUser reads the field names of OpenID Connect and GitHub; a
// provider with other names sets its own Provider.DecodeUser.
func ExampleDecodeUser() {
	u, err := auth.DecodeUser(map[string]any{
		"id": json.Number("583231"), "login": "octocat", "name": "The Octocat",
		"avatar_url": "https://avatars.githubusercontent.com/u/583231",
	})
	fmt.Println(u.ID, u.Login, u.Name, u.Picture, err)
	_, err = auth.DecodeUser(map[string]any{"name": "nobody"})
	fmt.Println(err)
	// Output:
	// 583231 octocat The Octocat https://avatars.githubusercontent.com/u/583231 <nil>
	// the user has no "sub" or "id"
}
