package template

import (
	"math"
	"time"
)

// pyObject is a small Python module or class made of attributes, such as
// the datetime module in the default namespace.
type pyObject struct {
	name  string
	attrs map[string]value
	call  func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error)
}

// datetimeModule is the `datetime` of Tornado's default namespace, reduced
// to what templates use: datetime.datetime.now/utcnow/fromtimestamp,
// datetime.datetime(y, m, d, ...), datetime.date.today, datetime.timedelta
// (a time.Duration) and datetime.timezone.utc. Times are time.Time values;
// a time in UTC plays a naive datetime.
var datetimeModule *pyObject

// nowFunc is the clock, replaceable in tests.
var nowFunc = time.Now

func initDatetime() {
	method := func(name string, fn func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error)) value {
		return builtinV(addBuiltin(name, false, nil, fn))
	}
	utc := anyV(time.UTC)
	dt := &pyObject{name: "datetime.datetime", attrs: map[string]value{}}
	dt.attrs["now"] = method("now", func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("now", []string{"tz"}, 0, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		now := nowFunc()
		if loc, ok := p[0].a.(*time.Location); ok {
			return anyV(now.In(loc)), nil
		}
		// A naive local time: the local wall clock, without a zone.
		y, mo, d := now.Date()
		return anyV(time.Date(y, mo, d, now.Hour(), now.Minute(), now.Second(), now.Nanosecond()/1000*1000, time.UTC)), nil
	})
	dt.attrs["utcnow"] = method("utcnow", func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		if _, err := bindArgs("utcnow", nil, 0, args, kwNames, kwVals); err != nil {
			return value{}, err
		}
		return anyV(nowFunc().UTC().Truncate(time.Microsecond)), nil
	})
	fromTS := func(name string, utcOnly bool) value {
		return method(name, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
			p, err := bindArgs(name, []string{"timestamp", "tz"}, 1, args, kwNames, kwVals)
			if err != nil {
				return value{}, err
			}
			x := scalar(p[0])
			if !isNumber(x) {
				return value{}, typeErrorf("'%s' object cannot be interpreted as a timestamp", typeName(p[0]))
			}
			f := asFloat(x)
			sec, frac := math.Modf(f)
			t := time.Unix(int64(sec), int64(math.Round(frac*1e6))*1000)
			if loc, ok := p[1].a.(*time.Location); ok && !utcOnly {
				return anyV(t.In(loc)), nil
			}
			if utcOnly {
				return anyV(t.UTC()), nil
			}
			local := t.Local()
			return anyV(time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), time.UTC)), nil
		})
	}
	dt.attrs["fromtimestamp"] = fromTS("fromtimestamp", false)
	dt.attrs["utcfromtimestamp"] = fromTS("utcfromtimestamp", true)
	dt.call = func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("datetime", []string{"year", "month", "day", "hour", "minute", "second"}, 3, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		var n [6]int
		for i := range n {
			if given(p[i]) {
				v, err := argInt("datetime", p[i])
				if err != nil {
					return value{}, err
				}
				n[i] = int(v)
			}
		}
		if n[1] < 1 || n[1] > 12 {
			return value{}, valueErrorf("month must be in 1..12")
		}
		t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC)
		if t.Day() != n[2] || n[3] > 23 || n[4] > 59 || n[5] > 59 || n[2] < 1 || n[3] < 0 || n[4] < 0 || n[5] < 0 {
			return value{}, valueErrorf("day is out of range for month")
		}
		return anyV(t), nil
	}
	date := &pyObject{name: "datetime.date", attrs: map[string]value{
		"today": method("today", func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
			now := nowFunc()
			return anyV(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)), nil
		}),
	}}
	timedelta := method("timedelta", func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		names := []string{"days", "seconds", "microseconds", "milliseconds", "minutes", "hours"}
		units := []float64{86400e9, 1e9, 1e3, 1e6, 60e9, 3600e9}
		p, err := bindArgs("timedelta", names, 0, args, nil, nil)
		if err != nil {
			return value{}, err
		}
		var total float64
		add := func(v value, unit float64) error {
			x := scalar(v)
			if !isNumber(x) {
				return typeErrorf("unsupported type for timedelta component: %s", typeName(v))
			}
			total += asFloat(x) * unit
			return nil
		}
		for i := range names {
			if given(p[i]) {
				if err := add(p[i], units[i]); err != nil {
					return value{}, err
				}
			}
		}
		for i, k := range kwNames {
			unit := 0.0
			for j, n := range names {
				if n == k {
					unit = units[j]
				}
			}
			if k == "weeks" {
				unit = 7 * 86400e9
			}
			if unit == 0 {
				return value{}, typeErrorf("timedelta() got an unexpected keyword argument '%s'", k)
			}
			if err := add(kwVals[i], unit); err != nil {
				return value{}, err
			}
		}
		if math.Abs(total) > math.MaxInt64 {
			return value{}, exc("OverflowError", "timedelta too large for a Go time.Duration")
		}
		return anyV(time.Duration(total)), nil
	})
	datetimeModule = &pyObject{name: "datetime", attrs: map[string]value{
		"datetime":  anyV(dt),
		"date":      anyV(date),
		"timedelta": timedelta,
		"timezone":  anyV(&pyObject{name: "datetime.timezone", attrs: map[string]value{"utc": utc}}),
	}}
}
