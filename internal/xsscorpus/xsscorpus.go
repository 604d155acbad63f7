// Package xsscorpus holds the XSS payloads the escape and web tests render:
// script tags, attribute breakouts, script URLs in every disguise and
// entity tricks, in xss.txt, one Go string literal a line.
package xsscorpus

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

//go:embed xss.txt
var corpus string

// Payloads returns the payloads of xss.txt, in order; it fails on a line
// that is not a Go string literal (blank lines and "#" comments aside).
func Payloads() ([]string, error) {
	var out []string
	for i, line := range strings.Split(corpus, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := strconv.Unquote(line)
		if err != nil {
			return nil, fmt.Errorf("xss.txt:%d: %w", i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Load returns Payloads for a test, failing it if the file does not parse.
func Load(tb testing.TB) []string {
	tb.Helper()
	p, err := Payloads()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}
