package httpclient

import (
	"fmt"

	"github.com/tornago/tornago/ioloop"
)

// Fetch is the blocking client (Tornado's HTTPClient) for scripts and
// tests: it fetches urlOrRequest (a string URL or a *Request) on a loop of
// its own, created and closed for the call, and returns the response with
// its Error (nil for 2xx). Do not call it from a loop goroutine: it blocks.
func Fetch(urlOrRequest any) (*Response, error) {
	var req *Request
	switch v := urlOrRequest.(type) {
	case string:
		req = &Request{URL: v}
	case *Request:
		req = v
	default:
		return nil, fmt.Errorf("httpclient: Fetch wants a string or *Request, not %T", urlOrRequest)
	}
	loop, err := ioloop.New(ioloop.WithWatchdog(0))
	if err != nil {
		return nil, fmt.Errorf("httpclient: %w", err)
	}
	defer loop.Close()
	c := New(loop, Options{MaxClients: 1})
	v, err := loop.RunSync(func() *ioloop.Future { return c.FetchFuture(req) }, 0)
	_, _ = loop.RunSync(func() *ioloop.Future { c.Close(); return nil }, 0)
	if err != nil {
		return nil, fmt.Errorf("httpclient: %w", err)
	}
	r := v.(*Response)
	return r, r.Error
}
