package web_test

import (
	"strings"
	"testing"

	"github.com/tornago/tornago/web"
)

type helloHandler struct{ web.RequestHandler }

func (h *helloHandler) Get() error {
	h.Write("Hello, world")
	return nil
}

// echoArgs writes its path arguments joined by "|".
type echoArgs struct{ web.RequestHandler }

func (h *echoArgs) Get(args ...string) error {
	h.Write(strings.Join(args, "|"))
	return nil
}

type oneArg struct{ web.RequestHandler }

func (h *oneArg) Get(a string) error {
	h.Write("one:" + a)
	return nil
}

type twoArgs struct{ web.RequestHandler }

func (h *twoArgs) Get(a, b string) error {
	h.Write("two:" + a + "," + b)
	return nil
}

// replyHandler writes its prototype's Reply (Tornado's initialize kwargs).
type replyHandler struct {
	web.RequestHandler
	Reply string
}

func (h *replyHandler) Get() error {
	h.Write(h.Reply)
	return nil
}

func TestRouting(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/", Handler: &helloHandler{}},
		{Pattern: "/one/([^/]+)", Handler: &oneArg{}},
		{Pattern: "/two/([^/]+)/([^/]+)", Handler: &twoArgs{}},
		{Pattern: "/group/(.*)", Handler: &echoArgs{}},
		{Pattern: "/slashes/([^/]*)/([^/]*)", Handler: &echoArgs{}},
		{Pattern: "/named/(?P<first>[a-z]+)/(?P<second>[0-9]+)", Handler: &twoArgs{}},
		{Pattern: `/optional/(.+)?`, Handler: &echoArgs{}},
		{Pattern: "/first", Handler: &replyHandler{Reply: "first"}},
		{Pattern: "/fir.t", Handler: &replyHandler{Reply: "second"}},
		{Pattern: "^/anchored$", Handler: &replyHandler{Reply: "anchored"}},
		{Pattern: "/prefix", Handler: &replyHandler{Reply: "prefix"}},
	}, web.Settings{})
	tests := []struct {
		name, target string
		status       int
		body         string
	}{
		{"hello", "/", 200, "Hello, world"},
		{"one group", "/one/abc", 200, "one:abc"},
		{"two groups", "/two/a/b", 200, "two:a,b"},
		{"query is not part of the path", "/one/abc?x=1", 200, "one:abc"},
		{"whole path must match ($ appended)", "/one/abc/def", 404, ""},
		{"encoded question mark", "/group/%3F", 200, "?"},
		{"utf-8 group decoded", "/group/%C3%A9", 200, "é"},
		{"plus is not a space in paths", "/group/1%20+%201", 200, "1 + 1"},
		{"slashes split groups", "/slashes/foo/bar", 200, "foo|bar"},
		{"encoded slashes stay in their group", "/slashes/a%2Fb/c%2Fd", 200, "a/b|c/d"},
		{"named groups are positional arguments", "/named/abc/42", 200, "two:abc,42"},
		{"optional group present", "/optional/foo", 200, "foo"},
		{"optional group absent is empty", "/optional/", 200, ""},
		{"first match wins", "/first", 200, "first"},
		{"later rule matches", "/firxt", 200, "second"},
		{"explicit anchors", "/anchored", 200, "anchored"},
		{"a rule is not a prefix match", "/prefixed", 404, ""},
		{"invalid utf-8 in a group is a 400", "/group/invalid%FF", 400, ""},
	}
	for _, tt := range tests {
		r := c.Get(tt.target)
		if r.Status != tt.status || (tt.status == 200 && r.Text() != tt.body) {
			t.Errorf("%s: GET %s = %d %q; want %d %q", tt.name, tt.target, r.Status, r.Text(), tt.status, tt.body)
		}
	}
}

func TestDefault404Page(t *testing.T) {
	c := client(t, []web.Rule{{Pattern: "/foo", Handler: &helloHandler{}}}, web.Settings{})
	expect(t, "GET /", c.Get("/"), 404, "<html><title>404: Not Found</title><body>404: Not Found</body></html>")
}

type custom404 struct{ web.RequestHandler }

func (h *custom404) Get() error {
	h.SetStatus(404)
	h.Write("custom 404 response")
	return nil
}

func TestCustom404(t *testing.T) {
	c := client(t, []web.Rule{{Pattern: "/foo", Handler: &helloHandler{}}}, web.Settings{DefaultHandler: &custom404{}})
	expect(t, "GET /", c.Get("/"), 404, "custom 404 response")
	c = client(t, []web.Rule{{Pattern: "/foo", Handler: &helloHandler{}}},
		web.Settings{DefaultHandler: &web.ErrorHandler{StatusCode: 403}})
	expectStatus(t, "GET / with ErrorHandler{403}", c.Get("/"), 403)
}

type getPostHandler struct{ web.RequestHandler }

func (h *getPostHandler) Get() error  { return h.Write("get") }
func (h *getPostHandler) Post() error { return h.Write("post") }

type allMethods struct{ web.RequestHandler }

func (h *allMethods) method() error   { return h.Write(h.Request.Method) }
func (h *allMethods) Get() error      { return h.method() }
func (h *allMethods) Head() error     { return h.method() }
func (h *allMethods) Post() error     { return h.method() }
func (h *allMethods) Delete() error   { return h.method() }
func (h *allMethods) Patch() error    { return h.method() }
func (h *allMethods) Put() error      { return h.method() }
func (h *allMethods) Options() error  { return h.method() }
func (h *allMethods) Propfind() error { return h.method() } // not a verb: never called

func TestMethods(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/gp", Handler: &getPostHandler{}},
		{Pattern: "/all", Handler: &allMethods{}},
		{Pattern: "/none", Handler: &struct{ web.RequestHandler }{}},
	}, web.Settings{})
	for _, m := range []string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		expect(t, m+" /all", c.Fetch(m, "/all", nil), 200, m)
	}
	if r := c.Fetch("HEAD", "/all", nil); r.Status != 200 || len(r.Body) != 0 || r.Get("Content-Length") != "4" {
		t.Errorf("HEAD /all = %d %q Content-Length %q; want 200, no body, length 4", r.Status, r.Body, r.Get("Content-Length"))
	}
	for _, m := range []string{"HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		r := c.Fetch(m, "/gp", nil)
		if r.Status != 405 || r.Get("Allow") != "GET, POST" {
			t.Errorf("%s /gp = %d Allow %q; want 405 with Allow: GET, POST", m, r.Status, r.Get("Allow"))
		}
	}
	for _, m := range []string{"GET", "POST", "HEAD"} {
		expectStatus(t, m+" on a handler without verbs", c.Fetch(m, "/none", nil), 405)
	}
	expectStatus(t, "PROPFIND (not a supported method)", c.Fetch("PROPFIND", "/all", nil), 405)
}

func TestRegistrationErrors(t *testing.T) {
	type embedsPointer struct{ *web.RequestHandler }
	tests := []struct {
		name string
		rule web.Rule
		want string
	}{
		{"bad regexp", web.Rule{Pattern: "/(", Handler: &helloHandler{}}, "missing closing )"},
		{"too few groups for the method", web.Rule{Pattern: "/", Handler: &oneArg{}}, "takes 1 arguments"},
		{"too many groups", web.Rule{Pattern: "/(a)/(b)", Handler: &oneArg{}}, "has 2 groups"},
		{"nil handler", web.Rule{Pattern: "/"}, "no handler"},
		{"embedded by pointer", web.Rule{Pattern: "/", Handler: &embedsPointer{&web.RequestHandler{}}}, "embed web.RequestHandler (not a pointer)"},
		{"verb with wrong signature", web.Rule{Pattern: "/", Handler: &badVerb{}}, "must return exactly one error"},
		{"hook with wrong signature", web.Rule{Pattern: "/", Handler: &badHook{}}, "Prepare has type"},
	}
	for _, tt := range tests {
		_, err := web.NewApplication([]web.Rule{tt.rule}, web.Settings{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v; want it to mention %q", tt.name, err, tt.want)
		}
	}
}

type badVerb struct{ web.RequestHandler }

func (h *badVerb) Get() {}

type badHook struct{ web.RequestHandler }

func (h *badHook) Prepare()   {}
func (h *badHook) Get() error { return nil }

func TestReverseURL(t *testing.T) {
	app := newApp(t, []web.Rule{
		{Pattern: "/decode_arg/(.*)", Handler: &echoArgs{}, Name: "decode_arg"},
		{Pattern: `/favicon\.ico`, Handler: &helloHandler{}, Name: "favicon"},
		{Pattern: `^/favicon2\.ico$`, Handler: &helloHandler{}, Name: "favicon2"},
		{Pattern: `^/api/v1/foo/(\w+)$`, Handler: &echoArgs{}, Name: "api"},
		{Pattern: `/api\.v1/foo/([0-9]+)/icon\.png`, Handler: &echoArgs{}, Name: "icon"},
		{Pattern: `^/api/v\d+/foo/(\w+)$`, Handler: &echoArgs{}, Name: "unreversible"},
		{Pattern: `/entry/(?P<slug>[^/]+)`, Handler: &echoArgs{}, Name: "entry"},
	}, web.Settings{})
	tests := []struct {
		name string
		args []any
		want string
	}{
		{"decode_arg", []any{"foo"}, "/decode_arg/foo"},
		{"decode_arg", []any{42}, "/decode_arg/42"},
		{"decode_arg", []any{[]byte("\xe9")}, "/decode_arg/%E9"},
		{"decode_arg", []any{"é"}, "/decode_arg/%C3%A9"},
		{"decode_arg", []any{"1 + 1"}, "/decode_arg/1%20%2B%201"},
		{"favicon", nil, "/favicon.ico"},
		{"favicon2", nil, "/favicon2.ico"},
		{"api", []any{"bar"}, "/api/v1/foo/bar"},
		{"icon", []any{5}, "/api.v1/foo/5/icon.png"},
		{"entry", []any{"hello world"}, "/entry/hello%20world"},
	}
	for _, tt := range tests {
		got, err := app.ReverseURL(tt.name, tt.args...)
		if err != nil || got != tt.want {
			t.Errorf("ReverseURL(%q, %v) = %q, %v; want %q", tt.name, tt.args, got, err, tt.want)
		}
	}
	for _, bad := range []struct {
		name string
		args []any
	}{{"unreversible", []any{"x"}}, {"missing", nil}, {"decode_arg", nil}, {"favicon", []any{1}}} {
		if got, err := app.ReverseURL(bad.name, bad.args...); err == nil {
			t.Errorf("ReverseURL(%q, %v) = %q; want an error", bad.name, bad.args, got)
		}
	}
}

func TestHostMatching(t *testing.T) {
	app := newApp(t, []web.Rule{{Pattern: "/foo", Handler: &replyHandler{Reply: "wildcard"}}}, web.Settings{})
	add := func(host, pattern, reply string) {
		if err := app.AddHandlers(host, []web.Rule{{Pattern: pattern, Handler: &replyHandler{Reply: reply}}}); err != nil {
			t.Fatal(err)
		}
	}
	add("www.example.com", "/foo", "[0]")
	add(`www\.example\.com`, "/bar", "[1]")
	add("www.example.com", "/baz", "[2]")
	add("www.e.*e.com", "/baz", "[3]")
	c := webtestClient(t, app)
	tests := []struct {
		target, host string
		status       int
		body         string
	}{
		{"/foo", "", 200, "wildcard"},
		{"/bar", "", 404, ""},
		{"/baz", "", 404, ""},
		{"/foo", "www.example.com", 200, "[0]"},
		{"/bar", "www.example.com", 200, "[1]"},
		{"/baz", "www.example.com", 200, "[2]"},
		{"/baz", "www.exe.com", 200, "[3]"},
		{"/foo", "WWW.Example.COM:8080", 200, "[0]"},
	}
	for _, tt := range tests {
		var r = c.Get(tt.target)
		if tt.host != "" {
			r = c.Get(tt.target, "Host", tt.host)
		}
		if r.Status != tt.status || (tt.status == 200 && r.Text() != tt.body) {
			t.Errorf("GET %s (Host %q) = %d %q; want %d %q", tt.target, tt.host, r.Status, r.Text(), tt.status, tt.body)
		}
	}
}

func TestDefaultHostMatching(t *testing.T) {
	app := newApp(t, nil, web.Settings{DefaultHost: "www.example.com"})
	for _, h := range []struct{ host, pattern, reply string }{
		{"www.example.com", "/foo", "[0]"},
		{`www\.example\.com`, "/bar", "[1]"},
		{"www.test.com", "/baz", "[2]"},
	} {
		if err := app.AddHandlers(h.host, []web.Rule{{Pattern: h.pattern, Handler: &replyHandler{Reply: h.reply}}}); err != nil {
			t.Fatal(err)
		}
	}
	c := webtestClient(t, app)
	expect(t, "GET /foo", c.Get("/foo"), 200, "[0]")
	expect(t, "GET /bar", c.Get("/bar"), 200, "[1]")
	expectStatus(t, "GET /baz", c.Get("/baz"), 404)
	expectStatus(t, "GET /foo with X-Real-Ip", c.Get("/foo", "X-Real-Ip", "127.0.0.1"), 404)
}
