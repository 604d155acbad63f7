//go:build race

package httpserver

// timeSlack widens the timing bounds of tests under the race detector,
// which slows the loop (and the building of large responses) severalfold.
const timeSlack = 3
