package web

import "strings"

// RemoveSlash makes a handler's URL canonical without a trailing slash
// (Tornado's @removeslash on every verb method): embed it. A GET or HEAD
// for "/path/" is redirected (301) to "/path", query kept; other methods
// get a 404. Use it with a pattern like "/path/*".
type RemoveSlash struct{}

func (RemoveSlash) removeSlash() {}

// AddSlash makes a handler's URL canonical with a trailing slash
// (Tornado's @addslash): a GET or HEAD for "/path" is redirected (301) to
// "/path/", query kept; other methods get a 404. Use it with a pattern
// like "/path/?".
type AddSlash struct{}

func (AddSlash) addSlash() {}

type (
	removeSlashMarker interface{ removeSlash() }
	addSlashMarker    interface{ addSlash() }
)

// canonicalSlash applies RemoveSlash or AddSlash before the verb method.
func (h *RequestHandler) canonicalSlash() error {
	r := h.Request
	get := r.Method == "GET" || r.Method == "HEAD"
	var target string
	switch {
	case h.ht.removeSlash && strings.HasSuffix(r.Path, "/"):
		target = strings.TrimRight(r.Path, "/")
		if target == "" {
			return nil // "/" stays "/"
		}
	case h.ht.addSlash && !strings.HasSuffix(r.Path, "/"):
		target = r.Path + "/"
	default:
		return nil
	}
	if !get {
		return NewHTTPError(404)
	}
	if r.Query != "" {
		target += "?" + r.Query
	}
	if err := h.Redirect(target, 301); err != nil {
		return err
	}
	return ErrHandled
}
