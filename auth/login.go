package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/web"
)

// DefaultTimeout bounds the code exchange and the user fetch together,
// as Tornado's 20 s request_timeout bounds each of its fetches: a provider
// slower than that is down, and the browser is waiting.
const DefaultTimeout = 20 * time.Second

// A Login is the configuration of one provider's login flow. Serve it from
// a GET handler (LoginHandler does). A Login is read, never changed, by the
// requests it serves: share one among them.
type Login struct {
	// Provider is the provider: Google(), GitHub() or your own.
	Provider Provider
	// ClientID and ClientSecret are the application's credentials at the
	// provider.
	ClientID, ClientSecret string
	// RedirectURL is the absolute URL of the handler serving this Login,
	// as registered at the provider. "" means the request's own URL
	// (protocol, Host header and path), which is right only when the Host
	// header can be trusted, e.g. not behind a proxy that rewrites it.
	RedirectURL string
	// Scopes, if set, replace the provider's scopes.
	Scopes []string
	// OnLogin receives the user once the flow succeeded, on the handler's
	// goroutine (the loop, for an inline handler), with the local page the
	// user started from (or "/"). It typically sets a secure cookie. If it
	// does not finish the response, the browser is redirected to next.
	// When nil, the handler's own OnLogin method (a Receiver) is called.
	OnLogin func(h *web.RequestHandler, u *User, next string) error
	// HTTPClient makes the token and user requests; nil means
	// http.DefaultClient. Tests point it at a local provider.
	HTTPClient *http.Client
	// PKCE adds RFC 7636's proof key (S256) to the flow, so that a code
	// stolen on its way back (from a log, a referrer, a redirect) cannot be
	// redeemed in another browser. The verifier is derived from the
	// browser's XSRF token and the application's cookie secret
	// (HMAC-SHA256), so nothing more is stored; it needs
	// Settings.CookieSecret (or CookieSecrets), and a provider that
	// supports PKCE (Google does; most do; the others ignore it).
	PKCE bool
	// Timeout bounds the token and user requests together; 0 means
	// DefaultTimeout. The request's Context bounds them too, so a client
	// that goes away cancels them.
	Timeout time.Duration
}

// A Receiver is a handler that takes the logged-in user itself, as
// Tornado's handlers do after get_authenticated_user: embed LoginHandler
// and define OnLogin. It is used when Login.OnLogin is nil.
type Receiver interface {
	OnLogin(u *User, next string) error
}

// LoginHandler serves a Login at its route: route it with the Login set,
// or embed it in a handler that defines OnLogin (a Receiver).
//
//	{Pattern: "/auth/github", Handler: &auth.LoginHandler{Login: githubLogin}}
type LoginHandler struct {
	web.RequestHandler
	// Login is the flow this route serves.
	Login *Login
}

// Get serves both legs of the flow; see Login.Serve.
func (h *LoginHandler) Get() error {
	if h.Login == nil {
		return errors.New("auth: LoginHandler has no Login")
	}
	return h.Login.Serve(&h.RequestHandler)
}

// Serve runs the login flow for a GET request on h:
//
//   - with an "error" argument (the user refused, or the provider failed),
//     a 401 for "access_denied" and a 502 otherwise;
//   - without a "code" argument, a redirect to the provider, whose state
//     is an HMAC keyed with the user's XSRF token (which it does not
//     reveal) over the "next" argument, and next itself if it is a local
//     URL;
//   - with a code, the state is checked against the XSRF cookie (403 if
//     missing, foreign or altered), the code exchanged for a token and the
//     user fetched, off the loop; then OnLogin, and a redirect to next.
//
// In an inline handler (the default) the network calls run on the loop's
// executor and the response is finished later (Serve calls Async): return
// what Serve returns and write nothing after. In a blocking handler (one
// that embeds web.Blocking, or on a Rule with Blocking set; see
// RequestHandler.OnWorker) they run on the handler's own worker.
func (l *Login) Serve(h *web.RequestHandler) error {
	if l.ClientID == "" || l.Provider.Endpoint.AuthURL == "" || l.Provider.Endpoint.TokenURL == "" {
		return fmt.Errorf("auth: %s login needs a ClientID and the provider's authorize and token URLs", l.Provider.Name)
	}
	if e, _ := h.GetQueryArgument("error", ""); e != "" {
		desc, _ := h.GetQueryArgument("error_description", "")
		return callbackError(l.Provider.Name, e, desc)
	}
	code, _ := h.GetQueryArgument("code", "")
	if code == "" {
		next, _ := h.GetQueryArgument("next", "")
		raw, ok := decodeXSRFToken(h.XSRFToken())
		if !ok {
			return errors.New("auth: the XSRF token is in no format this package reads")
		}
		opts := l.Provider.AuthCodeOptions
		if l.PKCE {
			verifier, err := pkceVerifier(h, raw)
			if err != nil {
				return err
			}
			opts = append(opts[:len(opts):len(opts)], oauth2.S256ChallengeOption(verifier))
		}
		return h.Redirect(l.config(h).AuthCodeURL(encodeState(raw, next), opts...))
	}
	state, _ := h.GetQueryArgument("state", "")
	next, raw, err := checkState(h, state)
	if err != nil {
		return err
	}
	var exchangeOpts []oauth2.AuthCodeOption
	if l.PKCE {
		verifier, err := pkceVerifier(h, raw)
		if err != nil {
			return err
		}
		exchangeOpts = append(exchangeOpts, oauth2.VerifierOption(verifier))
	}
	if next == "" {
		next = "/"
	}
	cfg := l.config(h)
	ctx := h.Context()
	if h.OnWorker() {
		u, err := l.fetchRecovering(ctx, cfg, code, exchangeOpts)
		if err != nil {
			return httpError(err)
		}
		return l.deliver(h, u, next)
	}
	h.Async()
	// The request's strings may share the loop's read buffer until the
	// verb method returns: the code is used after that, on another goroutine.
	code = strings.Clone(code)
	fetch := func() (any, error) { return l.fetchRecovering(ctx, cfg, code, exchangeOpts) }
	done := func(v any, err error) {
		if err == nil {
			err = l.deliverRecovering(h, v.(*User), next)
		}
		switch {
		case err == nil || errors.Is(err, web.ErrHandled):
		case h.ClientClosed(): // nobody to tell; the cancelled calls are why
			logger(h).Debug("auth: " + l.Provider.Name + " login abandoned by the client: " + err.Error())
		default:
			failAsync(h, httpError(err))
		}
		if !h.Finished() {
			_ = h.Finish()
		}
	}
	if loop := h.Request.Loop(); loop != nil {
		loop.RunInExecutor(fetch).AddDoneCallback(func(f *ioloop.Future) { done(f.Result()) })
		return nil
	}
	// No loop (the in-process test client, the net/http bridge): a
	// goroutine, and the result handed back to the handler's goroutine.
	go func() {
		v, err := fetch()
		h.RunOnLoop(func() { done(v, err) })
	}()
	return nil
}

// config is the oauth2 configuration for a request.
func (l *Login) config(h *web.RequestHandler) *oauth2.Config {
	redirect := l.RedirectURL
	if redirect == "" {
		r := h.Request
		redirect = r.Protocol + "://" + r.Host + r.Path
	}
	scopes := l.Scopes
	if scopes == nil {
		scopes = l.Provider.Scopes
	}
	return &oauth2.Config{
		ClientID:     l.ClientID,
		ClientSecret: l.ClientSecret,
		Endpoint:     l.Provider.Endpoint,
		RedirectURL:  redirect,
		Scopes:       scopes,
	}
}

// fetch exchanges the code and fetches the user: the blocking part of the
// flow, run off the loop.
func (l *Login) fetch(ctx context.Context, cfg *oauth2.Config, code string, opts []oauth2.AuthCodeOption) (*User, error) {
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if l.HTTPClient != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, l.HTTPClient)
	}
	p := &l.Provider
	tok, err := cfg.Exchange(ctx, code, opts...)
	if err != nil {
		return nil, tokenError(p.Name, err)
	}
	if p.UserURL == "" {
		return nil, &ProviderError{Status: 502, Provider: p.Name, Step: "user", Err: errors.New("the provider has no UserURL")}
	}
	client := cfg.Client(ctx, tok)
	var data map[string]any
	if err := fetchJSON(ctx, client, p.UserURL, p.UserHeader, &data); err != nil {
		return nil, &ProviderError{Status: 502, Provider: p.Name, Step: "user", Err: err}
	}
	if data == nil {
		return nil, &ProviderError{Status: 502, Provider: p.Name, Step: "user", Err: fmt.Errorf("%s answered null, not a user", p.UserURL)}
	}
	decode := p.DecodeUser
	if decode == nil {
		decode = DecodeUser
	}
	u, err := decodeRecovering(decode, data)
	if err != nil {
		return nil, &ProviderError{Status: 502, Provider: p.Name, Step: "user", Err: err}
	}
	u.Provider, u.Raw, u.Token = p.Name, data, tok
	if p.CompleteUser != nil {
		if err := p.CompleteUser(ctx, client, p, u); err != nil {
			return nil, &ProviderError{Status: 502, Provider: p.Name, Step: "user", Err: err}
		}
	}
	return u, nil
}

// fetchRecovering is fetch with a panic in the provider's CompleteUser
// made an error of this login (a 502), on the executor, a goroutine of
// its own, or the handler's worker.
func (l *Login) fetchRecovering(ctx context.Context, cfg *oauth2.Config, code string, opts []oauth2.AuthCodeOption) (u *User, err error) {
	defer func() {
		if v := recover(); v != nil {
			u, err = nil, &ProviderError{Status: 502, Provider: l.Provider.Name, Step: "user", Err: fmt.Errorf("panic: %v", v)}
		}
	}()
	return l.fetch(ctx, cfg, code, opts)
}

// decodeRecovering calls an application's decode function; a panic in it
// is an error of this login, not of the process.
func decodeRecovering(decode func(map[string]any) (*User, error), data map[string]any) (u *User, err error) {
	defer func() {
		if v := recover(); v != nil {
			u, err = nil, fmt.Errorf("DecodeUser panicked: %v", v)
		}
	}()
	u, err = decode(data)
	if err == nil && u == nil {
		err = errors.New("DecodeUser returned no user")
	}
	return u, err
}

// deliver hands the user to the application and, unless it finished the
// response, redirects to next.
func (l *Login) deliver(h *web.RequestHandler, u *User, next string) error {
	var err error
	switch r, isReceiver := h.Handler().(Receiver); {
	case l.OnLogin != nil:
		err = l.OnLogin(h, u, next)
	case isReceiver:
		err = r.OnLogin(u, next)
	default:
		err = errors.New("auth: Login has no OnLogin and the handler is no Receiver: the user would be dropped")
	}
	if err != nil || h.Finished() {
		return err
	}
	return h.RedirectLocal(next)
}

// deliverRecovering is deliver for the asynchronous path, where no one
// above would turn a panic in the application's OnLogin into a 500.
func (l *Login) deliverRecovering(h *web.RequestHandler, u *User, next string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("auth: OnLogin panicked: %v", v)
		}
	}()
	return l.deliver(h, u, next)
}
