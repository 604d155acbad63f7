package web

import (
	"fmt"
	"strings"
)

// settingsMap is Tornado's settings dictionary for an Application: the
// Extra entries and the built-in settings under Tornado's names, secrets
// left out. It is built once, by NewApplication.
func (s *Settings) settingsMap() (map[string]any, error) {
	m := map[string]any{
		"debug":                   s.Debug,
		"autoreload":              s.autoreload(),
		"serve_traceback":         s.serveTraceback(),
		"compiled_template_cache": s.templateCache(),
		"static_hash_cache":       s.staticHashCache(),
		"xsrf_cookies":            s.XSRFCookies,
		"xsrf_cookie_name":        s.xsrfCookieName(),
		"xsrf_cookie_version":     s.xsrfVersion(),
		"static_url_prefix":       s.staticURLPrefix(),
		"compress_response":       s.CompressResponse,
	}
	for name, v := range map[string]string{
		"login_url":           s.LoginURL,
		"template_path":       s.TemplatePath,
		"static_path":         s.StaticPath,
		"autoescape":          s.Autoescape,
		"template_whitespace": s.TemplateWhitespace,
		"default_host":        s.DefaultHost,
	} {
		if v != "" { // absent, as in Tornado's dict, when not set
			m[name] = v
		}
	}
	if s.Autoescape == "" {
		m["autoescape"] = "xhtml_escape"
	}
	for name, v := range s.Extra {
		if _, builtin := m[name]; builtin || isBuiltinSetting(name) {
			return nil, fmt.Errorf("web: Settings.Extra[%q] is a built-in setting; set its Settings field", name)
		}
		m[name] = v
	}
	return m, nil
}

// isBuiltinSetting reports whether name is one of Tornado's settings that
// Settings has a field for, set or not (the secrets too, which the map
// never shows, so that a template cannot print a key).
func isBuiltinSetting(name string) bool {
	switch strings.ToLower(name) {
	case "login_url", "template_path", "static_path", "autoescape", "template_whitespace",
		"default_host", "cookie_secret", "key_version":
		return true
	}
	return false
}

// Settings returns the application's settings as Tornado's settings
// dictionary, which templates read as handler.settings (for example
// handler.settings["blog_title"]): the entries of Settings.Extra and the
// built-in settings under Tornado's names ("debug", "xsrf_cookies",
// "login_url", "static_path", "static_url_prefix", ...; a string setting
// only when set). Secrets ("cookie_secret") are left out. The map is built
// once and shared by every request: read it, do not modify it. The typed
// settings are h.Application().Settings().
func (h *RequestHandler) Settings() map[string]any { return h.app.settingsDict }
