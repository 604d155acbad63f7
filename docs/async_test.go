package docs_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tornago/tornago/httpclient"
	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// guide: blocking

// Store stands for a database: its calls block.
type Store interface {
	Title(ctx context.Context, id string) (string, error)
}

// ReportHandler runs on the application's worker pool, not on the loop,
// because it embeds web.Blocking: its blocking calls delay no one else.
type ReportHandler struct {
	web.RequestHandler
	web.Blocking
	Store Store
}

// Get calls the store with the request's context, cancelled when the
// client goes away, on Settings.RequestTimeout and on shutdown.
func (h *ReportHandler) Get(id string) error {
	title, err := h.Store.Title(h.Context(), id)
	if err != nil {
		return err // a plain error is a 500, logged with the request
	}
	return h.Write(title)
}

// end

type slowStore struct{}

func (slowStore) Title(ctx context.Context, id string) (string, error) {
	select {
	case <-time.After(10 * time.Millisecond):
		return "report " + id, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func Example_blocking() {
	app, err := web.NewApplication([]web.Rule{
		{Pattern: "/report/(.+)", Handler: &ReportHandler{Store: slowStore{}}},
	}, web.Settings{})
	if err != nil {
		panic(err)
	}
	fmt.Println(webtest.NewClient(nil, app).Get("/report/q3").Text())
	// Output: report q3
}

// guide: async

// WaitHandler answers later, Tornado's asynchronous handler: the loop
// serves other connections meanwhile, and no worker is held.
type WaitHandler struct{ web.RequestHandler }

// Get returns at once; the response is finished later on the loop.
func (h *WaitHandler) Get() error {
	h.Async()
	go func() {
		time.Sleep(20 * time.Millisecond) // e.g. wait for a message
		h.RunOnLoop(func() {              // back on the handler's goroutine
			h.Write("done waiting")
			h.Finish()
		})
	}()
	return nil
}

// end

func Example_async() {
	app, err := web.NewApplication([]web.Rule{{Pattern: "/wait", Handler: &WaitHandler{}}}, web.Settings{})
	if err != nil {
		panic(err)
	}
	fmt.Println(webtest.NewClient(nil, app).Get("/wait").Text())
	// Output: done waiting
}

// guide: ioloop

func loopDemo() (any, error) {
	loop, err := ioloop.New()
	if err != nil {
		return nil, err
	}
	defer loop.Close()
	// RunSync starts the loop, runs fn on it and stops when the future is done.
	return loop.RunSync(func() *ioloop.Future {
		f := ioloop.NewFuture()
		loop.CallLater(10*time.Millisecond, func() { // a timer, on the loop
			work := loop.RunInExecutor(func() (any, error) { // a worker goroutine
				return 6 * 7, nil
			})
			work.AddDoneCallback(func(w *ioloop.Future) { // back on the loop
				v, err := w.Result()
				if err != nil {
					f.SetError(err)
					return
				}
				f.SetResult(v)
			})
		})
		return f
	}, time.Second)
}

// end

func Example_ioloop() {
	fmt.Println(loopDemo())
	// Output: 42 <nil>
}

// guide: httpclient

func fetchTitle(url string) (string, error) {
	// The blocking client runs a loop of its own for the call: for scripts,
	// tests and blocking handlers. On a loop, use httpclient.New(loop, ...).Fetch.
	resp, err := httpclient.Fetch(&httpclient.Request{URL: url, RequestTimeout: 5 * time.Second})
	if err != nil {
		return "", err // *httpclient.HTTPClientError: Code 599 when no response came
	}
	return string(resp.Body), nil
}

// end
