package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/endpoints"
)

// A Provider describes an OAuth2 provider: where to send the user, where
// to exchange the code, which scopes to ask for, and how to fetch and read
// the user. Google and GitHub return ready ones; any other provider is a
// Provider literal.
type Provider struct {
	// Name names the provider in logs and in User.Provider ("google").
	Name string
	// Endpoint holds the authorize and token URLs (and how the token
	// endpoint wants the client's credentials).
	Endpoint oauth2.Endpoint
	// Scopes are the scopes asked for.
	Scopes []string
	// UserURL is the user endpoint, called with the access token (a GET
	// with "Authorization: Bearer ..."); it must answer a JSON object.
	UserURL string
	// UserHeader holds extra headers for the user endpoint's request
	// (GitHub's Accept header, for instance).
	UserHeader http.Header
	// DecodeUser turns the user endpoint's JSON object into a User; nil
	// means DecodeUser (the common OpenID Connect and GitHub field names).
	// The User's Provider, Raw and Token are filled in after it.
	DecodeUser func(data map[string]any) (*User, error)
	// CompleteUser, if set, is called after DecodeUser with an HTTP client
	// that carries the access token, for providers that need a second call
	// (GitHub's e-mail address when the profile hides it). It runs off the
	// loop, with the request's context.
	CompleteUser func(ctx context.Context, client *http.Client, p *Provider, u *User) error
	// AuthCodeOptions are added to the authorize URL (for example
	// oauth2.AccessTypeOffline, or oauth2.SetAuthURLParam("prompt",
	// "select_account")).
	AuthCodeOptions []oauth2.AuthCodeOption
}

// Google returns Google's provider: the OpenID Connect scopes "openid
// email profile" and its userinfo endpoint, whose "sub" is the stable user
// id.
func Google() Provider {
	return Provider{
		Name:     "google",
		Endpoint: endpoints.Google,
		Scopes:   []string{"openid", "email", "profile"},
		UserURL:  "https://openidconnect.googleapis.com/v1/userinfo",
	}
}

// GitHub returns GitHub's provider: the scopes "read:user user:email" and
// the user endpoint api.github.com/user. When the profile's e-mail address
// is private, the primary verified address is read from the emails
// endpoint next to the user endpoint (UserURL + "/emails").
func GitHub() Provider {
	return Provider{
		Name:         "github",
		Endpoint:     endpoints.GitHub,
		Scopes:       []string{"read:user", "user:email"},
		UserURL:      "https://api.github.com/user",
		UserHeader:   http.Header{"Accept": {"application/vnd.github+json"}},
		CompleteUser: githubEmail,
	}
}

// maxUserBody bounds what is read from a user endpoint: a profile is a few
// KiB, and a provider that sends megabytes is broken, not generous.
const maxUserBody = 1 << 20

// A ProviderError is a provider's failure after the user came back: a
// refused code, a failing or malformed user endpoint. Status is the HTTP
// status the login answers with (401 when the user should simply try
// again, 502 when the provider or the configuration is at fault).
type ProviderError struct {
	Status   int    // 401 or 502
	Provider string // Provider.Name
	Step     string // "callback", "token", "user"
	Err      error  // what went wrong
}

func (e *ProviderError) Error() string {
	return "auth: " + e.Provider + " " + e.Step + ": " + e.Err.Error()
}

func (e *ProviderError) Unwrap() error { return e.Err }

// fetchJSON GETs url with client and decodes its JSON body into v.
func fetchJSON(ctx context.Context, client *http.Client, url string, header http.Header, v any) error {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return err
	}
	for name, values := range header {
		req.Header[name] = values
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxUserBody+1))
	if err != nil {
		return fmt.Errorf("reading %s: %w", url, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s answered %s: %.200q", url, resp.Status, body)
	}
	if len(body) > maxUserBody {
		return fmt.Errorf("%s answered more than %d bytes", url, maxUserBody)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // ids stay exact, whatever their size
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s answered malformed JSON: %w", url, err)
	}
	return nil
}

// githubEmail fills u.Email from GitHub's emails endpoint when the profile
// has none: the primary, verified address.
func githubEmail(ctx context.Context, client *http.Client, p *Provider, u *User) error {
	if u.Email != "" {
		return nil
	}
	var emails []struct {
		Email    string `json:"email"`
		Primary  bool   `json:"primary"`
		Verified bool   `json:"verified"`
	}
	if err := fetchJSON(ctx, client, p.UserURL+"/emails", p.UserHeader, &emails); err != nil {
		return err
	}
	for _, e := range emails {
		if e.Primary && e.Verified {
			u.Email, u.EmailVerified = e.Email, true
			return nil
		}
	}
	return nil // no verified primary address: the user has none to give
}

// strField returns data[key] as a string: strings as they are, JSON numbers
// in decimal without exponent (GitHub's numeric ids).
func strField(data map[string]any, key string) string {
	switch v := data[key].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	}
	return ""
}
