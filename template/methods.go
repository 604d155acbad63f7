package template

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxParams is the most parameters any builtin or method binds.
const maxParams = 6

// bindArgs matches positional and keyword arguments to a builtin's
// parameter names, Python's way. Missing optional parameters are kUnset.
func bindArgs(fname string, names []string, required int, args []value, kwNames []string, kwVals []value) ([maxParams]value, error) {
	var out [maxParams]value
	if len(args) > len(names) {
		if required == len(names) {
			return out, typeErrorf("%s() takes exactly %d argument%s (%d given)", fname, len(names), plural(len(names)), len(args))
		}
		return out, typeErrorf("%s() takes at most %d argument%s (%d given)", fname, len(names), plural(len(names)), len(args))
	}
	copy(out[:], args)
	for i, k := range kwNames {
		found := false
		for j, n := range names {
			if n == k {
				if out[j].k != kUnset {
					return out, typeErrorf("%s() got multiple values for argument '%s'", fname, k)
				}
				out[j] = kwVals[i]
				found = true
				break
			}
		}
		if !found {
			return out, typeErrorf("%s() got an unexpected keyword argument '%s'", fname, k)
		}
	}
	for i := 0; i < required; i++ {
		if out[i].k == kUnset {
			return out, typeErrorf("%s() missing required argument '%s' (pos %d)", fname, names[i], i+1)
		}
	}
	return out, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func given(v value) bool { return v.k != kUnset }

func givenNotNone(v value) bool { return v.k != kUnset && !isNone(v) }

func argStr(fname string, v value) (string, error) {
	s := scalar(v)
	if s.k != kStr {
		return "", typeErrorf("%s() argument must be str, not %s", fname, typeName(v))
	}
	return s.s, nil
}

func argInt(fname string, v value) (int64, error) {
	s := scalar(v)
	if s.k != kInt && s.k != kBool {
		return 0, typeErrorf("%s() argument must be int, not %s", fname, typeName(v))
	}
	return s.n, nil
}

// pyIsSpace is Python's str.isspace for one character.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

var strMethods = map[string]bool{
	"upper": true, "lower": true, "strip": true, "lstrip": true, "rstrip": true,
	"startswith": true, "endswith": true, "replace": true, "split": true, "rsplit": true,
	"join": true, "title": true, "capitalize": true, "find": true, "rfind": true,
	"index": true, "rindex": true, "count": true, "splitlines": true, "zfill": true,
	"ljust": true, "rjust": true, "center": true, "isdigit": true, "isalpha": true,
	"isalnum": true, "isspace": true, "isupper": true, "islower": true, "isnumeric": true,
	"isdecimal": true, "istitle": true, "swapcase": true, "partition": true,
	"rpartition": true, "encode": true, "format": true, "casefold": true,
	"removeprefix": true, "removesuffix": true, "expandtabs": true,
}

// strMethod calls a Python str method.
func strMethod(s, name string, args []value, kwNames []string, kwVals []value) (value, error) {
	switch name {
	case "format":
		r, err := strFormat(nil, s, args, kwNames, kwVals)
		return strV(r), err
	case "upper", "lower", "title", "capitalize", "swapcase", "casefold",
		"isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isnumeric", "isdecimal", "istitle":
		if len(args) > 0 || len(kwNames) > 0 {
			return value{}, typeErrorf("str.%s() takes no arguments (%d given)", name, len(args)+len(kwNames))
		}
		return strNoArg(s, name), nil
	case "strip", "lstrip", "rstrip":
		p, err := bindArgs(name, []string{"chars"}, 0, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		cut := pyIsSpace
		if givenNotNone(p[0]) {
			chars, err := argStr(name, p[0])
			if err != nil {
				return value{}, err
			}
			cut = func(r rune) bool { return strings.ContainsRune(chars, r) }
		}
		switch name {
		case "strip":
			return strV(strings.TrimFunc(s, cut)), nil
		case "lstrip":
			return strV(strings.TrimLeftFunc(s, cut)), nil
		}
		return strV(strings.TrimRightFunc(s, cut)), nil
	case "startswith", "endswith":
		p, err := bindArgs(name, []string{"prefix", "start", "end"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		sub, err := substrRange(s, p[1], p[2])
		if err != nil {
			return value{}, err
		}
		test := strings.HasPrefix
		if name == "endswith" {
			test = strings.HasSuffix
		}
		if t, ok := p[0].a.(tupleVal); ok {
			for _, it := range t {
				x, err := argStr(name, it)
				if err != nil {
					return value{}, err
				}
				if test(sub, x) {
					return boolV(true), nil
				}
			}
			return boolV(false), nil
		}
		x, err := argStr(name, p[0])
		if err != nil {
			return value{}, err
		}
		return boolV(test(sub, x)), nil
	case "replace":
		p, err := bindArgs(name, []string{"old", "new", "count"}, 2, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		old, err := argStr(name, p[0])
		if err != nil {
			return value{}, err
		}
		nw, err := argStr(name, p[1])
		if err != nil {
			return value{}, err
		}
		n := int64(-1)
		if given(p[2]) {
			if n, err = argInt(name, p[2]); err != nil {
				return value{}, err
			}
		}
		if n < 0 {
			n = -1
		}
		if len(nw) > len(old) && int64(len(s))*int64(len(nw)-len(old)+1) > maxRepeatLen {
			return value{}, exc("MemoryError", "replace result too long")
		}
		return strV(strings.Replace(s, old, nw, int(min(n, 1<<31)))), nil
	case "split", "rsplit":
		p, err := bindArgs(name, []string{"sep", "maxsplit"}, 0, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		maxsplit := int64(-1)
		if given(p[1]) {
			if maxsplit, err = argInt(name, p[1]); err != nil {
				return value{}, err
			}
		}
		var parts []string
		if givenNotNone(p[0]) {
			sep, err := argStr(name, p[0])
			if err != nil {
				return value{}, err
			}
			if sep == "" {
				return value{}, valueErrorf("empty separator")
			}
			parts = splitSep(s, sep, maxsplit, name == "rsplit")
		} else {
			parts = splitSpace(s, maxsplit, name == "rsplit")
		}
		return strList(parts), nil
	case "splitlines":
		p, err := bindArgs(name, []string{"keepends"}, 0, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		return strList(splitLines(s, truth(p[0]))), nil
	case "join":
		if len(args) != 1 || len(kwNames) > 0 {
			return value{}, typeErrorf("str.join() takes exactly one argument (%d given)", len(args))
		}
		var b strings.Builder
		i := 0
		var ferr error
		err := forEach(args[0], func(it value) bool {
			x := scalar(it)
			if x.k != kStr {
				ferr = typeErrorf("sequence item %d: expected str instance, %s found", i, typeName(it))
				return false
			}
			if i > 0 {
				b.WriteString(s)
			}
			b.WriteString(x.s)
			i++
			return b.Len() <= maxRepeatLen
		})
		if err == nil {
			err = ferr
		}
		return strV(b.String()), err
	case "find", "rfind", "index", "rindex", "count":
		p, err := bindArgs(name, []string{"sub", "start", "end"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		sub, err := argStr(name, p[0])
		if err != nil {
			return value{}, err
		}
		startIdx, hay, err := substrRangeOffset(s, p[1], p[2])
		if err != nil {
			return value{}, err
		}
		if name == "count" {
			return intV(int64(strings.Count(hay, sub))), nil
		}
		var at int
		if name == "find" || name == "index" {
			at = strings.Index(hay, sub)
		} else {
			at = strings.LastIndex(hay, sub)
		}
		if at < 0 {
			if name == "index" || name == "rindex" {
				return value{}, valueErrorf("substring not found")
			}
			return intV(-1), nil
		}
		return intV(int64(startIdx + utf8.RuneCountInString(hay[:at]))), nil
	case "zfill":
		p, err := bindArgs(name, []string{"width"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		w, err := argInt(name, p[0])
		if err != nil {
			return value{}, err
		}
		if w > maxRepeatLen {
			return value{}, exc("MemoryError", "width too large")
		}
		n := utf8.RuneCountInString(s)
		if int64(n) >= w {
			return strV(s), nil
		}
		zeros := strings.Repeat("0", int(w)-n)
		if s != "" && (s[0] == '+' || s[0] == '-') {
			return strV(s[:1] + zeros + s[1:]), nil
		}
		return strV(zeros + s), nil
	case "ljust", "rjust", "center":
		p, err := bindArgs(name, []string{"width", "fillchar"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		w, err := argInt(name, p[0])
		if err != nil {
			return value{}, err
		}
		if w > maxRepeatLen {
			return value{}, exc("MemoryError", "width too large")
		}
		fill := ' '
		if given(p[1]) {
			f, err := argStr(name, p[1])
			if err != nil {
				return value{}, err
			}
			if utf8.RuneCountInString(f) != 1 {
				return value{}, typeErrorf("The fill character must be exactly one character long")
			}
			fill, _ = utf8.DecodeRuneInString(f)
		}
		n := int64(utf8.RuneCountInString(s))
		if n >= w {
			return strV(s), nil
		}
		marg := w - n
		fs := string(fill)
		switch name {
		case "ljust":
			return strV(s + strings.Repeat(fs, int(marg))), nil
		case "rjust":
			return strV(strings.Repeat(fs, int(marg)) + s), nil
		}
		left := marg/2 + (marg & w & 1)
		return strV(strings.Repeat(fs, int(left)) + s + strings.Repeat(fs, int(marg-left))), nil
	case "partition", "rpartition":
		if len(args) != 1 || len(kwNames) > 0 {
			return value{}, typeErrorf("%s() takes exactly one argument (%d given)", name, len(args))
		}
		sep, err := argStr(name, args[0])
		if err != nil {
			return value{}, err
		}
		if sep == "" {
			return value{}, valueErrorf("empty separator")
		}
		var i int
		if name == "partition" {
			i = strings.Index(s, sep)
			if i < 0 {
				return anyV(tupleVal{strV(s), strV(""), strV("")}), nil
			}
		} else {
			i = strings.LastIndex(s, sep)
			if i < 0 {
				return anyV(tupleVal{strV(""), strV(""), strV(s)}), nil
			}
		}
		return anyV(tupleVal{strV(s[:i]), strV(sep), strV(s[i+len(sep):])}), nil
	case "encode":
		if _, err := bindArgs(name, []string{"encoding", "errors"}, 0, args, kwNames, kwVals); err != nil {
			return value{}, err
		}
		return anyV([]byte(s)), nil
	case "removeprefix", "removesuffix":
		if len(args) != 1 {
			return value{}, typeErrorf("%s() takes exactly one argument (%d given)", name, len(args))
		}
		x, err := argStr(name, args[0])
		if err != nil {
			return value{}, err
		}
		if name == "removeprefix" {
			return strV(strings.TrimPrefix(s, x)), nil
		}
		return strV(strings.TrimSuffix(s, x)), nil
	case "expandtabs":
		p, err := bindArgs(name, []string{"tabsize"}, 0, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		size := int64(8)
		if given(p[0]) {
			if size, err = argInt(name, p[0]); err != nil {
				return value{}, err
			}
		}
		size = clamp(size, 0, 1024)
		var b strings.Builder
		col := int64(0)
		for _, r := range s {
			switch r {
			case '\t':
				if size > 0 {
					n := size - col%size
					b.WriteString(strings.Repeat(" ", int(n)))
					col += n
				}
			case '\n', '\r':
				b.WriteRune(r)
				col = 0
			default:
				b.WriteRune(r)
				col++
			}
		}
		return strV(b.String()), nil
	}
	return value{}, exc("AttributeError", "'str' object has no attribute '%s'", name)
}

func strNoArg(s, name string) value {
	switch name {
	case "upper":
		return strV(strings.ToUpper(s))
	case "lower", "casefold":
		return strV(strings.ToLower(s))
	case "title":
		var b strings.Builder
		prevCased := false
		for _, r := range s {
			if prevCased {
				b.WriteRune(unicode.ToLower(r))
			} else {
				b.WriteRune(unicode.ToTitle(r))
			}
			prevCased = isCased(r)
		}
		return strV(b.String())
	case "capitalize":
		var b strings.Builder
		for i, r := range s {
			if i == 0 {
				b.WriteRune(unicode.ToTitle(r))
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		}
		return strV(b.String())
	case "swapcase":
		return strV(strings.Map(func(r rune) rune {
			switch {
			case unicode.IsUpper(r):
				return unicode.ToLower(r)
			case unicode.IsLower(r):
				return unicode.ToUpper(r)
			}
			return r
		}, s))
	case "istitle":
		cased, prevCased := false, false
		for _, r := range s {
			switch {
			case unicode.IsUpper(r) || unicode.IsTitle(r):
				if prevCased {
					return boolV(false)
				}
				prevCased, cased = true, true
			case unicode.IsLower(r):
				if !prevCased {
					return boolV(false)
				}
				prevCased, cased = true, true
			default:
				prevCased = false
			}
		}
		return boolV(cased)
	case "isupper", "islower":
		cased := false
		for _, r := range s {
			if unicode.IsUpper(r) || unicode.IsTitle(r) {
				if name == "islower" {
					return boolV(false)
				}
				cased = true
			} else if unicode.IsLower(r) {
				if name == "isupper" {
					return boolV(false)
				}
				cased = true
			}
		}
		return boolV(cased)
	}
	var test func(rune) bool
	switch name {
	case "isdigit", "isdecimal":
		test = unicode.IsDigit
	case "isnumeric":
		test = unicode.IsNumber
	case "isalpha":
		test = unicode.IsLetter
	case "isalnum":
		test = func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }
	default: // isspace
		test = pyIsSpace
	}
	if s == "" {
		return boolV(false)
	}
	for _, r := range s {
		if !test(r) {
			return boolV(false)
		}
	}
	return boolV(true)
}

func isCased(r rune) bool { return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r) }

// substrRange applies optional start/end code-point bounds to s.
func substrRange(s string, start, end value) (string, error) {
	_, sub, err := substrRangeOffset(s, start, end)
	return sub, err
}

func substrRangeOffset(s string, start, end value) (int, string, error) {
	if !givenNotNone(start) && !givenNotNone(end) {
		return 0, s, nil
	}
	rs := []rune(s)
	st, _, _, count, err := sliceIndices(start, end, value{}, len(rs))
	if err != nil {
		return 0, "", err
	}
	return st, string(rs[st : st+count]), nil
}

func strList(parts []string) value {
	items := make([]value, len(parts))
	for i, p := range parts {
		items[i] = strV(p)
	}
	return anyV(&listVal{items: items})
}

func splitSep(s, sep string, maxsplit int64, fromRight bool) []string {
	if maxsplit < 0 {
		return strings.Split(s, sep)
	}
	if !fromRight {
		return strings.SplitN(s, sep, int(min(maxsplit, 1<<30))+1)
	}
	var parts []string
	for int64(len(parts)) < maxsplit {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		parts = append(parts, s[i+len(sep):])
		s = s[:i]
	}
	parts = append(parts, s)
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return parts
}

// splitSpace is str.split() without a separator: runs of whitespace split,
// leading and trailing whitespace is dropped.
func splitSpace(s string, maxsplit int64, fromRight bool) []string {
	if !fromRight {
		var parts []string
		for {
			s = strings.TrimLeftFunc(s, pyIsSpace)
			if s == "" {
				return parts
			}
			if maxsplit >= 0 && int64(len(parts)) == maxsplit {
				return append(parts, s)
			}
			i := strings.IndexFunc(s, pyIsSpace)
			if i < 0 {
				return append(parts, s)
			}
			parts = append(parts, s[:i])
			s = s[i:]
		}
	}
	var parts []string
	for {
		s = strings.TrimRightFunc(s, pyIsSpace)
		if s == "" {
			break
		}
		if maxsplit >= 0 && int64(len(parts)) == maxsplit {
			parts = append(parts, s)
			break
		}
		i := strings.LastIndexFunc(s, pyIsSpace)
		if i < 0 {
			parts = append(parts, s)
			break
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		parts = append(parts, s[i+size:])
		s = s[:i]
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return parts
}

// splitLines is str.splitlines, on Python's line boundaries.
func splitLines(s string, keepends bool) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		n := 0
		switch r {
		case '\r':
			n = size
			if i+1 < len(s) && s[i+1] == '\n' {
				n = 2
			}
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			n = size
		}
		if n == 0 {
			i += size
			continue
		}
		end := i
		if keepends {
			end = i + n
		}
		parts = append(parts, s[start:end])
		i += n
		start = i
	}
	if start < len(s) {
		parts = append(parts, s[start:])
	}
	return parts
}

var dictMethods = map[string]bool{"items": true, "keys": true, "values": true, "get": true}

// dictMethod calls items/keys/values/get on a dict or a Go map. Go maps
// list their keys sorted.
func dictMethod(fr *frame, x value, name string, args []value, kwNames []string, kwVals []value) (value, error) {
	m, _ := mappingOf(x)
	switch name {
	case "get":
		p, err := bindArgs("get", []string{"key", "default"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		v, found, err := m.get(p[0])
		if err != nil {
			return value{}, err
		}
		if !found {
			if given(p[1]) {
				return p[1], nil
			}
			return noneV, nil
		}
		return v, nil
	}
	if len(args) > 0 || len(kwNames) > 0 {
		return value{}, typeErrorf("dict.%s() takes no arguments (%d given)", name, len(args))
	}
	keys, err := m.sortedKeys()
	if err != nil {
		return value{}, err
	}
	items := make([]value, len(keys))
	for i, k := range keys {
		switch name {
		case "keys":
			items[i] = k
		case "values":
			items[i], _, _ = m.get(k)
		default:
			v, _, _ := m.get(k)
			items[i] = anyV(tupleVal{k, v})
		}
	}
	return anyV(&listVal{items: items}), nil
}

var listMethods = map[string]bool{"index": true, "count": true, "append": true, "extend": true}

func listMethod(x value, name string, args []value, kwNames []string, kwVals []value) (value, error) {
	s, _ := seqOf(x)
	switch name {
	case "append", "extend":
		l, ok := x.a.(*listVal)
		if !ok {
			return value{}, noAttr(x, name)
		}
		if len(args) != 1 || len(kwNames) > 0 {
			return value{}, typeErrorf("list.%s() takes exactly one argument (%d given)", name, len(args))
		}
		if len(l.items) >= maxRepeatLen {
			return value{}, exc("MemoryError", "list too long")
		}
		if name == "append" {
			l.items = append(l.items, args[0])
			return noneV, nil
		}
		items, err := collect(args[0])
		if err != nil {
			return value{}, err
		}
		l.items = append(l.items, items...)
		return noneV, nil
	case "count":
		if len(args) != 1 {
			return value{}, typeErrorf("count() takes exactly one argument (%d given)", len(args))
		}
		n := 0
		for i := 0; i < s.n; i++ {
			if equal(s.at(i), args[0]) {
				n++
			}
		}
		return intV(int64(n)), nil
	}
	if len(args) != 1 {
		return value{}, typeErrorf("index() takes exactly one argument (%d given)", len(args))
	}
	for i := 0; i < s.n; i++ {
		if equal(s.at(i), args[0]) {
			return intV(int64(i)), nil
		}
	}
	return value{}, valueErrorf("%s is not in list", pyRepr(args[0]))
}

// timeAttr reads Python datetime attributes on a time.Time.
func timeAttr(t time.Time, name string) (value, bool) {
	switch name {
	case "year":
		return intV(int64(t.Year())), true
	case "month":
		return intV(int64(t.Month())), true
	case "day":
		return intV(int64(t.Day())), true
	case "hour":
		return intV(int64(t.Hour())), true
	case "minute":
		return intV(int64(t.Minute())), true
	case "second":
		return intV(int64(t.Second())), true
	case "microsecond":
		return intV(int64(t.Nanosecond() / 1000)), true
	}
	return value{}, false
}

var timeMethods = map[string]bool{
	"strftime": true, "isoformat": true, "weekday": true, "isoweekday": true,
	"timestamp": true, "date": true, "replace": true, "ctime": true,
}

// timeMethod calls a Python datetime method on a time.Time.
func timeMethod(t time.Time, name string, args []value, kwNames []string, kwVals []value) (value, error) {
	switch name {
	case "strftime":
		p, err := bindArgs("strftime", []string{"format"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		f, err := argStr("strftime", p[0])
		if err != nil {
			return value{}, err
		}
		return strV(strftime(t, f)), nil
	case "isoformat":
		p, err := bindArgs("isoformat", []string{"sep", "timespec"}, 0, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		sep := byte('T')
		if given(p[0]) {
			s, err := argStr("isoformat", p[0])
			if err != nil {
				return value{}, err
			}
			if len(s) != 1 {
				return value{}, typeErrorf("isoformat() argument 1 must be a unicode character")
			}
			sep = s[0]
		}
		return strV(string(appendPyDatetime(nil, t, sep))), nil
	case "ctime":
		return strV(strftime(t, "%c")), nil
	case "weekday":
		return intV(int64((t.Weekday() + 6) % 7)), nil
	case "isoweekday":
		wd := int64(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return intV(wd), nil
	case "timestamp":
		return floatV(float64(t.UnixNano()) / 1e9), nil
	case "date":
		y, m, d := t.Date()
		return anyV(time.Date(y, m, d, 0, 0, 0, 0, t.Location())), nil
	case "replace":
		// replace(tzinfo=None) is the common use: drop the zone, keep the
		// wall clock, as a UTC (naive) time.
		p, err := bindArgs("replace", []string{"year", "month", "day", "hour", "minute", "second"}, 0, args, nil, nil)
		if err != nil {
			return value{}, err
		}
		parts := [6]int{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second()}
		loc := t.Location()
		for i := range p {
			if given(p[i]) {
				n, err := argInt("replace", p[i])
				if err != nil {
					return value{}, err
				}
				parts[i] = int(n)
			}
		}
		names := []string{"year", "month", "day", "hour", "minute", "second"}
		for i, k := range kwNames {
			found := false
			for j, n := range names {
				if n == k {
					v, err := argInt("replace", kwVals[i])
					if err != nil {
						return value{}, err
					}
					parts[j], found = int(v), true
				}
			}
			if k == "tzinfo" {
				found = true
				loc = time.UTC
				if tz, ok := kwVals[i].a.(*time.Location); ok {
					loc = tz
				}
			}
			if !found {
				return value{}, typeErrorf("replace() got an unexpected keyword argument '%s'", k)
			}
		}
		return anyV(time.Date(parts[0], time.Month(parts[1]), parts[2], parts[3], parts[4], parts[5], t.Nanosecond(), loc)), nil
	}
	return value{}, exc("AttributeError", "'datetime' object has no attribute '%s'", name)
}
