package httputil

import "time"

// TimeFormat is the HTTP-date layout (IMF-fixdate, RFC 9110 section
// 5.6.7) for time.Time.Format; the time must be in UTC.
const TimeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

const (
	dayNames   = "SunMonTueWedThuFriSat"
	monthNames = "JanFebMarAprMayJunJulAugSepOctNovDec"
)

// FormatTimestamp formats t as an HTTP date in GMT, Tornado's
// format_timestamp: "Thu, 01 Jan 1970 00:00:00 GMT". The zone of t does not
// matter; sub-second precision is dropped.
func FormatTimestamp(t time.Time) string {
	var buf [len(TimeFormat)]byte
	return string(AppendTimestamp(buf[:0], t))
}

// AppendTimestamp appends FormatTimestamp(t) to dst and returns the
// extended slice. It allocates nothing when dst has room for 29 bytes; the
// server formats its Date header with it.
func AppendTimestamp(dst []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		// IMF-fixdate has four year digits; let time do its best.
		return t.AppendFormat(dst, TimeFormat)
	}
	hour, minute, sec := t.Clock()
	wd := int(t.Weekday()) * 3
	mo := (int(month) - 1) * 3
	return append(dst,
		dayNames[wd], dayNames[wd+1], dayNames[wd+2], ',', ' ',
		byte('0'+day/10), byte('0'+day%10), ' ',
		monthNames[mo], monthNames[mo+1], monthNames[mo+2], ' ',
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), ' ',
		byte('0'+hour/10), byte('0'+hour%10), ':',
		byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10), ' ', 'G', 'M', 'T')
}

// The obsolete HTTP-date forms a recipient must still accept (RFC 9110
// section 5.6.7).
const (
	rfc850Format  = "Monday, 02-Jan-06 15:04:05 GMT"
	asctimeFormat = "Mon Jan _2 15:04:05 2006"
)

// ParseTimestamp parses an HTTP date (If-Modified-Since, Last-Modified...)
// in any of the three forms of RFC 9110 section 5.6.7: IMF-fixdate
// ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 and asctime. The result is in
// UTC. A malformed date is an *InputError; Tornado ignores an unparseable
// If-Modified-Since, and so should its caller.
func ParseTimestamp(s string) (time.Time, error) {
	for _, layout := range [...]string{TimeFormat, rfc850Format, asctimeFormat} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, &InputError{Reason: "malformed HTTP date " + quoteForError(s)}
}
