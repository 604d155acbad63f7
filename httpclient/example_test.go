package httpclient_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/tornago/tornago/httpclient"
	"github.com/tornago/tornago/ioloop"
)

func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello, %s", r.URL.Query().Get("name"))
	}))
	defer srv.Close()

	loop, _ := ioloop.New()
	defer loop.Close()
	c := httpclient.New(loop, httpclient.Options{})
	v, _ := loop.RunSync(func() *ioloop.Future {
		return c.FetchFuture(&httpclient.Request{URL: srv.URL + "/?name=tornago"})
	}, 5*time.Second)
	r := v.(*httpclient.Response)
	fmt.Println(r.Code, string(r.Body), r.Error)
	// Output: 200 hello, tornago <nil>
}

func ExampleFetch() {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()

	r, err := httpclient.Fetch(srv.URL + "/missing")
	fmt.Println(r.Code, err)
	// Output: 404 HTTP 404: Not Found
}
