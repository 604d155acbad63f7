package docs_test

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// guide: handlers-and-routing

// Story is what the StoryHandler shows.
type Story struct{ ID, Title string }

// StoryHandler shows one story. Stories is set once on the prototype in the
// Rule and shared by every request: Tornado's initialize() arguments.
type StoryHandler struct {
	web.RequestHandler
	Stories map[string]Story
}

// Get receives the URL's group as a string argument.
func (h *StoryHandler) Get(id string) error {
	story, ok := h.Stories[id]
	if !ok {
		return web.NewHTTPError(404, "no story %q", id) // logged, not shown
	}
	self, err := h.ReverseURL("story", story.ID)
	if err != nil {
		return err
	}
	return h.Write(story.Title + " at " + self)
}

func storyApp() (*web.Application, error) {
	stories := map[string]Story{"1": {"1", "Tornado in Go"}}
	return web.NewApplication([]web.Rule{
		{Pattern: `/story/([0-9]+)`, Handler: &StoryHandler{Stories: stories}, Name: "story"},
		{Pattern: "/old/(.*)", Handler: &web.RedirectHandler{URL: "/story/{0}"}},
	}, web.Settings{})
}

// end

func Example_routing() {
	app, err := storyApp()
	if err != nil {
		panic(err)
	}
	c := webtest.NewClient(nil, app)
	fmt.Println(c.Get("/story/1").Text())
	fmt.Println(c.Get("/story/2").Status, c.Get("/story/x").Status)
	r := c.Get("/old/1")
	fmt.Println(r.Status, r.Get("Location"))
	fmt.Println(c.Post("/story/1", nil).Status)
	// Output:
	// Tornado in Go at /story/1
	// 404 404
	// 301 /story/1
	// 405
}

// guide: arguments

// SearchHandler reads query and form arguments.
type SearchHandler struct{ web.RequestHandler }

// Get needs ?q=; ?page= is optional.
func (h *SearchHandler) Get() error {
	q, err := h.GetArgument("q") // absent: a 400 "Missing argument q"
	if err != nil {
		return err
	}
	page, _ := h.GetArgument("page", "1")
	return h.Write(map[string]any{"q": q, "page": page}) // a map is sent as JSON
}

// CommentForm is bound from a form body and validated.
type CommentForm struct {
	Author string `form:"author" validate:"required,max=40"`
	Body   string `form:"body" validate:"required"`
}

// CommentHandler accepts a comment form.
type CommentHandler struct{ web.RequestHandler }

// Post binds the form; a *web.FormError carries a message per field.
func (h *CommentHandler) Post() error {
	var form CommentForm
	if err := h.Bind(&form); err != nil {
		var fe *web.FormError
		if errors.As(err, &fe) {
			h.SetStatus(400)
			return h.Write("author: " + fe.Field("author"))
		}
		return err
	}
	return h.Write("thanks, " + form.Author)
}

// end

func Example_arguments() {
	app, err := web.NewApplication([]web.Rule{
		{Pattern: "/search", Handler: &SearchHandler{}},
		{Pattern: "/comment", Handler: &CommentHandler{}},
	}, web.Settings{})
	if err != nil {
		panic(err)
	}
	c := webtest.NewClient(nil, app)
	r := c.Get("/search?q=go")
	fmt.Println(r.Get("Content-Type"), r.Text())
	fmt.Println(c.Get("/search").Status)
	fmt.Println(c.Post("/comment", url.Values{"author": {"ann"}, "body": {"hi"}}).Text())
	r = c.Post("/comment", url.Values{"body": {"hi"}})
	fmt.Println(r.Status, r.Text())
	// Output:
	// application/json; charset=UTF-8 {"page":"1","q":"go"}
	// 400
	// thanks, ann
	// 400 author: author is required
}

// guide: hooks

// APIHandler shows the optional methods a handler may define.
type APIHandler struct{ web.RequestHandler }

// SetDefaultHeaders runs after the default headers are set.
func (h *APIHandler) SetDefaultHeaders() {
	h.SetHeader("Cache-Control", "no-store")
}

// Prepare runs before the verb method; an error stops the request.
func (h *APIHandler) Prepare() error {
	if h.Request.Header.Get("X-Api-Key") == "" {
		return web.NewHTTPError(401)
	}
	return nil
}

// Get runs only when Prepare let the request through.
func (h *APIHandler) Get() error { return h.Write("secret data") }

// WriteError replaces Tornado's default error page.
func (h *APIHandler) WriteError(status int, err error) error {
	return h.Write(map[string]any{"status": status, "reason": web.StatusReason(status)})
}

// OnFinish runs after the response is finished (logging, metrics).
func (h *APIHandler) OnFinish() {}

// end

func Example_hooks() {
	app, err := web.NewApplication([]web.Rule{{Pattern: "/api", Handler: &APIHandler{}}}, web.Settings{})
	if err != nil {
		panic(err)
	}
	c := webtest.NewClient(nil, app)
	r := c.Get("/api")
	fmt.Println(r.Status, r.Get("Cache-Control"), r.Text())
	r = c.Get("/api", "X-Api-Key", "k")
	fmt.Println(r.Get("Cache-Control"), r.Text())
	// Output:
	// 401 no-store {"reason":"Unauthorized","status":401}
	// no-store secret data
}

// guide: middleware

func withRequestID(app *web.Application) {
	n := 0
	app.Use(func(h *web.RequestHandler, next web.Next) error {
		n++ // middleware of an inline handler runs on its loop goroutine
		h.SetHeader("X-Request-Id", n)
		return next(h)
	})
}

// end

func Example_middleware() {
	app, err := storyApp()
	if err != nil {
		panic(err)
	}
	withRequestID(app)
	c := webtest.NewClient(nil, app)
	c.Get("/story/1")
	fmt.Println(c.Get("/story/1").Get("X-Request-Id"))
	// Output: 2
}
