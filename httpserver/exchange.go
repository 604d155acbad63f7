package httpserver

import "unsafe"

// An exchange is one request and its response: what the server hands a
// handler. Exchanges are reused through the loop's free list, so serving
// a request allocates nothing once the loop is warm.
type exchange struct {
	req  Request
	w    ResponseWriter
	info headInfo
	scan headScan // where the parse of a head arriving in pieces stands
	ck   chunkReader

	bodyLeft int64 // Content-Length body bytes still to come
	maxBody  int64 // this request's body limit (HeadersReceived, or the server's)

	stream bool // the body goes to BodyStreamer.DataReceived in pieces
	ckDone bool // a streamed chunked body has ended

	keep     bool // the request allows keeping the connection open
	detached bool // req no longer points into the connection's input
	inServe  bool // ServeHTTP is on the stack
	finished bool // finished while ServeHTTP was on the stack
	panicked bool // the handler panicked: ex is retired, never reused

	// release gives ex back to its loop's free list, from a callback
	// after an asynchronous Finish (made once per exchange).
	release func()

	body  []byte // the body when it did not arrive in one piece
	plain []byte // the gunzipped body (Decompress)
	arena []byte // strings of a detached request
	next  *exchange
}

// reset clears ex for reuse, keeping buffer capacities that are worth it.
func (ex *exchange) reset() {
	ex.req.reset()
	ex.w.reset()
	ex.info = headInfo{}
	ex.ck = chunkReader{}
	ex.keep, ex.detached, ex.bodyLeft = false, false, 0
	ex.inServe, ex.finished, ex.panicked = false, false, false
	ex.body = trimBuffer(ex.body)
	ex.plain = trimBuffer(ex.plain)
	ex.arena = trimBuffer(ex.arena)
}

// trimBuffer empties b, dropping it if it grew past maxPooledBody.
func trimBuffer(b []byte) []byte {
	if cap(b) > maxPooledBody {
		return nil
	}
	return b[:0]
}

// detach copies every string and the body of ex.req that points into
// data (the connection's input, about to be reused) into buffers ex owns.
// After it, the request stays valid until the exchange is released.
func (ex *exchange) detach(data []byte) {
	if ex.detached {
		return
	}
	ex.detached = true
	if len(data) == 0 {
		return
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	hi := lo + uintptr(len(data))
	inside := func(p unsafe.Pointer, n int) bool {
		u := uintptr(p)
		return n > 0 && u >= lo && u < hi
	}
	r := &ex.req
	strs := [...]*string{&r.Method, &r.URI, &r.Path, &r.Query, &r.RemoteIP, &r.Protocol, &r.Host}
	size := 0
	for _, s := range strs {
		if inside(unsafe.Pointer(unsafe.StringData(*s)), len(*s)) {
			size += len(*s)
		}
	}
	if size > 0 {
		if cap(ex.arena) < size {
			ex.arena = make([]byte, 0, size)
		}
		a := ex.arena[:0]
		for _, s := range strs {
			if inside(unsafe.Pointer(unsafe.StringData(*s)), len(*s)) {
				start := len(a)
				a = append(a, *s...)
				*s = unsafe.String(&a[start], len(*s))
			}
		}
		ex.arena = a
	}
	if r.Header.Len() > 0 {
		r.Header = r.Header.Clone()
	}
	if inside(unsafe.Pointer(unsafe.SliceData(r.Body)), len(r.Body)) {
		ex.body = append(ex.body[:0], r.Body...)
		r.Body = ex.body
	}
}
