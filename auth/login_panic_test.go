package auth_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/tornago/tornago/auth"
	"github.com/tornago/tornago/web"
)

// blockingRoute serves a Login on the worker pool.
type blockingRoute struct {
	auth.LoginHandler
	web.Blocking
}

// TestCompleteUserPanicIsA502: a provider's CompleteUser that panics fails
// the login as the provider's fault, a 502, on an inline handler (the
// executor) and on a blocking one (the handler's worker) alike.
func TestCompleteUserPanicIsA502(t *testing.T) {
	for name, blocking := range map[string]bool{"inline": false, "blocking": true} {
		t.Run(name, func(t *testing.T) {
			p := newFakeProvider(t)
			login := p.login(storeUser)
			login.Provider.CompleteUser = func(context.Context, *http.Client, *auth.Provider, *auth.User) error {
				panic("boom")
			}
			var h web.Handler = &auth.LoginHandler{Login: login}
			if blocking {
				h = &blockingRoute{LoginHandler: auth.LoginHandler{Login: login}}
			}
			s := newSite(t, h)
			last, visited := newBrowser(t).follow(s.URL + "/login")
			if last.status != 502 {
				t.Errorf("login ended with %d %q (visited %v), want 502", last.status, last.body, visited)
			}
		})
	}
}
