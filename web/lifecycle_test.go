package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// hooks records its lifecycle.
type hooks struct {
	web.RequestHandler
	mu  *sync.Mutex
	Log *[]string
}

func (h *hooks) add(s string) {
	h.mu.Lock()
	*h.Log = append(*h.Log, s)
	h.mu.Unlock()
}

func (h *hooks) SetDefaultHeaders() {
	h.add("defaults")
	h.SetHeader("X-Default", "1")
}
func (h *hooks) Prepare() error { h.add("prepare"); return nil }
func (h *hooks) Get() error     { h.add("get " + h.Request.Path); return nil }
func (h *hooks) OnFinish()      { h.add("on_finish " + h.Request.Path) }

func TestLifecycleHooks(t *testing.T) {
	var log []string
	c := client(t, []web.Rule{{Pattern: "/x", Handler: &hooks{mu: new(sync.Mutex), Log: &log}}}, web.Settings{})
	r := c.Get("/x")
	if r.Get("X-Default") != "1" {
		t.Errorf("SetDefaultHeaders: %s", r.Header.String())
	}
	if got := strings.Join(log, ", "); got != "defaults, prepare, get /x, on_finish /x" {
		t.Errorf("hooks: %s", got)
	}
	// An error page starts from cleared headers, as in Tornado.
	r = c.Fetch("POST", "/x", nil)
	if r.Status != 405 || r.Get("Allow") != "GET" {
		t.Errorf("POST: %d Allow %q", r.Status, r.Get("Allow"))
	}
}

func TestHTTPErrorString(t *testing.T) {
	tests := []struct {
		err  *web.HTTPError
		want string
	}{
		{web.NewHTTPError(682).WithReason("Foo"), "HTTP 682: Foo"},
		{web.NewHTTPError(682), "HTTP 682: Unknown"},
		{web.NewHTTPError(404, "no entry %q", "x"), `HTTP 404: Not Found (no entry "x")`},
		{web.NewHTTPError(403, "100% sure"), "HTTP 403: Forbidden (100% sure)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v: %q; want %q", tt.err, got, tt.want)
		}
	}
}

type diskTemplate struct{ web.RequestHandler }

func (h *diskTemplate) Get() error { return h.Render("page.html", web.Vars{"name": "<Ann>"}) }

type otherDir struct {
	web.RequestHandler
	Dir string
}

func (h *otherDir) GetTemplatePath() string { return h.Dir }
func (h *otherDir) Get() error              { return h.Render("page.html", nil) }

type badTemplate struct{ web.RequestHandler }

func (h *badTemplate) Get() error { return h.Render("bad.html", nil) }

func TestTemplatesFromDisk(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	write := func(d, name, body string) {
		if err := os.WriteFile(filepath.Join(d, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(dir, "page.html", "v1 {{ name }}")
	write(dir, "bad.html", "{{ missing_function() }}")
	write(other, "page.html", "other")
	rules := []web.Rule{
		{Pattern: "/", Handler: &diskTemplate{}},
		{Pattern: "/other", Handler: &otherDir{Dir: other}},
		{Pattern: "/bad", Handler: &badTemplate{}},
	}
	cached := client(t, rules, web.Settings{TemplatePath: dir})
	debug := client(t, rules, web.Settings{TemplatePath: dir, Debug: true})
	expect(t, "escaped", cached.Get("/"), 200, "v1 &lt;Ann&gt;")
	expect(t, "debug", debug.Get("/"), 200, "v1 &lt;Ann&gt;")
	expect(t, "GetTemplatePath", cached.Get("/other"), 200, "other")
	write(dir, "page.html", "v2 {{ name }}")
	expect(t, "cached template", cached.Get("/"), 200, "v1 &lt;Ann&gt;")
	expect(t, "reloaded in debug", debug.Get("/"), 200, "v2 &lt;Ann&gt;")
	r := debug.Get("/bad")
	if r.Status != 500 || !strings.Contains(r.Text(), "bad.html:1") {
		t.Errorf("template error in debug: %d %q", r.Status, r.Text())
	}
	expectStatus(t, "template error", cached.Get("/bad"), 500)
	noescape := client(t, rules, web.Settings{TemplatePath: dir, Autoescape: web.AutoescapeNone})
	expect(t, "autoescape off", noescape.Get("/"), 200, "v2 <Ann>")
	none := client(t, rules, web.Settings{})
	expectStatus(t, "no template path", none.Get("/"), 500)
}

type blockingStream struct {
	web.RequestHandler
	web.Blocking
}

func (h *blockingStream) Get() error {
	for i := range 3 {
		h.Write(strings.Repeat(string(rune('a'+i)), 3))
		if err := h.Flush(); err != nil {
			return err
		}
		time.Sleep(time.Millisecond)
	}
	h.Write("!")
	return h.Finish()
}

func TestBlockingStream(t *testing.T) {
	app := newApp(t, []web.Rule{{Pattern: "/", Handler: &blockingStream{}}}, web.Settings{})
	r := webtestClient(t, app).Get("/")
	if r.Text() != "aaabbbccc!" || r.Flushes != 3 {
		t.Errorf("in process: %q in %d flushes", r.Text(), r.Flushes)
	}
	s := webtest.StartServer(t, app)
	resp, body, err := s.Get("/")
	if err != nil || string(body) != "aaabbbccc!" || resp.TransferEncoding[0] != "chunked" {
		t.Errorf("over the loop: %q %v", body, err)
	}
}

type lazyUser struct {
	web.RequestHandler
	Loaded *bool
}

func (h *lazyUser) GetCurrentUser() (any, error) {
	*h.Loaded = true
	return "ann", nil
}

func (h *lazyUser) Get() error { return h.Write("no user needed") }

func TestCurrentUserIsLazy(t *testing.T) {
	loaded := false
	c := client(t, []web.Rule{{Pattern: "/", Handler: &lazyUser{Loaded: &loaded}}}, web.Settings{})
	expect(t, "GET", c.Get("/"), 200, "no user needed")
	if loaded {
		t.Error("GetCurrentUser ran for a handler that never asked")
	}
}

func TestAuthenticatedWithXSRF(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/compose", Handler: &ComposeHandler{}},
		{Pattern: "/login", Handler: &LoginHandler{}},
		{Pattern: "/token", Handler: fn(func(h *web.RequestHandler) error { return h.Write(h.XSRFToken()) })},
	}, web.Settings{CookieSecret: "secret", LoginURL: "/login", XSRFCookies: true})
	c.Get("/token")
	c.Post("/login", map[string][]string{"name": {"ann"}})
	expect(t, "authenticated POST with token", c.Post("/compose", nil), 200, "posted")
	c.SetCookie("_xsrf", "")
	expectStatus(t, "authenticated POST without token", c.Fetch("POST", "/compose", nil), 403)
}

type removeSlash struct {
	web.RequestHandler
	web.RemoveSlash
}

func (h *removeSlash) Get() error  { return h.Write("removed") }
func (h *removeSlash) Post() error { return h.Write("post") }

type addSlash struct {
	web.RequestHandler
	web.AddSlash
}

func (h *addSlash) Get() error { return h.Write("added") }

func TestSlashMarkers(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/removeslash/*", Handler: &removeSlash{}},
		{Pattern: "/addslash/?", Handler: &addSlash{}},
	}, web.Settings{})
	tests := []struct {
		method, target string
		status         int
		location, body string
	}{
		{"GET", "/removeslash/", 301, "/removeslash", ""},
		{"GET", "/removeslash/?foo=bar", 301, "/removeslash?foo=bar", ""},
		{"GET", "/removeslash", 200, "", "removed"},
		{"POST", "/removeslash/", 404, "", ""},
		{"GET", "/addslash", 301, "/addslash/", ""},
		{"GET", "/addslash?foo=bar", 301, "/addslash/?foo=bar", ""},
		{"GET", "/addslash/", 200, "", "added"},
	}
	for _, tt := range tests {
		r := c.Fetch(tt.method, tt.target, nil)
		if r.Status != tt.status || r.Get("Location") != tt.location || (tt.status == 200 && r.Text() != tt.body) {
			t.Errorf("%s %s = %d %q %q", tt.method, tt.target, r.Status, r.Get("Location"), r.Text())
		}
	}
}

type slowInline struct{ web.RequestHandler }

func (h *slowInline) Get() error {
	time.Sleep(sleepTime)
	return h.Write("slept")
}

func TestRuleBlockingFlag(t *testing.T) {
	app := newApp(t, []web.Rule{
		{Pattern: "/sleep", Handler: &slowInline{}, Blocking: true},
		{Pattern: "/", Handler: &helloHandler{}},
	}, web.Settings{})
	s := webtest.StartServer(t, app)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, body, err := s.Get("/sleep"); err != nil || string(body) != "slept" {
			t.Errorf("GET /sleep = %q %v", body, err)
		}
	}()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	if _, body, err := s.Get("/"); err != nil || string(body) != "Hello, world" {
		t.Errorf("GET / = %q %v", body, err)
	}
	if d := time.Since(start); d > sleepTime/2 {
		t.Errorf("Rule.Blocking: an inline request waited %v", d)
	}
	<-done
}

// myStatic is an application's own static handler.
type myStatic struct{ web.StaticFileHandler }

func (h *myStatic) SetDefaultHeaders() { h.SetHeader("X-Static", "mine") }

func TestSettingsErrors(t *testing.T) {
	type ptrModule struct{ *web.UIModule }
	tests := []struct {
		name string
		s    web.Settings
		want string
	}{
		{"module by pointer", web.Settings{UIModules: map[string]any{"M": &ptrModule{&web.UIModule{}}}}, "embed web.UIModule"},
		{"module without Render", web.Settings{UIModules: map[string]any{"M": &struct{ web.UIModule }{}}}, "no Render method"},
		{"module not a module", web.Settings{UIModules: map[string]any{"M": 42}}, "must be a func"},
		{"method not a func", web.Settings{UIMethods: map[string]any{"m": "x"}}, "not a function"},
		{"static handler", web.Settings{StaticPath: ".", StaticHandler: &helloHandler{}}, "must embed web.StaticFileHandler"},
		{"default handler", web.Settings{DefaultHandler: &oneArg{}}, "DefaultHandler"},
	}
	for _, tt := range tests {
		_, err := web.NewApplication(nil, tt.s)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want %q", tt.name, err, tt.want)
		}
	}
	root := staticDir(t)
	c := client(t, nil, web.Settings{StaticPath: root, StaticHandler: &myStatic{}})
	if r := c.Get("/static/robots.txt"); r.Text() != robots || r.Get("X-Static") != "mine" {
		t.Errorf("custom static handler: %q %s", r.Text(), r.Header.String())
	}
}
