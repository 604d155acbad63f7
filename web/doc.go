// Package web is Tornado's web framework in Go: an Application of URL rules
// that runs a fresh RequestHandler for each request, with Tornado's output
// buffering, error pages, arguments, cookies and signed cookies, XSRF
// protection, authentication, templates with UI modules, static files and
// gzip, on tornago's own loop server (httpserver) or on net/http.
//
// A handler is a struct embedding RequestHandler, with a method per HTTP
// verb taking the URL's groups as strings and returning an error:
//
//	type MainHandler struct{ web.RequestHandler }
//
//	func (h *MainHandler) Get() error {
//		h.Write("Hello, world")
//		return nil
//	}
//
//	type EntryHandler struct {
//		web.RequestHandler
//		DB *sql.DB // set on the prototype: Tornado's initialize() argument
//	}
//
//	func (h *EntryHandler) Get(slug string) error {
//		entry, err := findEntry(h.Context(), h.DB, slug)
//		if err != nil {
//			return web.NewHTTPError(404)
//		}
//		return h.Render("entry.html", web.Vars{"entry": entry})
//	}
//
//	app, err := web.NewApplication([]web.Rule{
//		{Pattern: "/", Handler: &MainHandler{}},
//		{Pattern: "/entry/([^/]+)", Handler: &EntryHandler{DB: db}, Name: "entry"},
//	}, web.Settings{TemplatePath: "templates", CookieSecret: secret})
//	srv, err := app.Listen(8888, "")
//
// A returned *HTTPError (or any error with an HTTPStatus method) becomes
// that status's error page through WriteError; any other error, or a
// panic, becomes a 500 logged with the request, and the loop goes on.
//
// Handlers run on their connection's loop goroutine, as in Tornado, unless
// they embed Blocking (or their Rule says Blocking): those run on a bounded
// worker pool, for database and other blocking calls, and their responses
// still go out through the loop in request order.
//
// Settings.Debug is Tornado's debug mode: templates reloaded, static
// versions recomputed, tracebacks on error pages, and Autoreload, which
// re-executes the program in place when its binary is rebuilt.
//
// Template namespaces keep Tornado's names (handler, request, current_user,
// locale, _, static_url, xsrf_form_html, reverse_url, modules), so Tornado
// templates port with few changes.
package web
