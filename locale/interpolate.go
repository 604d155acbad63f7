package locale

import (
	"strings"
)

// interpolate applies Python's "format % mapping" to a translated format
// with named conversions: %(name)s, %(name)d and %(name)i write the named
// value (flags and a width are honoured: %(minutes)02d), %% writes '%'.
// The values are already text. Where Python would raise (an unknown name,
// a malformed conversion) the text is written as it stands, so a
// translator's typo shows in the page instead of failing it.
func interpolate(format string, values map[string]string) string {
	if !strings.Contains(format, "%") {
		return format
	}
	var b strings.Builder
	b.Grow(len(format) + 16)
	for i := 0; i < len(format); {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			b.WriteByte('%')
			i += 2
			continue
		}
		n, ok := conversion(&b, format[i:], values)
		if !ok {
			b.WriteByte('%')
			i++
			continue
		}
		i += n
	}
	return b.String()
}

// conversion writes one "%(name)[flags][width](s|d|i)" from the start of
// f and returns its length.
func conversion(b *strings.Builder, f string, values map[string]string) (int, bool) {
	if len(f) < 2 || f[1] != '(' {
		return 0, false
	}
	end := strings.IndexByte(f, ')')
	if end < 0 {
		return 0, false
	}
	v, ok := values[f[2:end]]
	if !ok {
		return 0, false
	}
	i := end + 1
	leftAlign, zeroPad := false, false
	for i < len(f) && strings.IndexByte("-0 +#", f[i]) >= 0 {
		leftAlign = leftAlign || f[i] == '-'
		zeroPad = zeroPad || f[i] == '0'
		i++
	}
	width := 0
	for i < len(f) && '0' <= f[i] && f[i] <= '9' && width < 1000 {
		width = width*10 + int(f[i]-'0')
		i++
	}
	if i >= len(f) || strings.IndexByte("sdi", f[i]) < 0 {
		return 0, false
	}
	numeric := f[i] != 's'
	i++
	pad := width - len([]rune(v))
	switch {
	case pad <= 0:
		b.WriteString(v)
	case leftAlign:
		b.WriteString(v)
		b.WriteString(strings.Repeat(" ", pad))
	case zeroPad && numeric:
		digits := v
		if strings.HasPrefix(v, "-") {
			b.WriteByte('-')
			digits = v[1:]
		}
		b.WriteString(strings.Repeat("0", pad))
		b.WriteString(digits)
	default:
		b.WriteString(strings.Repeat(" ", pad))
		b.WriteString(v)
	}
	return i, true
}
