package main

import (
	"io/fs"
	"log/slog"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tornago/tornago/examples/blog/internal/loginlimit"
	"github.com/tornago/tornago/examples/blog/store"
	"github.com/tornago/tornago/web"
)

// Limits and names of the blog, as Tornado's demo has them.
const (
	// blogTitle is the demo's settings["blog_title"].
	blogTitle = "Tornado Blog"
	// userCookie is the signed cookie holding the signed-in author's id.
	userCookie = "blogdemo_user"
	// homeEntries is how many entries the home page shows (the demo's 5).
	homeEntries = 5
	// feedEntries is how many entries the Atom feed holds (the demo's 10).
	feedEntries = 10
	// archivePageSize is how many entries one archive page lists: long
	// enough to scroll through, short enough that a blog with years of
	// posts still answers in one small query.
	archivePageSize = 50
	// maxPasswordBytes is bcrypt's limit: longer passwords are refused
	// by golang.org/x/crypto/bcrypt rather than silently cut.
	maxPasswordBytes = 72
	// slugRetries bounds how often a new entry picks another slug after
	// losing a race for one to a concurrent post.
	slugRetries = 3
)

// blog holds what every handler shares: the store, the failed-login
// limiter and the password hashing cost.
type blog struct {
	db      store.Store
	limiter *loginlimit.Limiter
	// bcryptCost is bcrypt.DefaultCost in production; tests lower it.
	bcryptCost int
	// now is the clock of the feed's updated time when there are no
	// entries.
	now func() time.Time
}

// options configure newApplication.
type options struct {
	files        fs.FS // holds blog/ (templates) and static/blog/
	cookieSecret string
	debug        bool
	logger       *slog.Logger
	bcryptCost   int                 // 0: bcrypt.DefaultCost
	limiter      *loginlimit.Limiter // nil: the defaults
}

// newApplication returns the blog's web application over db.
func newApplication(db store.Store, o options) (*web.Application, error) {
	b := &blog{db: db, limiter: o.limiter, bcryptCost: o.bcryptCost, now: time.Now}
	if b.limiter == nil {
		b.limiter = loginlimit.New(loginlimit.Config{})
	}
	if b.bcryptCost == 0 {
		b.bcryptCost = bcrypt.DefaultCost
	}
	tmpl, err := fs.Sub(o.files, "blog")
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(o.files, "static/blog")
	if err != nil {
		return nil, err
	}
	rules := []web.Rule{
		{Pattern: "/", Handler: &homeHandler{baseHandler{Blog: b}}, Name: "home"},
		{Pattern: "/archive", Handler: &archiveHandler{baseHandler{Blog: b}}, Name: "archive"},
		{Pattern: "/feed", Handler: &feedHandler{baseHandler{Blog: b}}, Name: "feed"},
		{Pattern: "/entry/([^/]+)", Handler: &entryHandler{baseHandler{Blog: b}}, Name: "entry"},
		{Pattern: "/compose", Handler: &composeHandler{baseHandler: baseHandler{Blog: b}}, Name: "compose"},
		{Pattern: "/delete", Handler: &deleteHandler{baseHandler: baseHandler{Blog: b}}, Name: "delete"},
		{Pattern: "/auth/create", Handler: &authCreateHandler{baseHandler{Blog: b}}, Name: "create"},
		{Pattern: "/auth/login", Handler: &authLoginHandler{baseHandler{Blog: b}}, Name: "login"},
		{Pattern: "/auth/logout", Handler: &authLogoutHandler{baseHandler{Blog: b}}, Name: "logout"},
	}
	return web.NewApplication(rules, web.Settings{
		Debug:          o.debug,
		TemplateFS:     tmpl,
		StaticFS:       static,
		UIModules:      map[string]any{"Entry": &entryModule{}},
		XSRFCookies:    true,
		CookieSecret:   o.cookieSecret,
		LoginURL:       "/auth/login",
		DefaultHandler: &notFoundHandler{baseHandler{Blog: b}},
		Logger:         o.logger,
		Extra:          map[string]any{"blog_title": blogTitle}, // handler.settings["blog_title"]
	})
}
