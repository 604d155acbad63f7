package web_test

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// MainHandler is Tornado's helloworld handler.
type MainHandler struct{ web.RequestHandler }

func (h *MainHandler) Get() error {
	h.Write("Hello, world")
	return nil
}

// A handler is a struct embedding web.RequestHandler with a method per
// verb; an Application routes requests to fresh copies of it.
func Example() {
	app, err := web.NewApplication([]web.Rule{
		{Pattern: "/", Handler: &MainHandler{}},
	}, web.Settings{})
	if err != nil {
		panic(err)
	}
	// app.Listen(8888, "") would serve it; webtest drives it in process.
	c := webtest.NewClient(nil, app)
	resp := c.Get("/")
	fmt.Println(resp.Status, resp.Text())
	fmt.Println(c.Get("/missing").Status)
	// Output:
	// 200 Hello, world
	// 404
}

// EntryHandler shows an entry; its prototype's Store is shared by every
// request, as Tornado's initialize() arguments.
type EntryHandler struct {
	web.RequestHandler
	Store map[string]string
}

func (h *EntryHandler) Get(slug string) error {
	body, ok := h.Store[slug]
	if !ok {
		return web.NewHTTPError(404, "no entry %q", slug)
	}
	archive, _ := h.ReverseURL("archive", 2026)
	h.Write(body + " (archive: " + archive + ")")
	return nil
}

type ArchiveHandler struct{ web.RequestHandler }

func (h *ArchiveHandler) Get(year string) error { return h.Write("entries of " + year) }

// Rules with names can be turned back into URLs; the URL's groups are the
// verb method's arguments.
func ExampleApplication_ReverseURL() {
	store := map[string]string{"hello-world": "Hello, world!"}
	app, _ := web.NewApplication([]web.Rule{
		{Pattern: "/entry/([^/]+)", Handler: &EntryHandler{Store: store}, Name: "entry"},
		{Pattern: `/archive/(\d{4})`, Handler: &ArchiveHandler{}, Name: "archive"},
	}, web.Settings{})
	u, _ := app.ReverseURL("entry", "hello-world")
	fmt.Println(u)
	c := webtest.NewClient(nil, app)
	fmt.Println(c.Get(u).Text())
	fmt.Println(c.Get("/entry/nope").Status)
	// Output:
	// /entry/hello-world
	// Hello, world! (archive: /archive/2026)
	// 404
}

// SignupForm is bound from the request's arguments and validated.
type SignupForm struct {
	Email string `form:"email" validate:"required,email"`
	Age   int    `form:"age" validate:"gte=18"`
}

type SignupHandler struct{ web.RequestHandler }

func (h *SignupHandler) Post() error {
	var form SignupForm
	if err := h.Bind(&form); err != nil {
		var fe *web.FormError
		if !errors.As(err, &fe) {
			return err
		}
		// Re-render the form with a message per field; here, list them.
		h.SetStatus(400)
		return h.Write(fmt.Sprintf("email: %s\nage: %s", fe.Field("email"), fe.Field("age")))
	}
	return h.Write(fmt.Sprintf("welcome %s (%d)", form.Email, form.Age))
}

// Bind fills a struct from a form and validates it with
// go-playground/validator tags; the errors read well enough to show.
func ExampleRequestHandler_Bind() {
	app, _ := web.NewApplication([]web.Rule{{Pattern: "/signup", Handler: &SignupHandler{}}}, web.Settings{})
	c := webtest.NewClient(nil, app)
	fmt.Println(c.Post("/signup", url.Values{"email": {"ann@example.com"}, "age": {"30"}}).Text())
	resp := c.Post("/signup", url.Values{"email": {"ann"}, "age": {"twelve"}})
	fmt.Println(resp.Status)
	fmt.Println(resp.Text())
	// Output:
	// welcome ann@example.com (30)
	// 400
	// email: email must be a valid email address
	// age: age must be a whole number
}

type LoginHandler struct{ web.RequestHandler }

func (h *LoginHandler) Post() error {
	name, err := h.GetArgument("name")
	if err != nil {
		return err
	}
	return h.SetSecureCookie("user", name)
}

type WhoHandler struct{ web.RequestHandler }

func (h *WhoHandler) Get() error {
	if name, ok := h.GetSecureCookie("user"); ok {
		return h.Write("you are " + name)
	}
	return h.Write("who are you?")
}

// Signed cookies cannot be forged: a tampered one is simply absent.
func ExampleRequestHandler_SetSecureCookie() {
	app, _ := web.NewApplication([]web.Rule{
		{Pattern: "/login", Handler: &LoginHandler{}},
		{Pattern: "/who", Handler: &WhoHandler{}},
	}, web.Settings{CookieSecret: "a long random secret of at least 32 bytes"})
	c := webtest.NewClient(nil, app)
	resp := c.Post("/login", url.Values{"name": {"ann"}})
	fmt.Println(strings.Contains(resp.Get("Set-Cookie"), "HttpOnly; Path=/; SameSite=Lax"))
	fmt.Println(c.Get("/who").Text())
	c.SetCookie("user", "ann-forged")
	fmt.Println(c.Get("/who").Text())
	// Output:
	// true
	// you are ann
	// who are you?
}

// BaseHandler is an application's base: it knows the current user.
type BaseHandler struct{ web.RequestHandler }

func (h *BaseHandler) GetCurrentUser() (any, error) {
	if name, ok := h.GetSecureCookie("user"); ok {
		return name, nil
	}
	return nil, nil
}

// ComposeHandler is only for logged-in users.
type ComposeHandler struct {
	BaseHandler
	web.Authenticated
}

func (h *ComposeHandler) Get() error  { return h.Write("compose, " + h.CurrentUser().(string)) }
func (h *ComposeHandler) Post() error { return h.Write("posted") }

// Embedding web.Authenticated sends users who are not logged in to the
// login URL (GET) or refuses them (other methods).
func ExampleAuthenticated() {
	app, _ := web.NewApplication([]web.Rule{
		{Pattern: "/compose", Handler: &ComposeHandler{}},
		{Pattern: "/login", Handler: &LoginHandler{}},
	}, web.Settings{CookieSecret: "a long random secret of at least 32 bytes", LoginURL: "/login"})
	c := webtest.NewClient(nil, app)
	resp := c.Get("/compose?draft=1")
	fmt.Println(resp.Status, resp.Get("Location"))
	fmt.Println(c.Post("/compose", nil).Status)
	c.Post("/login", url.Values{"name": {"ann"}})
	fmt.Println(c.Get("/compose").Text())
	// Output:
	// 302 /login?next=%2Fcompose%3Fdraft%3D1
	// 403
	// compose, ann
}

// Middleware runs around every handler.
func ExampleApplication_Use() {
	app, _ := web.NewApplication([]web.Rule{{Pattern: "/", Handler: &MainHandler{}}}, web.Settings{})
	app.Use(func(h *web.RequestHandler, next web.Next) error {
		h.SetHeader("X-Request-Id", "42")
		return next(h)
	})
	resp := webtest.NewClient(nil, app).Get("/")
	fmt.Println(resp.Get("X-Request-Id"), resp.Text())
	// Output:
	// 42 Hello, world
}

// UploadHandler streams its body (Tornado's @stream_request_body): each
// piece reaches DataReceived as it arrives, so an upload of any size runs
// in bounded memory; Post runs once the body is complete.
type UploadHandler struct {
	web.RequestHandler
	size int
}

// Prepare runs before the body is read: it sets this request's limit.
func (h *UploadHandler) Prepare() error { return h.SetMaxBodySize(1 << 30) }

func (h *UploadHandler) DataReceived(chunk []byte) error {
	h.size += len(chunk) // a real handler writes chunk to a file
	return nil
}

func (h *UploadHandler) Put() error { return h.Write(fmt.Sprintf("stored %d bytes", h.size)) }

// A streaming upload handler, and a route whose bodies are limited to 1 KiB
// (413 beyond it).
func Example_streamedUpload() {
	app, err := web.NewApplication([]web.Rule{
		{Pattern: "/upload", Handler: &UploadHandler{}},
		{Pattern: "/comment", Handler: &MainHandler{}, MaxBodySize: 1 << 10},
	}, web.Settings{})
	if err != nil {
		panic(err)
	}
	c := webtest.NewClient(nil, app)
	fmt.Println(c.Fetch("PUT", "/upload", []byte(strings.Repeat("x", 5000))).Text())
	fmt.Println(c.Fetch("POST", "/comment", []byte(strings.Repeat("x", 2000))).Status)
	// Output:
	// stored 5000 bytes
	// 413
}
