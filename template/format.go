package template

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// pyFormat is Python's printf-style `fmt % args`: %s %r %d %i %u %f %F %e %E
// %g %G %x %X %o %c %%, with flags (- + space # 0), width, precision, `*`,
// and %(name)s keys into a mapping.
func pyFormat(format string, args value) (string, error) {
	var positional []value
	var mapArg value
	isMap := false
	if t, ok := args.a.(tupleVal); ok && args.k == kAny {
		positional = t
	} else {
		positional = []value{args}
		if _, ok := mappingOf(args); ok {
			mapArg, isMap = args, true
		}
	}
	next := 0
	var out []byte
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(format) {
			return "", valueErrorf("incomplete format")
		}
		var arg value
		haveArg := false
		if format[i] == '(' {
			if !isMap {
				return "", typeErrorf("format requires a mapping")
			}
			depth, j := 1, i+1
			for ; j < len(format) && depth > 0; j++ {
				switch format[j] {
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth > 0 {
				return "", valueErrorf("incomplete format key")
			}
			key := format[i+1 : j-1]
			m, _ := mappingOf(mapArg)
			v, found, err := m.get(strV(key))
			if err != nil {
				return "", err
			}
			if !found {
				return "", keyError(strV(key))
			}
			arg, haveArg = v, true
			i = j
		}
		var spec fmtSpec
		for ; i < len(format); i++ {
			switch format[i] {
			case '-':
				spec.left = true
			case '+':
				spec.sign = '+'
			case ' ':
				if spec.sign == 0 {
					spec.sign = ' '
				}
			case '#':
				spec.alt = true
			case '0':
				spec.zero = true
			default:
				goto flagsDone
			}
		}
	flagsDone:
		readNum := func() (int, bool, error) {
			if i < len(format) && format[i] == '*' {
				i++
				if next >= len(positional) {
					return 0, false, typeErrorf("not enough arguments for format string")
				}
				a := scalar(positional[next])
				next++
				if a.k != kInt {
					return 0, false, typeErrorf("* wants int")
				}
				if a.n > maxRepeatLen || a.n < -maxRepeatLen {
					return 0, false, exc("MemoryError", "format width too large")
				}
				return int(a.n), true, nil
			}
			start := i
			for i < len(format) && isDigit(format[i]) {
				i++
			}
			if start == i {
				return 0, false, nil
			}
			n, err := strconv.Atoi(format[start:i])
			if err != nil || n > maxRepeatLen {
				return 0, false, valueErrorf("width too big")
			}
			return n, true, nil
		}
		w, ok, err := readNum()
		if err != nil {
			return "", err
		}
		if ok {
			if w < 0 {
				spec.left, w = true, -w
			}
			spec.width = w
		}
		spec.prec = -1
		if i < len(format) && format[i] == '.' {
			i++
			p, _, err := readNum()
			if err != nil {
				return "", err
			}
			spec.prec = max(p, 0)
		}
		for i < len(format) && (format[i] == 'l' || format[i] == 'h' || format[i] == 'L') {
			i++ // length modifiers are accepted and ignored, as in Python
		}
		if i >= len(format) {
			return "", valueErrorf("incomplete format")
		}
		conv := format[i]
		if conv == '%' {
			out = append(out, '%')
			continue
		}
		if !haveArg {
			if next >= len(positional) {
				return "", typeErrorf("not enough arguments for format string")
			}
			arg = positional[next]
			next++
		}
		s, err := formatOne(conv, spec, arg)
		if err != nil {
			return "", err
		}
		out = append(out, s...)
	}
	if !isMap && next < len(positional) {
		return "", typeErrorf("not all arguments converted during string formatting")
	}
	return string(out), nil
}

// fmtSpec is a parsed conversion specification.
type fmtSpec struct {
	left  bool // '-'
	sign  byte // '+', ' ' or 0
	alt   bool // '#'
	zero  bool // '0'
	width int
	prec  int // -1: none
}

func formatOne(conv byte, spec fmtSpec, arg value) (string, error) {
	switch conv {
	case 's', 'r', 'a':
		var s string
		if conv == 's' {
			s = pyStr(arg)
		} else {
			s = pyRepr(arg)
		}
		if spec.prec >= 0 {
			s = truncateRunes(s, spec.prec)
		}
		return pad(s, spec.width, spec.left, ' '), nil
	case 'c':
		a := scalar(arg)
		var s string
		switch {
		case a.k == kInt:
			if a.n < 0 || a.n > utf8.MaxRune {
				return "", exc("OverflowError", "%%c arg not in range(0x110000)")
			}
			s = string(rune(a.n))
		case a.k == kStr && utf8.RuneCountInString(a.s) == 1:
			s = a.s
		default:
			return "", typeErrorf("%%c requires int or char")
		}
		return pad(s, spec.width, spec.left, ' '), nil
	case 'd', 'i', 'u', 'x', 'X', 'o':
		a := scalar(arg)
		var bi *big.Int
		switch a.k {
		case kInt, kBool:
			bi = big.NewInt(a.n)
		case kBig:
			bi = a.a.(*big.Int)
		case kFloat:
			if conv != 'd' && conv != 'i' && conv != 'u' {
				return "", typeErrorf("%%%c format: an integer is required, not float", conv)
			}
			f := a.f()
			if math.IsInf(f, 0) || math.IsNaN(f) {
				return "", exc("OverflowError", "cannot convert float infinity or NaN to integer")
			}
			bi, _ = new(big.Float).SetFloat64(math.Trunc(f)).Int(nil)
		default:
			return "", typeErrorf("%%%c format: a real number is required, not %s", conv, typeName(arg))
		}
		base, prefix := 10, ""
		switch conv {
		case 'x':
			base, prefix = 16, "0x"
		case 'X':
			base, prefix = 16, "0X"
		case 'o':
			base, prefix = 8, "0o"
		}
		digits := new(big.Int).Abs(bi).Text(base)
		if conv == 'X' {
			digits = strings.ToUpper(digits)
		}
		if spec.prec > len(digits) {
			digits = strings.Repeat("0", spec.prec-len(digits)) + digits
		}
		if !spec.alt {
			prefix = ""
		}
		return padNumber(bi.Sign() < 0, prefix, digits, spec), nil
	case 'f', 'F', 'e', 'E', 'g', 'G':
		a := scalar(arg)
		if !isNumber(a) {
			return "", typeErrorf("must be real number, not %s", typeName(arg))
		}
		f := asFloat(a)
		prec := spec.prec
		if prec < 0 {
			prec = 6
		}
		return padNumber(math.Signbit(f) && !math.IsNaN(f), "", formatFloatDigits(math.Abs(f), conv, prec, spec.alt), spec), nil
	}
	return "", valueErrorf("unsupported format character '%c' (0x%x)", conv, conv)
}

// formatFloatDigits formats |f| as C's printf would for conv.
func formatFloatDigits(f float64, conv byte, prec int, alt bool) string {
	upper := conv == 'F' || conv == 'E' || conv == 'G'
	if math.IsInf(f, 0) || math.IsNaN(f) {
		s := "inf"
		if math.IsNaN(f) {
			s = "nan"
		}
		if upper {
			s = strings.ToUpper(s)
		}
		return s
	}
	lower := conv | 0x20
	if lower == 'g' && prec == 0 {
		prec = 1
	}
	s := strconv.FormatFloat(f, lower, prec, 64)
	if lower == 'g' && alt {
		// '#' keeps trailing zeros: redo with the exponent rule by hand.
		exp := 0
		if f != 0 {
			exp = int(math.Floor(math.Log10(f)))
			if r := strconv.FormatFloat(f, 'e', prec-1, 64); r != "" {
				e, _ := strconv.Atoi(r[strings.IndexByte(r, 'e')+1:])
				exp = e
			}
		}
		if exp < -4 || exp >= prec {
			s = strconv.FormatFloat(f, 'e', prec-1, 64)
		} else {
			s = strconv.FormatFloat(f, 'f', max(prec-1-exp, 0), 64)
		}
		if !strings.Contains(s, ".") {
			if i := strings.IndexByte(s, 'e'); i >= 0 {
				s = s[:i] + "." + s[i:]
			} else {
				s += "."
			}
		}
	} else if alt && !strings.Contains(s, ".") {
		if i := strings.IndexByte(s, 'e'); i >= 0 {
			s = s[:i] + "." + s[i:]
		} else {
			s += "."
		}
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s
}

// padNumber assembles sign, prefix and digits and pads them to the width.
func padNumber(neg bool, prefix, digits string, spec fmtSpec) string {
	sign := ""
	switch {
	case neg:
		sign = "-"
	case spec.sign != 0:
		sign = string(spec.sign)
	}
	body := sign + prefix + digits
	n := utf8.RuneCountInString(body)
	if n >= spec.width {
		return body
	}
	if spec.left {
		return body + strings.Repeat(" ", spec.width-n)
	}
	if spec.zero && !strings.ContainsAny(digits, "in") { // not inf/nan
		return sign + prefix + strings.Repeat("0", spec.width-n) + digits
	}
	return strings.Repeat(" ", spec.width-n) + body
}

func pad(s string, width int, left bool, fill rune) string {
	n := utf8.RuneCountInString(s)
	if n >= width {
		return s
	}
	p := strings.Repeat(string(fill), width-n)
	if left {
		return s + p
	}
	return p + s
}

func truncateRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// formatSpec applies Python's format-spec mini-language (format(v, spec),
// "{:spec}".format(v)): [[fill]align][sign][#][0][width][,|_][.precision][type].
func formatSpec(v value, spec string) (string, error) {
	a := scalar(v)
	var fill rune = ' '
	align := byte(0)
	rs := []rune(spec)
	i := 0
	isAlign := func(r rune) bool { return r == '<' || r == '>' || r == '^' || r == '=' }
	if len(rs) >= 2 && isAlign(rs[1]) {
		fill, align, i = rs[0], byte(rs[1]), 2
	} else if len(rs) >= 1 && isAlign(rs[0]) {
		align, i = byte(rs[0]), 1
	}
	var fs fmtSpec
	fs.prec = -1
	if i < len(rs) && (rs[i] == '+' || rs[i] == '-' || rs[i] == ' ') {
		if rs[i] != '-' {
			fs.sign = byte(rs[i])
		}
		i++
	}
	if i < len(rs) && rs[i] == '#' {
		fs.alt = true
		i++
	}
	if i < len(rs) && rs[i] == '0' {
		fs.zero = true
		if align == 0 {
			fill, align = '0', '='
		}
		i++
	}
	start := i
	for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
		i++
	}
	if i > start {
		w, err := strconv.Atoi(string(rs[start:i]))
		if err != nil || w > maxRepeatLen {
			return "", valueErrorf("Too many decimal digits in format string")
		}
		fs.width = w
	}
	group := ""
	if i < len(rs) && (rs[i] == ',' || rs[i] == '_') {
		group = string(rs[i])
		i++
	}
	if i < len(rs) && rs[i] == '.' {
		i++
		start := i
		for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
			i++
		}
		p, err := strconv.Atoi(string(rs[start:i]))
		if err != nil || p > maxRepeatLen {
			return "", valueErrorf("Format specifier missing precision")
		}
		fs.prec = p
	}
	typ := byte(0)
	if i < len(rs) {
		if i != len(rs)-1 || rs[i] >= utf8.RuneSelf {
			return "", valueErrorf("Invalid format specifier '%s' for object of type '%s'", spec, typeName(v))
		}
		typ = byte(rs[i])
	}
	var body string
	neg := false
	switch {
	case a.k == kStr || (!isNumber(a) && (typ == 0 || typ == 's')):
		if typ != 0 && typ != 's' {
			return "", valueErrorf("Unknown format code '%c' for object of type 'str'", typ)
		}
		s := pyStr(v)
		if fs.prec >= 0 {
			s = truncateRunes(s, fs.prec)
		}
		if align == 0 {
			align = '<'
		}
		return alignText(s, fs.width, align, fill), nil
	case isIntegral(a) && (typ == 0 || strings.IndexByte("bcdoxXn", typ) >= 0):
		bi := asBig(a)
		neg = bi.Sign() < 0
		bi.Abs(bi)
		base, prefix := 10, ""
		switch typ {
		case 'b':
			base, prefix = 2, "0b"
		case 'o':
			base, prefix = 8, "0o"
		case 'x':
			base, prefix = 16, "0x"
		case 'X':
			base, prefix = 16, "0X"
		case 'c':
			return alignText(string(rune(a.n)), fs.width, orDefault(align, '<'), fill), nil
		}
		body = bi.Text(base)
		if typ == 'X' {
			body = strings.ToUpper(body)
		}
		if group != "" {
			body = groupDigits(body, group, map[bool]int{true: 3, false: 4}[base == 10])
		}
		if fs.alt {
			body = prefix + body
		}
	case isNumber(a):
		f := asFloat(a)
		neg = math.Signbit(f) && !math.IsNaN(f)
		f = math.Abs(f)
		switch typ {
		case 0:
			if fs.prec < 0 {
				body = string(appendPyFloat(nil, f))
				if a.k != kFloat {
					body = strconv.FormatInt(int64(f), 10)
				}
			} else {
				body = formatFloatDigits(f, 'g', max(fs.prec, 1), fs.alt)
			}
		case '%':
			body = formatFloatDigits(f*100, 'f', precOr(fs.prec, 6), fs.alt) + "%"
		case 'f', 'F', 'e', 'E', 'g', 'G':
			body = formatFloatDigits(f, typ, precOr(fs.prec, 6), fs.alt)
		case 'n':
			body = formatFloatDigits(f, 'g', precOr(fs.prec, 6), fs.alt)
		default:
			return "", valueErrorf("Unknown format code '%c' for object of type '%s'", typ, typeName(v))
		}
		if group != "" {
			intPart, rest := body, ""
			if j := strings.IndexAny(body, ".eE%"); j >= 0 {
				intPart, rest = body[:j], body[j:]
			}
			body = groupDigits(intPart, group, 3) + rest
		}
	default:
		return "", valueErrorf("Unknown format code '%c' for object of type '%s'", typ, typeName(v))
	}
	sign := ""
	switch {
	case neg:
		sign = "-"
	case fs.sign != 0:
		sign = string(fs.sign)
	}
	if align == 0 {
		align = '>'
	}
	if align == '=' {
		n := utf8.RuneCountInString(sign + body)
		if n < fs.width {
			return sign + strings.Repeat(string(fill), fs.width-n) + body, nil
		}
		return sign + body, nil
	}
	return alignText(sign+body, fs.width, align, fill), nil
}

func precOr(p, def int) int {
	if p < 0 {
		return def
	}
	return p
}

func orDefault(b, def byte) byte {
	if b == 0 {
		return def
	}
	return b
}

func groupDigits(digits, sep string, every int) string {
	if len(digits) <= every {
		return digits
	}
	var b strings.Builder
	first := len(digits) % every
	if first == 0 {
		first = every
	}
	b.WriteString(digits[:first])
	for i := first; i < len(digits); i += every {
		b.WriteString(sep)
		b.WriteString(digits[i : i+every])
	}
	return b.String()
}

func alignText(s string, width int, align byte, fill rune) string {
	n := utf8.RuneCountInString(s)
	if n >= width {
		return s
	}
	padN := width - n
	f := string(fill)
	switch align {
	case '<':
		return s + strings.Repeat(f, padN)
	case '^':
		left := padN / 2
		return strings.Repeat(f, left) + s + strings.Repeat(f, padN-left)
	}
	return strings.Repeat(f, padN) + s
}

// strFormat is Python's str.format: {} {0} {name} fields with .attr and
// [key] lookups, !s/!r conversions and a format spec.
func strFormat(fr *frame, format string, args []value, kwNames []string, kwVals []value) (string, error) {
	var out strings.Builder
	auto := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c == '}' {
			if i+1 < len(format) && format[i+1] == '}' {
				out.WriteByte('}')
				i++
				continue
			}
			return "", valueErrorf("Single '}' encountered in format string")
		}
		if c != '{' {
			out.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '{' {
			out.WriteByte('{')
			i++
			continue
		}
		depth, j := 1, i+1
		for ; j < len(format) && depth > 0; j++ {
			switch format[j] {
			case '{':
				depth++
			case '}':
				depth--
			}
		}
		if depth > 0 {
			return "", valueErrorf("Single '{' encountered in format string")
		}
		field := format[i+1 : j-1]
		i = j - 1
		spec := ""
		if k := strings.IndexByte(field, ':'); k >= 0 {
			field, spec = field[:k], field[k+1:]
		}
		conv := byte(0)
		if k := strings.IndexByte(field, '!'); k >= 0 {
			if k+2 != len(field) {
				return "", valueErrorf("expected ':' after conversion specifier")
			}
			conv = field[k+1]
			field = field[:k]
		}
		// The first part is an index or a keyword name.
		end := strings.IndexAny(field, ".[")
		if end < 0 {
			end = len(field)
		}
		head := field[:end]
		var v value
		switch {
		case head == "":
			if auto < 0 {
				return "", valueErrorf("cannot switch from manual field specification to automatic field numbering")
			}
			if auto >= len(args) {
				return "", exc("IndexError", "Replacement index %d out of range for positional args tuple", auto)
			}
			v = args[auto]
			auto++
		case isDigit(head[0]):
			n, err := strconv.Atoi(head)
			if err != nil || n >= len(args) {
				return "", exc("IndexError", "Replacement index %s out of range for positional args tuple", head)
			}
			if auto > 0 {
				return "", valueErrorf("cannot switch from automatic field numbering to manual field specification")
			}
			auto = -1
			v = args[n]
		default:
			found := false
			for k, name := range kwNames {
				if name == head {
					v, found = kwVals[k], true
				}
			}
			if !found {
				return "", keyError(strV(head))
			}
		}
		rest := field[end:]
		for rest != "" {
			var err error
			if rest[0] == '.' {
				k := strings.IndexAny(rest[1:], ".[")
				if k < 0 {
					k = len(rest) - 1
				}
				v, err = getAttr(v, rest[1:1+k], nil)
				rest = rest[1+k:]
			} else {
				k := strings.IndexByte(rest, ']')
				if k < 0 {
					return "", valueErrorf("Missing ']' in format string")
				}
				key := rest[1:k]
				kv := strV(key)
				if n, perr := strconv.Atoi(key); perr == nil {
					kv = intV(int64(n))
				}
				v, err = getItem(v, kv)
				rest = rest[k+1:]
			}
			if err != nil {
				return "", err
			}
		}
		switch conv {
		case 0:
		case 's':
			v = strV(pyStr(v))
		case 'r', 'a':
			v = strV(pyRepr(v))
		default:
			return "", valueErrorf("Unknown conversion specifier %c", conv)
		}
		if strings.Contains(spec, "{") {
			nested, err := strFormat(fr, spec, args, kwNames, kwVals)
			if err != nil {
				return "", err
			}
			spec = nested
		}
		s, err := formatSpec(v, spec)
		if err != nil {
			return "", err
		}
		out.WriteString(s)
	}
	return out.String(), nil
}
