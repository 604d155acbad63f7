package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/tornago/tornago/locale"
)

// ErrHandled is returned by a step that has already finished the response
// (Authenticate's redirect, for instance): the handler returns it, and
// nothing more is sent or logged. It is Tornado's Finish exception.
var ErrHandled = errors.New("web: response finished")

// CurrentUser returns the logged-in user: the handler's GetCurrentUser,
// called once per request and only when needed, or what SetCurrentUser set;
// nil when nobody is logged in. An error from GetCurrentUser makes it nil
// and fails the request with that error once the handler returns.
func (h *RequestHandler) CurrentUser() any {
	x := h.ext()
	if !x.userLoaded {
		x.userLoaded = true
		if h.ht.currentUser {
			x.currentUser, x.userErr = h.self.(currentUserGetter).GetCurrentUser()
			if x.userErr != nil {
				x.currentUser = nil
			}
		}
	}
	return x.currentUser
}

// SetCurrentUser sets the user CurrentUser returns, e.g. from Prepare when
// loading it needs more than GetCurrentUser can do.
func (h *RequestHandler) SetCurrentUser(user any) {
	x := h.ext()
	x.currentUser, x.userLoaded, x.userErr = user, true, nil
}

// GetLoginURL returns Settings.LoginURL; define it on a handler to send
// users elsewhere.
func (h *RequestHandler) GetLoginURL() string { return h.app.settings.LoginURL }

// Authenticated makes every verb method of a handler require a logged-in
// user (Tornado's @authenticated on each method): embed it. A request
// without one is redirected to the login URL (GET and HEAD, with ?next=)
// or refused with 403 (other methods), before the verb method runs.
type Authenticated struct{}

func (Authenticated) authenticated() {}

type authMarker interface{ authenticated() }

// Authenticate is the check of Authenticated, for one method: it returns
// nil when a user is logged in; otherwise it redirects a GET or HEAD to the
// login URL and returns ErrHandled, or returns a 403 error. Use it as
//
//	if err := h.Authenticate(); err != nil {
//		return err
//	}
func (h *RequestHandler) Authenticate() error {
	if h.CurrentUser() != nil {
		return nil
	}
	if err := h.x.userErr; err != nil {
		return err
	}
	m := h.Request.Method
	if m != "GET" && m != "HEAD" {
		return NewHTTPError(403)
	}
	login := h.self.(loginURLGetter).GetLoginURL()
	if login == "" {
		return errors.New("web: Authenticate needs Settings.LoginURL (or a GetLoginURL method)")
	}
	if !strings.Contains(login, "?") {
		next := h.Request.URI
		if u, err := url.Parse(login); err == nil && u.Scheme != "" {
			next = h.Request.FullURL()
		}
		login += "?" + url.Values{"next": {next}}.Encode()
	}
	if err := h.Redirect(login); err != nil {
		return err
	}
	return ErrHandled
}

// Locale returns the locale of the request: the handler's GetUserLocale,
// or, when that is absent or returns nil, the browser's (BrowserLocale).
func (h *RequestHandler) Locale() *locale.Locale {
	x := h.ext()
	if x.loc == nil {
		if h.ht.userLocale {
			x.loc = h.self.(userLocaleGetter).GetUserLocale()
		}
		if x.loc == nil {
			x.loc = h.BrowserLocale()
		}
	}
	return x.loc
}

// SetLocale sets the locale Locale returns.
func (h *RequestHandler) SetLocale(l *locale.Locale) { h.ext().loc = l }

// BrowserLocale returns the supported locale closest to the request's
// Accept-Language header (by q-value), or def (default "en_US") without
// one.
func (h *RequestHandler) BrowserLocale(def ...string) *locale.Locale {
	if al := h.Request.Header.Get("Accept-Language"); al != "" {
		if codes := locale.ParseAcceptLanguage(al); len(codes) > 0 {
			return locale.Get(codes...)
		}
	}
	d := "en_US"
	if len(def) > 0 {
		d = def[0]
	}
	return locale.Get(d)
}
