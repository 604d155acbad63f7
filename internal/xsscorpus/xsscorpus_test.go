package xsscorpus

import "testing"

// TestPayloads: the file parses, and holds enough payloads to mean
// something (a truncated file would make the XSS tests pass on nothing).
func TestPayloads(t *testing.T) {
	p, err := Payloads()
	if err != nil {
		t.Fatal(err)
	}
	if len(p) < 50 {
		t.Fatalf("xss.txt holds %d payloads, want at least 50", len(p))
	}
}
