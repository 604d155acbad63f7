package locale

import (
	"math"
	"strconv"
	"time"
)

// DateOptions are FormatDate's keyword arguments; the zero value is
// Tornado's defaults (relative, GMT, long form).
type DateOptions struct {
	// GMTOffset is the reader's offset from UTC in minutes with Tornado's
	// sign (JavaScript's getTimezoneOffset): UTC minus local time, so 300
	// for New York in winter and -60 for Paris.
	GMTOffset int

	// Absolute turns off relative dates ("2 hours ago", "yesterday"):
	// Tornado's relative=False.
	Absolute bool

	// Relative is Tornado's relative keyword for templates
	// (format_date(d, relative=False)); nil means true. Absolute wins.
	Relative *bool

	// Shorter leaves out the time of day ("yesterday", "March 4").
	Shorter bool

	// FullFormat always writes month, day, year and time.
	FullFormat bool
}

// Durations as Python's timedelta counts them.
const day = 24 * time.Hour

// FormatDate formats t (an instant; its zone is ignored) relative to the
// current time, as FormatDateAt(t, time.Now(), opts...).
func (l *Locale) FormatDate(t time.Time, opts ...DateOptions) string {
	return l.FormatDateAt(t, time.Now(), opts...)
}

// FormatDateAt formats date as seen at the instant now, with Tornado's
// rules (at most one DateOptions is used):
//
//   - under 50 seconds ago: "N seconds ago"; under 50 minutes: "N minutes
//     ago"; under 24 hours: "N hours ago" (rounded half to even, as
//     Python's round);
//   - the previous calendar day, 24 to 48 hours ago: "yesterday at 3:06 pm";
//   - under 5 days: "Monday at 3:06 pm"; under 334 days: "March 4 at 3:06
//     pm"; otherwise "March 4, 2020 at 3:06 pm";
//   - Absolute: the same without the "ago" forms and "yesterday" (and only
//     the time for a date under a day old); FullFormat: always the last
//     form; Shorter: without " at <time>";
//   - a date in the future is written in full, except that up to a minute
//     ahead (measured as Tornado does, on the seconds part of the gap only)
//     counts as now in relative mode.
//
// Times are "3:06 pm" in en and en_US, "上午3:06"/"下午3:06" in zh_CN, and
// "15:06" elsewhere; month and weekday names and every pattern go through
// Translate.
func (l *Locale) FormatDateAt(date, now time.Time, opts ...DateOptions) string {
	var o DateOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	relative := !o.Absolute && (o.Relative == nil || *o.Relative)
	fullFormat := o.FullFormat
	// Python's datetimes hold microseconds; so do these.
	date = date.UTC().Truncate(time.Microsecond)
	now = now.UTC().Truncate(time.Microsecond)
	if date.After(now) {
		if _, secs := timedelta(date.Sub(now)); relative && secs < 60 {
			date = now
		} else {
			fullFormat = true
		}
	}
	offset := time.Duration(o.GMTOffset) * time.Minute
	localDate := date.Add(-offset)
	localYesterday := now.Add(-offset).Add(-day)
	days, seconds := timedelta(now.Sub(date))

	format := ""
	if !fullFormat {
		if relative && days == 0 {
			switch {
			case seconds < 50:
				return l.plural("1 second ago", "%(seconds)d seconds ago", "seconds", seconds)
			case seconds < 50*60:
				return l.plural("1 minute ago", "%(minutes)d minutes ago", "minutes", int64(math.RoundToEven(float64(seconds)/60)))
			}
			return l.plural("1 hour ago", "%(hours)d hours ago", "hours", int64(math.RoundToEven(float64(seconds)/3600)))
		}
		switch {
		case days == 0:
			format = l.Translate("%(time)s", "", 0)
		case days == 1 && localDate.Day() == localYesterday.Day() && relative:
			format = l.pick(o.Shorter, "yesterday", "yesterday at %(time)s")
		case days < 5:
			format = l.pick(o.Shorter, "%(weekday)s", "%(weekday)s at %(time)s")
		case days < 334: // 11 months: "March 4" would be ambiguous a year back
			format = l.pick(o.Shorter, "%(month_name)s %(day)s", "%(month_name)s %(day)s at %(time)s")
		}
	}
	if format == "" {
		format = l.pick(o.Shorter, "%(month_name)s %(day)s, %(year)s", "%(month_name)s %(day)s, %(year)s at %(time)s")
	}
	return interpolate(format, map[string]string{
		"month_name": l.months[localDate.Month()-1],
		"weekday":    l.weekdays[pyWeekday(localDate)],
		"day":        strconv.Itoa(localDate.Day()),
		"year":       strconv.Itoa(localDate.Year()),
		"time":       l.clock(localDate),
	})
}

// FormatDay formats t's calendar day as "Wednesday, March 4" (dow) or
// "March 4", at gmtOffset minutes west of UTC (Tornado's sign).
func (l *Locale) FormatDay(t time.Time, gmtOffset int, dow bool) string {
	local := t.UTC().Add(-time.Duration(gmtOffset) * time.Minute)
	values := map[string]string{
		"month_name": l.months[local.Month()-1],
		"weekday":    l.weekdays[pyWeekday(local)],
		"day":        strconv.Itoa(local.Day()),
	}
	if dow {
		return interpolate(l.Translate("%(weekday)s, %(month_name)s %(day)s", "", 0), values)
	}
	return interpolate(l.Translate("%(month_name)s %(day)s", "", 0), values)
}

// timedelta splits d as Python's timedelta does: whole days (rounded down,
// so negative for a negative d) and the remaining whole seconds (0 to
// 86399).
func timedelta(d time.Duration) (days, seconds int64) {
	us := d.Microseconds()
	const usPerDay = int64(day / time.Microsecond)
	days = us / usPerDay
	rem := us % usPerDay
	if rem < 0 {
		days--
		rem += usPerDay
	}
	return days, rem / int64(time.Second/time.Microsecond)
}

// pyWeekday is Python's date.weekday(): Monday 0 ... Sunday 6.
func pyWeekday(t time.Time) int {
	return (int(t.Weekday()) + 6) % 7
}

func (l *Locale) pick(shorter bool, short, long string) string {
	if shorter {
		return l.Translate(short, "", 0)
	}
	return l.Translate(long, "", 0)
}

// plural translates a count message and fills in the count.
func (l *Locale) plural(singular, plural, name string, n int64) string {
	count := 0
	if n == 1 {
		count = 1
	}
	return interpolate(l.Translate(singular, plural, count), map[string]string{name: strconv.FormatInt(n, 10)})
}

// clock writes the time of day in the locale's convention.
func (l *Locale) clock(t time.Time) string {
	h, m := t.Hour(), t.Minute()
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	mm := strconv.Itoa(m)
	if m < 10 {
		mm = "0" + mm
	}
	switch l.Code {
	case "en", "en_US":
		if h >= 12 {
			return strconv.Itoa(h12) + ":" + mm + " pm"
		}
		return strconv.Itoa(h12) + ":" + mm + " am"
	case "zh_CN":
		if h >= 12 {
			return "\u4e0b\u5348" + strconv.Itoa(h12) + ":" + mm
		}
		return "\u4e0a\u5348" + strconv.Itoa(h12) + ":" + mm
	}
	return strconv.Itoa(h) + ":" + mm
}
