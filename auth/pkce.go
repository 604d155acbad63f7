package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"

	"github.com/tornago/tornago/web"
)

// pkceLabel separates the PKCE verifier's HMAC from any other use of the
// cookie secret.
const pkceLabel = "tornago/auth PKCE verifier\x00"

// pkceVerifier derives the browser's PKCE code verifier from its raw XSRF
// token: base64url(HMAC-SHA256(cookie secret, label + token)), 43
// characters of RFC 7636's alphabet, as long as the RFC's minimum and with
// 256 bits in it. Only the server, holding the secret, and only for this
// browser's token, can compute it; the provider sees its hash first and
// the verifier itself only on the token request. HMAC is one-way: the
// verifier reveals neither the token nor the secret.
func pkceVerifier(h *web.RequestHandler, rawXSRF []byte) (string, error) {
	st := h.Application().Settings()
	secret := st.CookieSecret
	if len(st.CookieSecrets) > 0 {
		secret = st.CookieSecrets[st.KeyVersion]
	}
	if secret == "" {
		return "", errors.New("auth: Login.PKCE needs Settings.CookieSecret (or CookieSecrets[KeyVersion]) to derive its verifier")
	}
	if len(rawXSRF) == 0 {
		return "", errors.New("auth: no XSRF token to derive the PKCE verifier from")
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(pkceLabel))
	m.Write(rawXSRF)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}
