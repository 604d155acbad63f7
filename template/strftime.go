package template

import (
	"strconv"
	"strings"
	"time"
)

// strftime formats t as Python's datetime.strftime does on Linux (glibc,
// C locale), including glibc's %-d style padding flags. As elsewhere, a UTC
// time stands for a naive datetime: %z and %Z are empty for it.
func strftime(t time.Time, format string) string {
	var b []byte
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b = append(b, c)
			continue
		}
		i++
		padFlag, upper := byte(0), false
		for i < len(format) && strings.IndexByte("-_0^#", format[i]) >= 0 {
			switch format[i] {
			case '^':
				upper = true
			case '#':
			default:
				padFlag = format[i]
			}
			i++
		}
		if i >= len(format) {
			b = append(b, format[i-1])
			break
		}
		d := format[i]
		num := func(n, width int, defPad byte) {
			p := defPad
			if padFlag != 0 {
				p = padFlag
			}
			s := strconv.Itoa(n)
			if p != '-' {
				fill := byte('0')
				if p == '_' {
					fill = ' '
				}
				for l := len(s); l < width; l++ {
					b = append(b, fill)
				}
			}
			b = append(b, s...)
		}
		text := func(s string) {
			if upper {
				s = strings.ToUpper(s)
			}
			b = append(b, s...)
		}
		hour12 := t.Hour() % 12
		if hour12 == 0 {
			hour12 = 12
		}
		switch d {
		case 'a':
			text(t.Weekday().String()[:3])
		case 'A':
			text(t.Weekday().String())
		case 'w':
			num(int(t.Weekday()), 1, '0')
		case 'u':
			wd := int(t.Weekday())
			if wd == 0 {
				wd = 7
			}
			num(wd, 1, '0')
		case 'd':
			num(t.Day(), 2, '0')
		case 'e':
			num(t.Day(), 2, '_')
		case 'b', 'h':
			text(t.Month().String()[:3])
		case 'B':
			text(t.Month().String())
		case 'm':
			num(int(t.Month()), 2, '0')
		case 'y':
			num(t.Year()%100, 2, '0')
		case 'Y':
			num(t.Year(), 1, '0')
		case 'C':
			num(t.Year()/100, 2, '0')
		case 'G':
			y, _ := t.ISOWeek()
			num(y, 1, '0')
		case 'g':
			y, _ := t.ISOWeek()
			num(y%100, 2, '0')
		case 'V':
			_, w := t.ISOWeek()
			num(w, 2, '0')
		case 'H':
			num(t.Hour(), 2, '0')
		case 'k':
			num(t.Hour(), 2, '_')
		case 'I':
			num(hour12, 2, '0')
		case 'l':
			num(hour12, 2, '_')
		case 'p':
			if t.Hour() < 12 {
				text("AM")
			} else {
				text("PM")
			}
		case 'P':
			if t.Hour() < 12 {
				b = append(b, "am"...)
			} else {
				b = append(b, "pm"...)
			}
		case 'M':
			num(t.Minute(), 2, '0')
		case 'S':
			num(t.Second(), 2, '0')
		case 'f':
			num(t.Nanosecond()/1000, 6, '0')
		case 'j':
			num(t.YearDay(), 3, '0')
		case 'U':
			num((t.YearDay()+6-int(t.Weekday()))/7, 2, '0')
		case 'W':
			num((t.YearDay()+6-(int(t.Weekday())+6)%7)/7, 2, '0')
		case 's':
			b = strconv.AppendInt(b, t.Unix(), 10)
		case 'z':
			if t.Location() != time.UTC {
				b = t.AppendFormat(b, "-0700")
			}
		case 'Z':
			if t.Location() != time.UTC {
				name, _ := t.Zone()
				text(name)
			}
		case 'c':
			text(strftime(t, "%a %b %e %H:%M:%S %Y"))
		case 'x', 'D':
			b = append(b, strftime(t, "%m/%d/%y")...)
		case 'X', 'T':
			b = append(b, strftime(t, "%H:%M:%S")...)
		case 'F':
			b = append(b, strftime(t, "%Y-%m-%d")...)
		case 'R':
			b = append(b, strftime(t, "%H:%M")...)
		case 'r':
			b = append(b, strftime(t, "%I:%M:%S %p")...)
		case 'n':
			b = append(b, '\n')
		case 't':
			b = append(b, '\t')
		case '%':
			b = append(b, '%')
		default:
			b = append(b, '%', d)
		}
	}
	return string(b)
}
