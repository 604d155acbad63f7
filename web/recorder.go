package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/iostream"
)

// A Recording is the response an Application gave to an in-process request
// (ServeRecorded), framed as the loop server would frame it: Date, and
// Content-Length or Transfer-Encoding: chunked.
type Recording struct {
	Status int
	Reason string
	Header httputil.Headers
	Body   []byte
	// Flushes counts the Flush calls before the response finished.
	Flushes int
}

// ServeRecorded runs one request through the application without a socket
// and returns the response once the handler finishes it; webtest builds on
// it. Cancelling ctx plays a client that goes away: the handler's
// OnConnectionClose runs, its Context is cancelled, and ServeRecorded
// returns ctx's error without waiting further.
func (app *Application) ServeRecorded(ctx context.Context, r *httpserver.Request) (*Recording, error) {
	s := &recordSink{q: newOwnerQueue(), head: r.Method == "HEAD", req: r}
	s.rec.Status = 200
	var start time.Time
	if r.StartTime().IsZero() {
		start = time.Now()
	}
	app.serveStart(s, r, start)
	stop := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			close(stop)
		case <-s.q.done:
		}
	}()
	if s.q.run(stop) {
		return &s.rec, nil
	}
	if cb := s.closeCB; cb != nil {
		s.closeCB = nil
		cb()
	}
	go s.q.run(nil) // let the handler run to its end
	return nil, ctx.Err()
}

// recordSink captures a response in memory; its owner goroutine is the
// one in ServeRecorded.
type recordSink struct {
	q       *ownerQueue
	rec     Recording
	hdr     httputil.Headers
	req     *httpserver.Request
	head    bool
	flushed bool
	closeCB func()
}

func (s *recordSink) Header() *httputil.Headers { return &s.hdr }

func (s *recordSink) SetStatus(code int, reason string) {
	s.rec.Status = code
	if reason == "" {
		reason = StatusReason(code)
	}
	s.rec.Reason = reason
}

func (s *recordSink) Write(p []byte) (int, error) {
	if !s.head {
		s.rec.Body = append(s.rec.Body, p...)
	}
	return len(p), nil
}

func (s *recordSink) Flush(cb func(error)) {
	s.flushed = true
	s.rec.Flushes++
	s.q.post(func() { cb(nil) })
}

func (s *recordSink) Finish() error {
	// Header values may be views into the handler's pooled memory.
	for name, value := range s.hdr.All() {
		s.rec.Header.Add(strings.Clone(name), strings.Clone(value))
	}
	st := s.rec.Status
	bodyless := st == 204 || st == 304 || (st >= 100 && st < 200)
	if !bodyless && !s.rec.Header.Has("Content-Length") {
		if s.flushed {
			s.rec.Header.Set("Transfer-Encoding", "chunked")
		} else {
			s.rec.Header.Set("Content-Length", strconv.Itoa(len(s.rec.Body)))
		}
	}
	s.rec.Header.Set("Date", httputil.FormatTimestamp(time.Now()))
	if s.rec.Reason == "" {
		s.rec.Reason = StatusReason(st)
	}
	s.closeCB = nil
	// The loop server reuses a request once its response is finished;
	// blanking it here makes handlers that use it later fail in tests too.
	*s.req = httpserver.Request{}
	s.q.finished()
	return nil
}

func (s *recordSink) SetCloseCallback(fn func()) { s.closeCB = fn }

func (s *recordSink) post(fn func()) { s.q.post(fn) }

func (s *recordSink) detach() (*iostream.IOStream, error) { return nil, ErrDetachUnsupported }
