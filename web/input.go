package web

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/tornago/tornago/httputil"
)

// GetArgument returns the last value of the query or body argument name,
// decoded and stripped of surrounding whitespace (a body value wins over a
// query value, as in Tornado). If the argument is absent it returns def, or,
// without def, a 400 *MissingArgumentError ("Missing argument name") to
// return from the handler:
//
//	q, err := h.GetArgument("q")
//	if err != nil {
//		return err
//	}
//	page, _ := h.GetArgument("page", "1")
//
// A value that is not valid UTF-8 is a 400 error too.
func (h *RequestHandler) GetArgument(name string, def ...string) (string, error) {
	return lastArgument(name, h.allArguments(name), def)
}

// GetArguments returns every value of the query and body argument name
// (query values first), decoded and stripped; none is not an error.
func (h *RequestHandler) GetArguments(name string) ([]string, error) {
	return decodeArguments(name, h.allArguments(name))
}

// GetQueryArgument is GetArgument for the query string only.
func (h *RequestHandler) GetQueryArgument(name string, def ...string) (string, error) {
	return lastArgument(name, h.Request.QueryArguments()[name], def)
}

// GetQueryArguments is GetArguments for the query string only.
func (h *RequestHandler) GetQueryArguments(name string) ([]string, error) {
	return decodeArguments(name, h.Request.QueryArguments()[name])
}

// GetBodyArgument is GetArgument for the body (form fields) only.
func (h *RequestHandler) GetBodyArgument(name string, def ...string) (string, error) {
	return lastArgument(name, h.bodyArguments()[name], def)
}

// GetBodyArguments is GetArguments for the body (form fields) only.
func (h *RequestHandler) GetBodyArguments(name string) ([]string, error) {
	return decodeArguments(name, h.bodyArguments()[name])
}

// Arguments returns the query and body arguments together, raw (neither
// decoded nor stripped), query values first.
func (h *RequestHandler) Arguments() url.Values {
	args, err := h.Request.Arguments()
	if err != nil || args == nil {
		return url.Values{}
	}
	return args
}

// Files returns the files uploaded under name in a multipart body.
func (h *RequestHandler) Files(name string) []*httputil.File {
	files, err := h.Request.Files()
	if err != nil {
		return nil
	}
	return files[name]
}

func (h *RequestHandler) bodyArguments() url.Values {
	args, err := h.Request.BodyArguments()
	if err != nil {
		return nil
	}
	return args
}

func (h *RequestHandler) allArguments(name string) []string {
	q := h.Request.QueryArguments()[name]
	b := h.bodyArguments()[name]
	switch {
	case len(b) == 0:
		return q
	case len(q) == 0:
		return b
	}
	all := make([]string, 0, len(q)+len(b))
	return append(append(all, q...), b...)
}

func lastArgument(name string, values, def []string) (string, error) {
	if len(values) == 0 {
		if len(def) > 0 {
			return def[0], nil
		}
		return "", missingArgument(name)
	}
	return decodeArgument(name, values[len(values)-1])
}

func decodeArguments(name string, values []string) ([]string, error) {
	out := make([]string, 0, len(values))
	for _, v := range values {
		d, err := decodeArgument(name, v)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// decodeArgument is Tornado's decode_argument plus the strip of
// get_argument: invalid UTF-8 is a 400, control characters become spaces,
// surrounding whitespace goes.
func decodeArgument(name, v string) (string, error) {
	if !utf8.ValidString(v) {
		return "", NewHTTPError(400, "Invalid unicode in %s: %.40q", name, v)
	}
	if strings.IndexFunc(v, isArgControl) >= 0 {
		v = strings.Map(func(r rune) rune {
			if isArgControl(r) {
				return ' '
			}
			return r
		}, v)
	}
	return strings.TrimSpace(v), nil
}

// isArgControl matches the control characters Tornado replaces in
// arguments: [\x00-\x08\x0e-\x1f] (tabs and newlines are kept).
func isArgControl(r rune) bool {
	return r <= 0x08 || (r >= 0x0e && r <= 0x1f)
}
