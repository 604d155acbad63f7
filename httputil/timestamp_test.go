package httputil

import (
	"testing"
	"time"
)

func TestFormatTimestamp(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Unix(0, 0), "Thu, 01 Jan 1970 00:00:00 GMT"},
		// Tornado's FormatTimestampTest: fractions are dropped.
		{time.Unix(1359312200, 503611000), "Sun, 27 Jan 2013 18:43:20 GMT"},
		{time.Date(2013, 1, 27, 19, 43, 20, 0, time.FixedZone("CET", 3600)), "Sun, 27 Jan 2013 18:43:20 GMT"},
		{time.Date(2000, 2, 29, 23, 59, 59, 999999999, time.UTC), "Tue, 29 Feb 2000 23:59:59 GMT"},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), "Fri, 31 Dec 9999 00:00:00 GMT"},
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), "Mon, 01 Jan 0001 00:00:00 GMT"},
	}
	for _, tt := range tests {
		if got := FormatTimestamp(tt.t); got != tt.want {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func TestAppendTimestampAgreesWithTimeFormat(t *testing.T) {
	for sec := int64(-5e10); sec < 2.5e11; sec += 7777777 {
		tm := time.Unix(sec, 0)
		want := tm.UTC().Format(TimeFormat)
		if got := string(AppendTimestamp(nil, tm)); got != want {
			t.Fatalf("AppendTimestamp(%d) = %q, want %q", sec, got, want)
		}
	}
}
