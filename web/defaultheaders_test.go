package web_test

import (
	"testing"

	"github.com/tornago/tornago/web"
)

// defaulted sets a header in SetDefaultHeaders and ends its request in the
// way its path names.
type defaulted struct{ web.RequestHandler }

func (h *defaulted) SetDefaultHeaders() { h.SetHeader("X-Frame-Options", "DENY") }

func (h *defaulted) Prepare() error {
	if h.Request.Path == "/unauthorized" {
		return web.NewHTTPError(401)
	}
	return nil
}

func (h *defaulted) Get(what string) error {
	switch what {
	case "missing":
		return web.NewHTTPError(404)
	case "panic":
		panic("boom")
	case "clear":
		h.SetHeader("X-Frame-Options", "SAMEORIGIN")
		h.SetHeader("X-Other", "1")
		h.Clear()
		return h.Write("cleared")
	case "senderror":
		h.SetHeader("X-Other", "1")
		return h.SendError(403)
	}
	return h.Write("ok")
}

// panicky's SetDefaultHeaders panics: its 500 page still goes out.
type panicky struct{ web.RequestHandler }

func (h *panicky) SetDefaultHeaders() { panic("defaults") }
func (h *panicky) Get() error         { return h.Write("never") }

// reclear calls Clear inside SetDefaultHeaders, which must not recurse.
type reclear struct{ web.RequestHandler }

func (h *reclear) SetDefaultHeaders() { h.Clear(); h.SetHeader("X-Re", "1") }
func (h *reclear) Get() error         { return h.Write("ok") }

func TestDefaultHeadersOnEveryResponse(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/(ok|missing|panic|clear|senderror|unauthorized)", Handler: &defaulted{}},
		{Pattern: "/panicky", Handler: &panicky{}},
		{Pattern: "/reclear", Handler: &reclear{}},
	}, web.Settings{})
	tests := []struct {
		path, header, want string
		status             int
		body               string
	}{
		{"/ok", "X-Frame-Options", "DENY", 200, "ok"},
		{"/missing", "X-Frame-Options", "DENY", 404, "<html><title>404: Not Found</title><body>404: Not Found</body></html>"},
		{"/panic", "X-Frame-Options", "DENY", 500, "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>"},
		{"/unauthorized", "X-Frame-Options", "DENY", 401, "<html><title>401: Unauthorized</title><body>401: Unauthorized</body></html>"},
		{"/clear", "X-Frame-Options", "DENY", 200, "cleared"},
		{"/clear", "X-Other", "", 200, "cleared"},
		{"/senderror", "X-Frame-Options", "DENY", 403, "<html><title>403: Forbidden</title><body>403: Forbidden</body></html>"},
		{"/senderror", "X-Other", "", 403, ""},
		{"/ok", "Server", web.ServerHeader, 200, "ok"},
		{"/missing", "Content-Type", "text/html; charset=UTF-8", 404, ""},
		{"/missing", "Date", "?", 404, ""},
		{"/panicky", "Server", web.ServerHeader, 500, "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>"},
		{"/reclear", "X-Re", "1", 200, "ok"},
	}
	for _, tt := range tests {
		r := c.Get(tt.path)
		if r.Status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.path, r.Status, tt.status)
		}
		got := r.Get(tt.header)
		if tt.want == "?" {
			if got == "" {
				t.Errorf("%s: no %s header", tt.path, tt.header)
			}
		} else if got != tt.want {
			t.Errorf("%s: %s = %q, want %q", tt.path, tt.header, got, tt.want)
		}
		if tt.body != "" && r.Text() != tt.body {
			t.Errorf("%s: body %q, want %q", tt.path, r.Text(), tt.body)
		}
	}
}
