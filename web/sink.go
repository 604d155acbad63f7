package web

import (
	"github.com/tornago/tornago/httpserver"
	"github.com/tornago/tornago/httputil"
	"github.com/tornago/tornago/iostream"
)

// sink is where a RequestHandler's response goes: the server's
// ResponseWriter, an in-memory Recording (webtest), or a net/http
// ResponseWriter (the bridge). A handler fills its own buffer and headers and
// hands them over on Flush and Finish; the sink is only touched from its
// owner goroutine (the connection's loop), which post reaches from anywhere.
type sink interface {
	Header() *httputil.Headers
	SetStatus(code int, reason string)
	Write(p []byte) (int, error)
	// Flush sends the head (the first time) and what was written; cb runs
	// on the owner goroutine once the data is handed on, or with an error.
	Flush(cb func(error))
	Finish() error
	// SetCloseCallback registers fn for a client that goes away before
	// Finish; nil removes it.
	SetCloseCallback(fn func())
	// post runs fn on the owner goroutine, later; safe from any goroutine.
	post(fn func())
	// detach takes the connection from the server (ResponseWriter.Detach);
	// sinks without a connection of their own return ErrDetachUnsupported.
	detach() (*iostream.IOStream, error)
}

// serverSink adapts the loop server's ResponseWriter. It is one pointer, so
// storing it in the sink interface does not allocate.
type serverSink struct{ w *httpserver.ResponseWriter }

func (s serverSink) Header() *httputil.Headers           { return s.w.Header() }
func (s serverSink) SetStatus(code int, reason string)   { s.w.SetStatus(code, reason) }
func (s serverSink) Write(p []byte) (int, error)         { return s.w.Write(p) }
func (s serverSink) Flush(cb func(error))                { s.w.Flush(cb) }
func (s serverSink) Finish() error                       { return s.w.Finish() }
func (s serverSink) SetCloseCallback(fn func())          { s.w.SetCloseCallback(fn) }
func (s serverSink) post(fn func())                      { s.w.Loop().AddCallback(fn) }
func (s serverSink) detach() (*iostream.IOStream, error) { return s.w.Detach() }
