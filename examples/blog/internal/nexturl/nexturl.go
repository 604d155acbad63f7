// Package nexturl checks the "next" argument of the blog's login, logout
// and create-author pages, where the browser goes afterwards. Only a path
// on this site is accepted: anything else would make the blog an open
// redirect (a link to the real blog that lands on a phishing page after
// the user signs in).
//
//	next, err := nexturl.Parse(h.GetArgument("next", ""), "/")
//	if err != nil {
//		return web.NewHTTPError(400)
//	}
package nexturl

import (
	"errors"
	"unicode"
	"unicode/utf8"
)

// ErrNotLocal is returned by Parse for a value that is not a local path.
var ErrNotLocal = errors.New("nexturl: not a local path")

// IsLocal reports whether next is a local absolute path: it starts with
// exactly one "/" not followed by "/" or "\" (browsers read "//host" and
// "/\host" as another host), holds no backslash anywhere (browsers turn "\"
// into "/"), no control character or space (browsers drop tabs and
// newlines, so "/\t/host" would become "//host"), and is valid UTF-8. A
// scheme cannot appear: the value starts with "/".
func IsLocal(next string) bool {
	if len(next) == 0 || next[0] != '/' {
		return false
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return false
	}
	if !utf8.ValidString(next) {
		return false
	}
	for _, r := range next {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// Parse returns next if it is local, fallback if next is empty (the
// argument was not given), and ErrNotLocal otherwise.
func Parse(next, fallback string) (string, error) {
	if next == "" {
		return fallback, nil
	}
	if !IsLocal(next) {
		return "", ErrNotLocal
	}
	return next, nil
}
