// Package auth is Tornado's third-party login (tornado.auth) for web
// handlers, the Go way: an OAuth2 authorization-code flow on
// golang.org/x/oauth2, with Google and GitHub ready to use and any other
// provider described by a Provider value.
//
// A Login serves both legs of the flow from one URL. A GET without a code
// redirects the browser to the provider, with a state bound to the user's
// XSRF token (an HMAC keyed with it, which does not reveal it) and to the
// page to return to; the provider sends the browser back with a code and
// that state. The state is checked against the XSRF cookie (a missing,
// foreign or altered state is a 403), the code is exchanged for a
// token and the user is fetched from the provider's user endpoint, off the
// loop: on the loop's executor, with the request's Context, so a client
// that goes away cancels the calls. The user is then handed to the
// application (Login.OnLogin, or an OnLogin method of the handler), which
// typically sets a secure cookie; the browser is then sent back to where it
// started.
//
//	login := &auth.Login{
//		Provider:     auth.Google(),
//		ClientID:     os.Getenv("GOOGLE_CLIENT_ID"),
//		ClientSecret: os.Getenv("GOOGLE_CLIENT_SECRET"),
//		RedirectURL:  "https://example.com/auth/google",
//		OnLogin: func(h *web.RequestHandler, u *auth.User, next string) error {
//			return h.SetSecureCookie("user", u.Provider+":"+u.ID) // IDs never change
//		},
//	}
//	rules := []web.Rule{{Pattern: "/auth/google", Handler: &auth.LoginHandler{Login: login}}}
//
// Errors from the provider (a refused consent, a rejected code, a failing
// user endpoint, malformed JSON, a timeout) become HTTP errors (401, 502 or
// 504) and a log line, never a panic. Login.PKCE adds RFC 7636's proof key.
package auth
