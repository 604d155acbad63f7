//go:build !race

package httpserver

// timeSlack widens the timing bounds of tests under the race detector;
// without it, the bounds stand as written.
const timeSlack = 1
