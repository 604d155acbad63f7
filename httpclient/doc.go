// Package httpclient is an asynchronous HTTP/1.1 client on the IOLoop,
// Tornado's AsyncHTTPClient (SimpleAsyncHTTPClient).
//
// A Client belongs to one IOLoop; Fetch and FetchFuture must be called on
// that loop's goroutine (IOLoop.AddCallback is the way in from elsewhere),
// and every callback runs there. Connections are opened with a non-blocking
// connect(2) watched by the loop, names are resolved off the loop with
// RunInExecutor, and responses are read with iostream.
//
//	c := httpclient.New(loop, httpclient.Options{})
//	c.Fetch(&httpclient.Request{URL: "http://127.0.0.1:8888/"}, func(r *httpclient.Response) {
//		if r.Error != nil { ... } // 599 for network errors and timeouts, else the status
//		fmt.Println(r.Code, string(r.Body))
//	})
//
// For scripts and tests, the package-level Fetch blocks: it runs a loop of
// its own for the length of the call.
//
// # Errors
//
// As in Tornado, a response always comes back. Network errors, timeouts and
// refused connections give Code 599 and Error an *HTTPClientError with
// Code 599 wrapping the cause. A completed response outside 2xx (including a
// redirect that was not followed) keeps its Code, Header and Body, with Error
// an *HTTPClientError carrying the same Code: Tornado's HTTPClientError with
// raise_error=False. FetchFuture always resolves with the *Response, never
// with an error, so the caller can inspect it; the blocking Fetch returns
// the response together with its Error.
//
// # Where it differs from Tornado
//
//   - Connections are kept alive and reused per scheme, host and port;
//     Tornado's simple client closes every connection after one response.
//     Idle connections are closed after Options.IdleTimeout (60 s).
//   - Request.FollowRedirects and DecompressResponse are Go zero-value
//     friendly negations: NoFollowRedirects and NoDecompress (methods
//     FollowRedirects and DecompressResponse report the effective value).
//     MaxRedirects 0 means the default 5; a negative value means none.
//   - RequestTimeout covers the whole fetch, queueing and redirects
//     included (Tornado restarts it for each redirect).
//   - Names are resolved with net.DefaultResolver and the first address is
//     used (IPv4 preferred); there is no fallback to the next address.
//     "localhost" is 127.0.0.1 without a lookup.
//   - A pooled connection that fails before any response byte (the server
//     closed it while idle) is retried once on a new connection for
//     idempotent methods.
//   - A gzip body with a StreamingCallback is decoded when it is complete and
//     handed to the callback in one piece (Tornado decodes chunk by chunk).
//   - https runs crypto/tls on two goroutines per connection, which copy
//     between the TLS connection and a socketpair whose other end the loop
//     reads like any socket. It costs two goroutines and a socketpair per
//     TLS connection; plain http uses no goroutine.
package httpclient
