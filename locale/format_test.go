package locale

import (
	"testing"
	"time"
)

func utc(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, time.UTC)
}

// Rows checked against Tornado 6.2's format_date with a fixed clock; the
// first are locale_test.py's test_format_date. now is Wednesday
// 2020-03-04 15:06:00 UTC unless the row says otherwise.
func TestFormatDate(t *testing.T) {
	now := utc(2020, 3, 4, 15, 6, 0)
	tru, fls := true, false
	tests := []struct {
		name string
		code string
		date time.Time
		now  time.Time // zero: now above
		opts DateOptions
		want string
	}{
		{"full format", "en_US", utc(2013, 4, 28, 18, 35, 0), time.Time{}, DateOptions{FullFormat: true}, "April 28, 2013 at 6:35 pm"},
		{"seconds", "en_US", now.Add(-2 * time.Second), time.Time{}, DateOptions{}, "2 seconds ago"},
		{"one second", "en_US", now.Add(-time.Second), time.Time{}, DateOptions{}, "1 second ago"},
		{"zero seconds", "en_US", now, time.Time{}, DateOptions{}, "0 seconds ago"},
		{"minutes", "en_US", now.Add(-2 * time.Minute), time.Time{}, DateOptions{}, "2 minutes ago"},
		{"50 seconds is a minute", "en_US", now.Add(-50 * time.Second), time.Time{}, DateOptions{}, "1 minute ago"},
		{"round half to even down", "en_US", now.Add(-150 * time.Second), time.Time{}, DateOptions{}, "2 minutes ago"},
		{"round half to even up", "en_US", now.Add(-90 * time.Second), time.Time{}, DateOptions{}, "2 minutes ago"},
		{"hours", "en_US", now.Add(-2 * time.Hour), time.Time{}, DateOptions{}, "2 hours ago"},
		{"50 minutes is an hour", "en_US", now.Add(-50 * time.Minute), time.Time{}, DateOptions{}, "1 hour ago"},
		{"23.9 hours", "en_US", now.Add(-86399 * time.Second), time.Time{}, DateOptions{}, "24 hours ago"},
		{"yesterday shorter", "en_US", now.Add(-24 * time.Hour), time.Time{}, DateOptions{Shorter: true}, "yesterday"},
		{"yesterday", "en_US", now.Add(-30 * time.Hour), time.Time{}, DateOptions{}, "yesterday at 9:06 am"},
		{"day before by calendar", "en_US", utc(2020, 3, 2, 23, 0, 0), time.Time{}, DateOptions{}, "Monday at 11:00 pm"},
		{"weekday shorter", "en_US", now.Add(-2 * 24 * time.Hour), time.Time{}, DateOptions{Shorter: true}, "Monday"},
		{"weekday", "en_US", now.Add(-4 * 24 * time.Hour), time.Time{}, DateOptions{}, "Saturday at 3:06 pm"},
		{"month and day shorter", "en_US", now.Add(-300 * 24 * time.Hour), time.Time{}, DateOptions{Shorter: true}, "May 9"},
		{"month and day", "en_US", now.Add(-5 * 24 * time.Hour), time.Time{}, DateOptions{}, "February 28 at 3:06 pm"},
		{"with year shorter", "en_US", now.Add(-500 * 24 * time.Hour), time.Time{}, DateOptions{Shorter: true}, "October 21, 2018"},
		{"334 days has a year", "en_US", now.Add(-334 * 24 * time.Hour), time.Time{}, DateOptions{}, "April 5, 2019 at 3:06 pm"},
		{"absolute today is the time", "en_US", now.Add(-2 * time.Hour), time.Time{}, DateOptions{Absolute: true}, "1:06 pm"},
		{"relative false keyword", "en_US", now.Add(-2 * time.Hour), time.Time{}, DateOptions{Relative: &fls}, "1:06 pm"},
		{"relative true keyword", "en_US", now.Add(-2 * time.Hour), time.Time{}, DateOptions{Relative: &tru}, "2 hours ago"},
		{"absolute skips yesterday", "en_US", now.Add(-30 * time.Hour), time.Time{}, DateOptions{Absolute: true}, "Tuesday at 9:06 am"},
		{"future within a minute is now", "en_US", now.Add(30 * time.Second), time.Time{}, DateOptions{}, "0 seconds ago"},
		{"future is full", "en_US", now.Add(61 * time.Second), time.Time{}, DateOptions{}, "March 4, 2020 at 3:07 pm"},
		{"future a day and seconds is now (Tornado's timedelta.seconds)", "en_US", now.Add(24*time.Hour + 30*time.Second), time.Time{}, DateOptions{}, "0 seconds ago"},
		{"absolute future is full", "en_US", now.Add(30 * time.Second), time.Time{}, DateOptions{Absolute: true}, "March 4, 2020 at 3:06 pm"},
		{"gmt offset west", "en_US", now.Add(-3 * 24 * time.Hour), time.Time{}, DateOptions{GMTOffset: 300}, "Sunday at 10:06 am"},
		{"gmt offset east crosses midnight", "en_US", now.Add(-3 * 24 * time.Hour), time.Time{}, DateOptions{GMTOffset: -600}, "Monday at 1:06 am"},
		{"yesterday needs the local calendar day", "en_US", utc(2020, 3, 3, 14, 0, 0), time.Time{}, DateOptions{GMTOffset: 900}, "Monday at 11:00 pm"},
		{"midnight is 12 am", "en", utc(2019, 1, 1, 0, 5, 0), time.Time{}, DateOptions{}, "January 1, 2019 at 12:05 am"},
		{"noon is 12 pm", "en", utc(2019, 1, 1, 12, 0, 0), time.Time{}, DateOptions{}, "January 1, 2019 at 12:00 pm"},
		{"24-hour clock elsewhere", "de_DE", utc(2019, 1, 1, 0, 5, 0), time.Time{}, DateOptions{}, "January 1, 2019 at 0:05"},
		{"zh_CN morning", "zh_CN", utc(2019, 1, 1, 9, 5, 0), time.Time{}, DateOptions{}, "January 1, 2019 at \u4e0a\u53489:05"},
		{"zh_CN afternoon", "zh_CN", utc(2019, 1, 1, 13, 5, 0), time.Time{}, DateOptions{}, "January 1, 2019 at \u4e0b\u53481:05"},
		{"zone of the date is ignored", "en_US", time.Date(2013, 4, 28, 20, 35, 0, 0, time.FixedZone("CEST", 7200)), time.Time{}, DateOptions{FullFormat: true}, "April 28, 2013 at 6:35 pm"},
		{"other clock", "en_US", utc(2021, 1, 1, 0, 0, 0), utc(2021, 1, 1, 0, 0, 59), DateOptions{}, "1 minute ago"},
	}
	for _, tc := range tests {
		n := tc.now
		if n.IsZero() {
			n = now
		}
		if got := newLocale(tc.code, nil).FormatDateAt(tc.date, n, tc.opts); got != tc.want {
			t.Errorf("%s: FormatDateAt(%v, %v, %+v) = %q, want %q", tc.name, tc.date, n, tc.opts, got, tc.want)
		}
	}
}

func TestFormatDateUsesClock(t *testing.T) {
	l := newLocale("en_US", nil)
	if got := l.FormatDate(time.Now().Add(-3 * time.Minute)); got != "3 minutes ago" {
		t.Errorf("FormatDate(3 minutes ago) = %q", got)
	}
}

func TestFormatDateTranslated(t *testing.T) {
	cat, err := parseCSV("fr.csv", mustRead(t, "testdata/plural/fr.csv"))
	if err != nil {
		t.Fatal(err)
	}
	fr := newLocale("fr", cat)
	now := utc(2020, 3, 4, 15, 6, 0)
	tests := []struct {
		date time.Time
		opts DateOptions
		want string
	}{
		{now.Add(-time.Minute), DateOptions{}, "il y a 1 minute"},
		{now.Add(-5 * time.Minute), DateOptions{}, "il y a 5 minutes"},
		{now.Add(-2 * time.Hour), DateOptions{}, "2 hours ago"},
		{now.Add(-30 * time.Hour), DateOptions{}, "hier \u00e0 9:06"},
		{now, DateOptions{FullFormat: true}, "4 mars 2020 \u00e0 15:06"},
	}
	for _, tc := range tests {
		if got := fr.FormatDateAt(tc.date, now, tc.opts); got != tc.want {
			t.Errorf("fr FormatDateAt(%v, %+v) = %q, want %q", tc.date, tc.opts, got, tc.want)
		}
	}
	if got := fr.FormatDay(now, 0, true); got != "mercredi, mars 4" {
		t.Errorf("fr FormatDay = %q", got)
	}
	if got := fr.List([]string{"a", "b", "c"}); got != "a, b et c" {
		t.Errorf("fr List = %q", got)
	}
}

// Tornado's test_format_day.
func TestFormatDay(t *testing.T) {
	l := newLocale("en_US", nil)
	date := utc(2013, 4, 28, 18, 35, 0)
	tests := []struct {
		offset int
		dow    bool
		want   string
	}{
		{0, true, "Sunday, April 28"},
		{0, false, "April 28"},
		{-420, true, "Monday, April 29"},
		{1200, false, "April 27"},
	}
	for _, tc := range tests {
		if got := l.FormatDay(date, tc.offset, tc.dow); got != tc.want {
			t.Errorf("FormatDay(offset %d, dow %v) = %q, want %q", tc.offset, tc.dow, got, tc.want)
		}
	}
}

// Tornado's test_list, and Persian's separator.
func TestList(t *testing.T) {
	tests := []struct {
		code  string
		parts []string
		want  string
	}{
		{"en_US", nil, ""},
		{"en_US", []string{"A"}, "A"},
		{"en_US", []string{"A", "B"}, "A and B"},
		{"en_US", []string{"A", "B", "C"}, "A, B and C"},
		{"fa_IR", []string{"A", "B", "C"}, "A \u0648 B and C"},
	}
	for _, tc := range tests {
		if got := newLocale(tc.code, nil).List(tc.parts); got != tc.want {
			t.Errorf("%s List(%q) = %q, want %q", tc.code, tc.parts, got, tc.want)
		}
	}
}

// Tornado's test_friendly_number and the English-only rule.
func TestFriendlyNumber(t *testing.T) {
	tests := []struct {
		code string
		n    int64
		want string
	}{
		{"en_US", 1000000, "1,000,000"},
		{"en_US", 1234567, "1,234,567"},
		{"en", 999, "999"},
		{"en", 1000, "1,000"},
		{"en", 0, "0"},
		{"en", -1234, "-1,234"},
		{"en", -123456, "-123,456"}, // Tornado writes "-,123,456"; see FriendlyNumber
		{"de_DE", 1234567, "1234567"},
	}
	for _, tc := range tests {
		if got := newLocale(tc.code, nil).FriendlyNumber(tc.n); got != tc.want {
			t.Errorf("%s FriendlyNumber(%d) = %q, want %q", tc.code, tc.n, got, tc.want)
		}
	}
}

func TestInterpolate(t *testing.T) {
	values := map[string]string{"n": "7", "neg": "-3", "name": "Zo\u00eb"}
	tests := []struct{ format, want string }{
		{"%(n)d items", "7 items"},
		{"%(name)s", "Zo\u00eb"},
		{"%(n)03d|%(neg)04d", "007|-003"},
		{"[%(name)5s][%(name)-5s]", "[  Zo\u00eb][Zo\u00eb  ]"},
		{"100%% sure", "100% sure"},
		{"%(missing)s and %(n)x and %(n", "%(missing)s and %(n)x and %(n"},
		{"trailing %", "trailing %"},
	}
	for _, tc := range tests {
		if got := interpolate(tc.format, values); got != tc.want {
			t.Errorf("interpolate(%q) = %q, want %q", tc.format, got, tc.want)
		}
	}
}
