// Package conformance holds tornago's HTTP/1.1 conformance tests: a table of
// raw requests sent over real sockets to a tornago httpserver and, for
// comparison, to a net/http server, and a differential fuzz target that
// checks tornago's request parsing against net/http's http.ReadRequest.
//
// The package has no exported API; everything lives in its tests:
//
//	go test -timeout 120s ./conformance/
//	go test -timeout 60s -run '^$' -fuzz FuzzRequestDiff -fuzztime 10s ./conformance/
//
// Each table row names the raw bytes, the statuses expected (one per
// response, 1xx included), and whether the server closes the connection
// afterwards. Where net/http answers differently, the row carries a
// netHTTP expectation and a comment naming the RFC 9110/9112 rule tornago
// follows. Rows where tornago departs from the RFC without a security
// consequence would carry a knownIssue, logged instead of failing (none
// at present).
package conformance
