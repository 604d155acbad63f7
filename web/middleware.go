package web

// Next runs the rest of a request: the next middleware, and at the end the
// handler's XSRF check, Prepare and verb method.
type Next func(h *RequestHandler) error

// A Middleware runs around every handler of an Application: it can act
// before and after next, change the response, or return an error (which
// becomes the error page, as a handler's would) instead of calling next.
// Timing, authentication, recovery and request IDs are middleware:
//
//	app.Use(func(h *web.RequestHandler, next web.Next) error {
//		h.SetHeader("X-Request-Id", newID())
//		return next(h)
//	})
type Middleware func(h *RequestHandler, next Next) error

// Use appends middleware to the chain; the first added runs outermost. Call
// it before the application serves requests.
func (app *Application) Use(mw ...Middleware) {
	app.middleware = append(app.middleware, mw...)
	chain := Next(app.runHandler)
	for i := len(app.middleware) - 1; i >= 0; i-- {
		m, next := app.middleware[i], chain
		chain = func(h *RequestHandler) error { return m(h, next) }
	}
	app.chain = chain
}
