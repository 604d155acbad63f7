package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/tornago/tornago/httpserver"
)

// An Application is a set of URL rules and settings, Tornado's
// tornado.web.Application: it finds the rule matching each request, makes a
// fresh handler from the rule's prototype and runs it.
//
// It serves the loop server (Listen, or ServerHandler with httpserver.New),
// and is also a net/http Handler (ServeHTTP), for TLS and HTTP/2 through
// net/http. Configure it (AddHandlers, Use) before serving; after that it is
// safe for concurrent use.
type Application struct {
	settings Settings
	// settingsDict is Tornado's settings dictionary (RequestHandler.Settings).
	settingsDict map[string]any

	hosts       []*hostRules // AddHandlers, in order
	wildcard    []*route     // static routes, then the constructor's rules
	defaultHost []*hostRules // AddHandlers rules also tried for DefaultHost
	named       map[string]*route
	notFound    *route

	middleware []Middleware
	chain      Next

	statics   *staticVersions
	templates *templateCache
	ui        *uiRegistry
	pool      *workerPool

	baseCtx   context.Context
	stop      context.CancelFunc
	closed    chan struct{}
	closeOnce sync.Once

	// headTime: some route streams its body or has its own body limit,
	// so the server's HeadersReceived must find routes when heads arrive.
	headTime bool
	streams  pendingStreams // streamed requests between head and ServeHTTP

	mu        sync.Mutex
	servers   []*httpserver.HTTPServer
	reloading bool // Autoreload's watcher started
}

// NewApplication compiles rules and settings into an Application. Rules
// are tried in order and the first that matches the whole path wins. An
// invalid pattern, a handler that does not embed RequestHandler, or a verb
// method whose arguments do not fit its pattern's groups is an error here,
// not at the first request.
func NewApplication(rules []Rule, settings Settings) (*Application, error) {
	app := &Application{
		settings: settings,
		named:    make(map[string]*route),
		closed:   make(chan struct{}),
	}
	dict, err := app.settings.settingsMap()
	if err != nil {
		return nil, err
	}
	app.settingsDict = dict
	app.baseCtx, app.stop = context.WithCancel(context.Background())
	app.statics = newStaticVersions(&app.settings)
	app.templates = newTemplateCache(&app.settings)
	ui, err := newUIRegistry(&app.settings)
	if err != nil {
		return nil, err
	}
	app.ui = ui
	app.pool = newWorkerPool(settings.BlockingWorkers)
	if settings.StaticPath != "" || settings.StaticFS != nil {
		statics, err := app.staticRules()
		if err != nil {
			return nil, err
		}
		rules = append(statics, rules...)
	}
	for _, r := range rules {
		rt, err := app.compile(r)
		if err != nil {
			return nil, err
		}
		app.wildcard = append(app.wildcard, rt)
	}
	nf := settings.DefaultHandler
	if nf == nil {
		nf = &ErrorHandler{StatusCode: 404}
	}
	app.notFound, err = compileRule(Rule{Pattern: ".*", Handler: nf})
	if err != nil {
		return nil, fmt.Errorf("web: DefaultHandler: %w", err)
	}
	if app.notFound.ht.streaming {
		app.headTime = true
	}
	app.chain = app.runHandler
	return app, nil
}

func (app *Application) compile(r Rule) (*route, error) {
	rt, err := compileRule(r)
	if err != nil {
		return nil, err
	}
	if rt.ht.streaming || rt.maxBody > 0 {
		app.headTime = true
	}
	if rt.name != "" {
		if _, dup := app.named[rt.name]; dup {
			app.settings.logger().Warn("Multiple handlers named " + rt.name + "; replacing previous value")
		}
		app.named[rt.name] = rt
	}
	return rt, nil
}

// AddHandlers adds rules for the hosts matching hostPattern (a regular
// expression matched against the whole host name, lower-cased and without
// port). Host rules are tried before the rules given to NewApplication, in
// the order added. If the pattern matches Settings.DefaultHost, the rules
// also serve requests for other hosts (without X-Real-Ip) that nothing else
// matched.
func (app *Application) AddHandlers(hostPattern string, rules []Rule) error {
	re, err := compileHost(hostPattern)
	if err != nil {
		return err
	}
	hr := &hostRules{pattern: hostPattern, re: re}
	for _, r := range rules {
		rt, err := app.compile(r)
		if err != nil {
			return err
		}
		hr.routes = append(hr.routes, rt)
	}
	app.hosts = append(app.hosts, hr)
	app.defaultHost = append(app.defaultHost, hr)
	return nil
}

// Settings returns the application's settings (read only).
func (app *Application) Settings() *Settings { return &app.settings }

// find returns the route for a request and its decoded groups.
func (app *Application) find(r *httpserver.Request) (*route, []string, error) {
	return app.lookup(r, true)
}

// findRoute returns the route for a request without decoding its groups,
// for a look at the route alone (HeadersReceived, on every request).
func (app *Application) findRoute(r *httpserver.Request) *route {
	rt, _, _ := app.lookup(r, false)
	return rt
}

// lookup is find; without withArgs, the groups are neither extracted nor
// checked.
func (app *Application) lookup(r *httpserver.Request, withArgs bool) (*route, []string, error) {
	path := r.Path
	if len(app.hosts) > 0 {
		host := r.HostName()
		for _, hr := range app.hosts {
			if !hr.re.MatchString(host) {
				continue
			}
			if rt, args, err, ok := matchRoutes(hr.routes, path, withArgs); ok {
				return rt, args, err
			}
		}
	}
	if rt, args, err, ok := matchRoutes(app.wildcard, path, withArgs); ok {
		return rt, args, err
	}
	if dh := app.settings.DefaultHost; dh != "" && len(app.defaultHost) > 0 && !r.Header.Has("X-Real-Ip") {
		for _, hr := range app.defaultHost {
			if !hr.re.MatchString(dh) {
				continue
			}
			if rt, args, err, ok := matchRoutes(hr.routes, path, withArgs); ok {
				return rt, args, err
			}
		}
	}
	return app.notFound, nil, nil
}

func matchRoutes(routes []*route, path string, withArgs bool) (*route, []string, error, bool) {
	for _, rt := range routes {
		if !withArgs {
			if rt.matches(path) {
				return rt, nil, nil, true
			}
			continue
		}
		if ok, args, err := rt.match(path); ok {
			return rt, args, err, true
		}
	}
	return nil, nil, nil, false
}

// ReverseURL returns the path of the rule named name, with args in place of
// its groups (each formatted with %v and percent-encoded).
func (app *Application) ReverseURL(name string, args ...any) (string, error) {
	rt, ok := app.named[name]
	if !ok {
		return "", fmt.Errorf("web: no route named %q", name)
	}
	return rt.reverse.url(args)
}

// ServerHandler returns the application as the loop server's handler, for
// httpserver.New when the server needs options Listen does not give.
func (app *Application) ServerHandler() httpserver.Handler { return serverHandler{app} }

type serverHandler struct{ app *Application }

func (s serverHandler) ServeHTTP(w *httpserver.ResponseWriter, r *httpserver.Request) {
	if s.app.headTime {
		if ps := s.app.streams.take(r); ps != nil {
			ps.serve(w)
			return
		}
	}
	s.app.serve(serverSink{w}, r)
}

// Listen starts a loop server for the application on address:port (port 0
// picks a free port; see Addr) and returns it; it does not block. Shutdown
// stops every server Listen started.
func (app *Application) Listen(port int, address string, opts ...httpserver.Options) (*httpserver.HTTPServer, error) {
	var o httpserver.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	srv := app.NewServer(o)
	if err := srv.Listen(port, address); err != nil {
		return nil, err
	}
	return srv, nil
}

// NewServer returns a loop server for the application, not yet listening,
// for Bind and Start(n) with several loops. Shutdown stops it too. With
// Settings.Debug or Settings.Autoreload it starts Autoreload (as Listen
// does, through it).
func (app *Application) NewServer(opts httpserver.Options) *httpserver.HTTPServer {
	srv := httpserver.New(app.ServerHandler(), opts)
	if app.settings.autoreload() {
		if err := Autoreload(app); err != nil {
			app.logger().Error(err.Error())
		}
	}
	app.mu.Lock()
	app.servers = append(app.servers, srv)
	app.mu.Unlock()
	return srv
}

// Shutdown stops the servers the application started from accepting,
// waits (until ctx is done) for the requests in flight to finish, with
// their contexts still live, and closes idle connections. When ctx ends
// first, the contexts of the requests still running are cancelled, so
// that handlers waiting on a database or an HTTP call give up. Once
// Shutdown returns, every request context is cancelled.
func (app *Application) Shutdown(ctx context.Context) error {
	app.mu.Lock()
	servers := app.servers
	app.servers = nil
	app.mu.Unlock()
	// Cancelling at once would fail the requests a graceful shutdown is
	// meant to let finish (behind nginx, a rolling restart answered 500s
	// from handlers whose queries were cancelled).
	stopAtDeadline := context.AfterFunc(ctx, app.stop)
	defer stopAtDeadline()
	defer app.stop()
	var errs []error
	for _, s := range servers {
		if err := s.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	app.closeOnce.Do(func() { close(app.closed) })
	return errors.Join(errs...)
}

// Done is closed when the application has been shut down.
func (app *Application) Done() <-chan struct{} { return app.closed }

func (app *Application) logger() *slog.Logger { return app.settings.logger() }
