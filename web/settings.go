package web

import (
	"io/fs"
	"log/slog"
	"time"

	"github.com/tornago/tornago/template"
)

// Settings are an Application's options, with the meaning and defaults of
// Tornado's application settings. The zero value is a working application
// without templates, static files, signed cookies or XSRF protection.
type Settings struct {
	// Debug turns on what Tornado's debug does: templates are reloaded on
	// every request, static file versions are not cached, error pages
	// show the error and its stack (ServeTraceback), and a rebuilt binary
	// re-executes itself (Autoreload, started by Listen and NewServer).
	Debug bool

	// Autoreload makes Listen and NewServer start Autoreload: the program
	// re-executes itself when its binary changes. Debug implies it.
	Autoreload bool

	// ServeTraceback makes the default error page show the error and, for a
	// panic, its stack, as text/plain. Debug implies it.
	ServeTraceback bool

	// NoTemplateCache reloads templates on every request (Tornado's
	// compiled_template_cache=False); Debug implies it.
	NoTemplateCache bool

	// NoStaticHashCache recomputes static file versions on every use
	// (Tornado's static_hash_cache=False); Debug implies it.
	NoStaticHashCache bool

	// CookieSecret signs secure cookies (SetSecureCookie). Use at least 32
	// random bytes.
	CookieSecret string

	// CookieSecrets, with KeyVersion, rotate signing keys: cookies are
	// signed with CookieSecrets[KeyVersion] and accepted when signed by any
	// key in the map, so an old key can be kept for reading until its
	// cookies expire, then dropped. It overrides CookieSecret.
	CookieSecrets map[int]string
	KeyVersion    int

	// XSRFCookies checks an XSRF token on every POST, PUT, PATCH and DELETE.
	XSRFCookies bool
	// XSRFCookieName is the XSRF cookie's name; default "_xsrf".
	XSRFCookieName string
	// XSRFCookieVersion is the token format, 2 (masked, the default) or 1.
	XSRFCookieVersion int
	// XSRFCookieOptions are the XSRF cookie's attributes. By default it is
	// SameSite=Lax, Secure over HTTPS, and readable by scripts (which send
	// it back in the X-Xsrftoken header).
	XSRFCookieOptions *CookieOptions

	// LoginURL is where Authenticated sends users who are not logged in.
	LoginURL string

	// TemplatePath is the directory Render loads templates from.
	TemplatePath string
	// TemplateFS, if set, is where templates are loaded from instead
	// (e.g. an embed.FS).
	TemplateFS fs.FS
	// TemplateLoader, if set, is used as is; it overrides TemplatePath,
	// TemplateFS, Autoescape and TemplateWhitespace.
	TemplateLoader *template.Loader
	// Autoescape names the template escaping function; "" means Tornado's
	// default, "xhtml_escape"; AutoescapeNone turns escaping off.
	Autoescape string
	// TemplateWhitespace is the templates' whitespace mode ("all",
	// "single", "oneline"); "" means by file extension.
	TemplateWhitespace string

	// StaticPath is the directory of static files, served under
	// StaticURLPrefix (and /favicon.ico, /robots.txt) and versioned by
	// StaticURL.
	StaticPath string
	// StaticFS, if set, serves the static files from a file system (e.g. an
	// embed.FS) instead of StaticPath.
	StaticFS fs.FS
	// StaticURLPrefix is the URL prefix of static files; default "/static/".
	StaticURLPrefix string
	// StaticHandler, if set, is the prototype of the static file handler
	// (a *StaticFileHandler or a struct embedding one); its Path and FS are
	// filled from StaticPath and StaticFS when empty.
	StaticHandler Handler
	// StaticDefaultFilename is served for a directory (e.g. "index.html").
	StaticDefaultFilename string

	// UIModules are the template's {% module %} entries by name: a pointer
	// to a struct embedding UIModule (copied per request) or a func.
	UIModules map[string]any
	// UIMethods are functions the templates can call by name; a function
	// whose first parameter is a *RequestHandler (or an interface the
	// handler satisfies) receives the handler.
	UIMethods map[string]any

	// CompressResponse gzips responses as Tornado's compress_response does.
	CompressResponse bool

	// DefaultHandler handles requests no rule matches (default: 404).
	DefaultHandler Handler
	// DefaultHost is the host whose AddHandlers rules also serve requests
	// for unknown hosts (when no X-Real-Ip header is present).
	DefaultHost string

	// Logger receives the access log and errors; nil means slog.Default()
	// at the time of logging.
	Logger *slog.Logger
	// LogFunction, if set, is called at the end of every request instead of
	// writing the access log.
	LogFunction func(h *RequestHandler)

	// RequestTimeout, if positive, bounds each request's Context.
	RequestTimeout time.Duration
	// BlockingWorkers bounds the goroutines running blocking handlers;
	// default 64 per CPU.
	BlockingWorkers int

	// Extra holds the application's own settings (Tornado's extra keyword
	// arguments to Application, such as "blog_title"), which handlers and
	// templates read through RequestHandler.Settings, as handler.settings.
	// A name of a built-in setting here is an error of NewApplication.
	Extra map[string]any
}

// AutoescapeNone turns template autoescaping off (Tornado's autoescape=None).
const AutoescapeNone = "None"

func (s *Settings) autoreload() bool      { return s.Autoreload || s.Debug }
func (s *Settings) serveTraceback() bool  { return s.ServeTraceback || s.Debug }
func (s *Settings) templateCache() bool   { return !s.NoTemplateCache && !s.Debug }
func (s *Settings) staticHashCache() bool { return !s.NoStaticHashCache && !s.Debug }
func (s *Settings) xsrfVersion() int {
	if s.XSRFCookieVersion == 1 {
		return 1
	}
	return 2
}

func (s *Settings) xsrfCookieName() string {
	if s.XSRFCookieName != "" {
		return s.XSRFCookieName
	}
	return "_xsrf"
}

func (s *Settings) staticURLPrefix() string {
	if s.StaticURLPrefix != "" {
		return s.StaticURLPrefix
	}
	return "/static/"
}

func (s *Settings) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}
