// Package hardening holds tornago's reliability tests (issue 6: slow and
// hostile clients, faults, load, graceful shutdown). Each test builds the
// server program in cmd/target, runs it in its own process, and drives it
// over loopback from the test process, reading the target's resources from
// /proc/<pid> and its /debug/stats endpoint.
//
//	go test -timeout 300s ./hardening/
//
// The long load runs (wrk at 1,000 connections for 60 s, 10,000 idle
// connections) are in run.sh, with the idle-connection client in
// cmd/idleclient.
package hardening
