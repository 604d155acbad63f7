package httpserver_test

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/ioloop"
)

func Example() {
	srv := httpserver.New(httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteString("Hello, world")
		w.Finish()
	}), httpserver.Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil { // port 0: any free port
		fmt.Println(err)
		return
	}
	defer srv.Shutdown(context.Background())

	resp, err := http.Get("http://" + srv.Addr().String() + "/")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Content-Length"), string(body))
	// Output: 200 OK 12 Hello, world
}

// An asynchronous handler returns without finishing; the response is
// finished later on the loop, here when blocking work done on the loop's
// executor completes. Other connections are served meanwhile.
func ExampleHandler_asynchronous() {
	slow := httpserver.HandlerFunc(func(w *httpserver.ResponseWriter, r *httpserver.Request) {
		f := r.Loop().RunInExecutor(func() (any, error) {
			return "computed elsewhere", nil // e.g. a database query
		})
		f.AddDoneCallback(func(f *ioloop.Future) { // runs on the loop
			v, _ := f.Result()
			fmt.Fprintf(w, "%s for %s", v, r.Path)
			w.Finish()
		})
	})
	srv := httpserver.New(slow, httpserver.Options{})
	if err := srv.Listen(0, "127.0.0.1"); err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Shutdown(context.Background())

	resp, err := http.Get("http://" + srv.Addr().String() + "/report")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(string(body))
	// Output: computed elsewhere for /report
}
