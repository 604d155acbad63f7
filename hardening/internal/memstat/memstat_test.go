package memstat

import (
	"runtime"
	"testing"
)

func TestReadings(t *testing.T) {
	if runtime.GOOS == "linux" {
		if kib := RSSKiB(); kib <= 0 {
			t.Fatalf("RSSKiB() = %d on Linux, want a positive figure", kib)
		}
	}
	c := ClassesKiB()
	if c["total"] == 0 || c["heap/objects"] == 0 {
		t.Fatalf("ClassesKiB() = %v: no total or heap/objects", c)
	}
	if _, ok := c["metadata/other"]; !ok {
		t.Fatalf("ClassesKiB() has no metadata/other: %v", c)
	}
}
