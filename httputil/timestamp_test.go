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

func TestParseTimestamp(t *testing.T) {
	want := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	for _, s := range []string{"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"} {
		got, err := ParseTimestamp(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "yesterday", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Nov 1994 08:49:37"} {
		if _, err := ParseTimestamp(s); err == nil {
			t.Errorf("ParseTimestamp(%q) succeeded", s)
		}
	}
	now := time.Unix(1700000000, 0).UTC()
	if got, err := ParseTimestamp(FormatTimestamp(now)); err != nil || !got.Equal(now) {
		t.Errorf("round trip: %v, %v", got, err)
	}
}
