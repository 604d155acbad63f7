package auth

import (
	"golang.org/x/oauth2"
)

// A User is who logged in, as the provider describes them.
type User struct {
	// ID is the provider's stable id for the user (OpenID Connect's "sub",
	// GitHub's numeric "id"); e-mail addresses and logins can change, IDs
	// do not, so key accounts on Provider and ID.
	ID string
	// Login is the user's handle where the provider has one (GitHub's
	// "login", OpenID Connect's "preferred_username").
	Login string
	// Name is the display name.
	Name string
	// Email is the e-mail address, "" if the provider gave none.
	Email string
	// EmailVerified reports whether the provider vouches for Email.
	EmailVerified bool
	// Picture is the avatar's URL.
	Picture string
	// Provider is the Provider's Name.
	Provider string
	// Raw is the user endpoint's JSON object as decoded (numbers as
	// json.Number), for fields User does not name.
	Raw map[string]any
	// Token is the access token (with its refresh token, if the provider
	// gave one), for calling the provider's API on the user's behalf.
	Token *oauth2.Token
}

// DecodeUser is the default Provider.DecodeUser: it reads OpenID Connect's
// claims (sub, preferred_username, name, email, email_verified, picture)
// and GitHub's names for the same things (id, login, avatar_url). A user
// without an id is an error: an account cannot be keyed on nothing.
func DecodeUser(data map[string]any) (*User, error) {
	u := &User{
		ID:      firstField(data, "sub", "id"),
		Login:   firstField(data, "preferred_username", "login"),
		Name:    strField(data, "name"),
		Email:   strField(data, "email"),
		Picture: firstField(data, "picture", "avatar_url"),
	}
	switch v := data["email_verified"].(type) {
	case bool:
		u.EmailVerified = v
	case string: // some providers send "true"
		u.EmailVerified = v == "true"
	}
	if u.ID == "" {
		return nil, errNoID
	}
	return u, nil
}

// firstField returns the first of keys that data has as a non-empty string
// or number.
func firstField(data map[string]any, keys ...string) string {
	for _, k := range keys {
		if s := strField(data, k); s != "" {
			return s
		}
	}
	return ""
}
