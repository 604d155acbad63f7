// Package webtest tests web Applications: a Client that drives an
// Application in process, without sockets (requests, a cookie jar kept
// across calls, XSRF helpers, redirects not followed unless asked), and
// StartServer, which runs the Application on the real loop server on a free
// loopback port for the length of a test, like Tornado's AsyncHTTPTestCase.
//
//	func TestHello(t *testing.T) {
//		app, _ := web.NewApplication([]web.Rule{{Pattern: "/", Handler: &MainHandler{}}}, web.Settings{})
//		c := webtest.NewClient(t, app)
//		resp := c.Get("/")
//		if resp.Status != 200 || resp.Text() != "Hello, world" {
//			t.Fatalf("GET / = %d %q", resp.Status, resp.Text())
//		}
//	}
package webtest
