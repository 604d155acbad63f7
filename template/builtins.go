package template

import (
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tornago/tornago/escape"
)

// builtin is a function the template language provides: Python's builtins
// and the escaping functions of Tornado's default namespace.
type builtin struct {
	name string
	fn   func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error)
	gov  any // the Go function it stands for when handed to Go code, or nil
}

func (b *builtin) goValue() any { return b.gov }

// Indexes of builtins the compiler recognises.
var (
	biXHTMLEscape int64
	biEnumerate   int64
)

var (
	builtinTable []builtin
	// builtinNames maps the names templates see to builtinTable indexes.
	builtinNames = map[string]int64{}
)

func addBuiltin(name string, global bool, gov any, fn func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error)) int64 {
	builtinTable = append(builtinTable, builtin{name: name, fn: fn, gov: gov})
	i := int64(len(builtinTable) - 1)
	if global {
		builtinNames[name] = i
	}
	return i
}

func builtinV(i int64) value { return value{k: kBuiltin, n: i} }

func init() {
	addBuiltin("escape", true, escape.XHTMLEscape, biEscape)
	biXHTMLEscape = addBuiltin("xhtml_escape", true, escape.XHTMLEscape, biEscape)
	// escape and xhtml_escape are the same function: make them one builtin
	// so either name takes the inline fast path when used for autoescape.
	builtinNames["escape"] = biXHTMLEscape
	addBuiltin("url_escape", true, nil, biURLEscape)
	addBuiltin("json_encode", true, nil, biJSONEncode)
	addBuiltin("squeeze", true, escape.Squeeze, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("squeeze", []string{"value"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		return strV(escape.Squeeze(pyStr(p[0]))), nil
	})
	addBuiltin("linkify", true, escape.Linkify, biLinkify)

	addBuiltin("len", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("len", []string{"obj"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		n, err := length(p[0])
		return intV(int64(n)), err
	})
	addBuiltin("str", true, nil, biStr)
	addBuiltin("repr", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("repr", []string{"obj"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		return strV(pyRepr(p[0])), nil
	})
	addBuiltin("int", true, nil, biInt)
	addBuiltin("float", true, nil, biFloat)
	addBuiltin("bool", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("bool", []string{"x"}, 0, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		return boolV(given(p[0]) && truth(p[0])), nil
	})
	addBuiltin("range", true, nil, biRange)
	biEnumerate = addBuiltin("enumerate", true, nil, biEnumerateFn)
	addBuiltin("zip", true, nil, biZip)
	addBuiltin("sorted", true, nil, biSorted)
	addBuiltin("reversed", true, nil, biReversed)
	addBuiltin("min", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		return minMax(fr, "min", -1, args, kwNames, kwVals)
	})
	addBuiltin("max", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		return minMax(fr, "max", 1, args, kwNames, kwVals)
	})
	addBuiltin("abs", true, nil, biAbs)
	addBuiltin("round", true, nil, biRound)
	addBuiltin("list", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("list", []string{"iterable"}, 0, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		if !given(p[0]) {
			return anyV(&listVal{}), nil
		}
		items, err := collect(p[0])
		return anyV(&listVal{items: items}), err
	})
	addBuiltin("tuple", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("tuple", []string{"iterable"}, 0, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		if !given(p[0]) {
			return anyV(tupleVal{}), nil
		}
		items, err := collect(p[0])
		return anyV(tupleVal(items)), err
	})
	addBuiltin("dict", true, nil, biDict)
	addBuiltin("sum", true, nil, biSum)
	addBuiltin("any", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		return anyAll(args, kwNames, kwVals, "any")
	})
	addBuiltin("all", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		return anyAll(args, kwNames, kwVals, "all")
	})
	addBuiltin("getattr", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("getattr", []string{"object", "name", "default"}, 2, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		name, err := argStr("getattr", p[1])
		if err != nil {
			return value{}, err
		}
		v, err := getAttr(p[0], name, nil)
		if err != nil && given(p[2]) && errorMatches(err, "AttributeError") {
			return p[2], nil
		}
		return v, err
	})
	addBuiltin("hasattr", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("hasattr", []string{"object", "name"}, 2, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		name, err := argStr("hasattr", p[1])
		if err != nil {
			return value{}, err
		}
		_, err = getAttr(p[0], name, nil)
		if err != nil && errorMatches(err, "AttributeError") {
			return boolV(false), nil
		}
		return boolV(err == nil), err
	})
	addBuiltin("ord", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("ord", []string{"c"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		s, err := argStr("ord", p[0])
		if err != nil {
			return value{}, err
		}
		if utf8.RuneCountInString(s) != 1 {
			return value{}, typeErrorf("ord() expected a character, but string of length %d found", utf8.RuneCountInString(s))
		}
		r, _ := utf8.DecodeRuneInString(s)
		return intV(int64(r)), nil
	})
	addBuiltin("chr", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("chr", []string{"i"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		i, err := argInt("chr", p[0])
		if err != nil {
			return value{}, err
		}
		if i < 0 || i > utf8.MaxRune {
			return value{}, valueErrorf("chr() arg not in range(0x110000)")
		}
		return strV(string(rune(i))), nil
	})
	for _, b := range []struct {
		name, prefix string
		base         int
	}{{"hex", "0x", 16}, {"oct", "0o", 8}, {"bin", "0b", 2}} {
		b := b
		addBuiltin(b.name, true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
			p, err := bindArgs(b.name, []string{"number"}, 1, args, kwNames, kwVals)
			if err != nil {
				return value{}, err
			}
			x := scalar(p[0])
			if !isIntegral(x) {
				return value{}, typeErrorf("'%s' object cannot be interpreted as an integer", typeName(p[0]))
			}
			n := asBig(x)
			s := b.prefix + new(big.Int).Abs(n).Text(b.base)
			if n.Sign() < 0 {
				s = "-" + s
			}
			return strV(s), nil
		})
	}
	addBuiltin("divmod", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("divmod", []string{"a", "b"}, 2, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		q, err := arith(opFloorDiv, p[0], p[1])
		if err != nil {
			return value{}, err
		}
		m, err := arith(opMod, p[0], p[1])
		return anyV(tupleVal{q, m}), err
	})
	addBuiltin("format", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("format", []string{"value", "format_spec"}, 1, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		spec := ""
		if given(p[1]) {
			if spec, err = argStr("format", p[1]); err != nil {
				return value{}, err
			}
		}
		s, err := formatSpec(p[0], spec)
		return strV(s), err
	})
	addBuiltin("isinstance", true, nil, biIsInstance)
	addBuiltin("map", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		if len(args) < 2 || len(kwNames) > 0 {
			return value{}, typeErrorf("map() must have at least two arguments.")
		}
		fn := args[0]
		cols := make([][]value, len(args)-1)
		n := -1
		for i, a := range args[1:] {
			items, err := collect(a)
			if err != nil {
				return value{}, err
			}
			cols[i] = items
			if n < 0 || len(items) < n {
				n = len(items)
			}
		}
		out := make([]value, n)
		call := make([]value, len(cols))
		for i := range out {
			for j := range cols {
				call[j] = cols[j][i]
			}
			v, err := callValue(fr, fn, call, nil, nil)
			if err != nil {
				return value{}, err
			}
			out[i] = v
		}
		return anyV(&listVal{items: out}), nil
	})
	addBuiltin("filter", true, nil, func(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
		p, err := bindArgs("filter", []string{"function", "iterable"}, 2, args, kwNames, kwVals)
		if err != nil {
			return value{}, err
		}
		items, err := collect(p[1])
		if err != nil {
			return value{}, err
		}
		var out []value
		for _, it := range items {
			keep := truth(it)
			if !isNone(p[0]) {
				v, err := callValue(fr, p[0], []value{it}, nil, nil)
				if err != nil {
					return value{}, err
				}
				keep = truth(v)
			}
			if keep {
				out = append(out, it)
			}
		}
		return anyV(&listVal{items: out}), nil
	})
	initDatetime()
}

func biEscape(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("xhtml_escape", []string{"value"}, 1, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	return strV(escape.XHTMLEscape(pyStr(p[0]))), nil
}

func biURLEscape(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("url_escape", []string{"value", "plus"}, 1, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	plus := true
	if given(p[1]) {
		plus = truth(p[1])
	}
	return strV(escape.URLEscape(pyStr(p[0]), plus)), nil
}

func biJSONEncode(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("json_encode", []string{"value"}, 1, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	s, err := escape.JSONEncode(jsonValue(p[0]))
	return strV(s), err
}

func biLinkify(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	if len(args) > 0 {
		// linkify accepts bytes and other values: print them first.
		args = append([]value{strV(pyStr(args[0]))}, args[1:]...)
	}
	return callValue(fr, anyV(escape.Linkify), args, kwNames, kwVals)
}

func biStr(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("str", []string{"object", "encoding", "errors"}, 0, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	if !given(p[0]) {
		return strV(""), nil
	}
	if given(p[1]) {
		if b, ok := p[0].a.([]byte); ok {
			return strV(string(b)), nil
		}
		return value{}, typeErrorf("decoding str is not supported")
	}
	return strV(pyStr(p[0])), nil
}

func biInt(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("int", []string{"x", "base"}, 0, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	if !given(p[0]) {
		return intV(0), nil
	}
	x := scalar(p[0])
	if given(p[1]) || x.k == kStr {
		base := int64(10)
		if given(p[1]) {
			if base, err = argInt("int", p[1]); err != nil {
				return value{}, err
			}
			if base != 0 && (base < 2 || base > 36) {
				return value{}, valueErrorf("int() base must be >= 2 and <= 36, or 0")
			}
		}
		var s string
		switch {
		case x.k == kStr:
			s = x.s
		case x.k == kAny:
			b, ok := x.a.([]byte)
			if !ok {
				return value{}, typeErrorf("int() can't convert non-string with explicit base")
			}
			s = string(b)
		default:
			return value{}, typeErrorf("int() can't convert non-string with explicit base")
		}
		return parseInt(s, int(base))
	}
	switch x.k {
	case kInt, kBig:
		return x, nil
	case kBool:
		return intV(x.n), nil
	case kFloat:
		f := x.f()
		if math.IsInf(f, 0) {
			return value{}, exc("OverflowError", "cannot convert float infinity to integer")
		}
		if math.IsNaN(f) {
			return value{}, valueErrorf("cannot convert float NaN to integer")
		}
		t := math.Trunc(f)
		if math.Abs(t) < 1<<62 {
			return intV(int64(t)), nil
		}
		bi, _ := new(big.Float).SetFloat64(t).Int(nil)
		return bigV(bi), nil
	}
	return value{}, typeErrorf("int() argument must be a string, a bytes-like object or a real number, not '%s'", typeName(p[0]))
}

// maxIntDigits is CPython's default limit on decimal digits int() converts.
const maxIntDigits = 4300

// parseInt is int(s, base): whitespace around, a sign, underscores between
// digits, and base 0 meaning "from the prefix".
func parseInt(s string, base int) (value, error) {
	bad := func() (value, error) {
		return value{}, valueErrorf("invalid literal for int() with base %d: %s", base, pyRepr(strV(s)))
	}
	t := pyStrip(s)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	b := base
	if len(t) > 1 && t[0] == '0' {
		switch t[1] | 0x20 {
		case 'x':
			if base == 0 || base == 16 {
				b, t = 16, t[2:]
			}
		case 'o':
			if base == 0 || base == 8 {
				b, t = 8, t[2:]
			}
		case 'b':
			if base == 0 || base == 2 {
				b, t = 2, t[2:]
			}
		}
	}
	if b == 0 {
		b = 10
		if len(t) > 1 && strings.Trim(t, "0_") != "" && t[0] == '0' {
			return bad()
		}
	}
	if t == "" || t[0] == '_' || t[len(t)-1] == '_' || strings.Contains(t, "__") {
		return bad()
	}
	if b == 10 && len(t) > maxIntDigits {
		return value{}, valueErrorf("Exceeds the limit (%d digits) for integer string conversion: value has %d digits", maxIntDigits, len(t))
	}
	n, ok := new(big.Int).SetString(strings.ReplaceAll(t, "_", ""), b)
	if !ok {
		return bad()
	}
	if neg {
		n.Neg(n)
	}
	return bigV(n), nil
}

func biFloat(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("float", []string{"x"}, 0, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	if !given(p[0]) {
		return floatV(0), nil
	}
	x := scalar(p[0])
	switch {
	case isNumber(x):
		return floatV(asFloat(x)), nil
	case x.k == kStr:
		t := strings.ToLower(pyStrip(x.s))
		switch strings.TrimLeft(t, "+-") {
		case "inf", "infinity":
			if strings.HasPrefix(t, "-") {
				return floatV(math.Inf(-1)), nil
			}
			return floatV(math.Inf(1)), nil
		case "nan":
			return floatV(math.NaN()), nil
		}
		if strings.Contains(t, "__") || strings.HasPrefix(t, "0x") || strings.ContainsAny(t, "px") {
			return value{}, valueErrorf("could not convert string to float: %s", pyRepr(x))
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(t, "_", ""), 64)
		if err != nil && !isRangeErr(err) {
			return value{}, valueErrorf("could not convert string to float: %s", pyRepr(x))
		}
		return floatV(f), nil
	}
	return value{}, typeErrorf("float() argument must be a string or a real number, not '%s'", typeName(p[0]))
}

func biRange(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	if len(kwNames) > 0 {
		return value{}, typeErrorf("range() takes no keyword arguments")
	}
	var n [3]int64
	for i, a := range args {
		if i >= 3 {
			return value{}, typeErrorf("range expected at most 3 arguments, got %d", len(args))
		}
		x := scalar(a)
		if x.k != kInt && x.k != kBool {
			return value{}, typeErrorf("'%s' object cannot be interpreted as an integer", typeName(a))
		}
		n[i] = x.n
	}
	switch len(args) {
	case 0:
		return value{}, typeErrorf("range expected at least 1 argument, got 0")
	case 1:
		return anyV(rangeVal{0, n[0], 1}), nil
	case 2:
		return anyV(rangeVal{n[0], n[1], 1}), nil
	}
	if n[2] == 0 {
		return value{}, valueErrorf("range() arg 3 must not be zero")
	}
	return anyV(rangeVal{n[0], n[1], n[2]}), nil
}

func biEnumerateFn(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("enumerate", []string{"iterable", "start"}, 1, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	start := int64(0)
	if given(p[1]) {
		if start, err = argInt("enumerate", p[1]); err != nil {
			return value{}, err
		}
	}
	items, err := collect(p[0])
	if err != nil {
		return value{}, err
	}
	out := make([]value, len(items))
	for i, it := range items {
		out[i] = anyV(tupleVal{intV(start + int64(i)), it})
	}
	return anyV(&listVal{items: out}), nil
}

func biZip(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	if len(kwNames) > 0 {
		return value{}, typeErrorf("zip() takes no keyword arguments")
	}
	cols := make([][]value, len(args))
	n := -1
	for i, a := range args {
		items, err := collect(a)
		if err != nil {
			return value{}, typeErrorf("zip argument #%d must support iteration", i+1)
		}
		cols[i] = items
		if n < 0 || len(items) < n {
			n = len(items)
		}
	}
	out := make([]value, max(n, 0))
	for i := range out {
		row := make(tupleVal, len(cols))
		for j := range cols {
			row[j] = cols[j][i]
		}
		out[i] = anyV(row)
	}
	return anyV(&listVal{items: out}), nil
}

// sortValues sorts stably by key (or the items), Python's sorted().
func sortValues(fr *frame, items []value, key value, reverse bool) error {
	keys := items
	if givenNotNone(key) {
		keys = make([]value, len(items))
		for i, it := range items {
			k, err := callValue(fr, key, []value{it}, nil, nil)
			if err != nil {
				return err
			}
			keys[i] = k
		}
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	var serr error
	slices.SortStableFunc(idx, func(a, b int) int {
		c, err := compare(keys[a], keys[b])
		if err != nil && serr == nil {
			serr = err
		}
		if c == 2 {
			c = 0
		}
		if reverse {
			c = -c
		}
		return c
	})
	if serr != nil {
		return serr
	}
	sorted := make([]value, len(items))
	for i, j := range idx {
		sorted[i] = items[j]
	}
	copy(items, sorted)
	return nil
}

func biSorted(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("sorted", []string{"iterable", "key", "reverse"}, 1, args[:min(len(args), 1)], kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	if len(args) > 1 {
		return value{}, typeErrorf("sorted expected 1 argument, got %d", len(args))
	}
	items, err := collect(p[0])
	if err != nil {
		return value{}, err
	}
	if err := sortValues(fr, items, p[1], truth(p[2])); err != nil {
		return value{}, err
	}
	return anyV(&listVal{items: items}), nil
}

func biReversed(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("reversed", []string{"sequence"}, 1, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	items, err := collect(p[0])
	if err != nil {
		return value{}, err
	}
	slices.Reverse(items)
	return anyV(&listVal{items: items}), nil
}

func minMax(fr *frame, name string, sign int, args []value, kwNames []string, kwVals []value) (value, error) {
	var key, def value
	for i, k := range kwNames {
		switch k {
		case "key":
			key = kwVals[i]
		case "default":
			def = kwVals[i]
		default:
			return value{}, typeErrorf("%s() got an unexpected keyword argument '%s'", name, k)
		}
	}
	var items []value
	switch len(args) {
	case 0:
		return value{}, typeErrorf("%s expected at least 1 argument, got 0", name)
	case 1:
		var err error
		if items, err = collect(args[0]); err != nil {
			return value{}, err
		}
		if len(items) == 0 {
			if given(def) {
				return def, nil
			}
			return value{}, valueErrorf("%s() arg is an empty sequence", name)
		}
	default:
		if given(def) {
			return value{}, typeErrorf("Cannot specify a default for %s() with multiple positional arguments", name)
		}
		items = args
	}
	best, bestKey := items[0], items[0]
	if givenNotNone(key) {
		k, err := callValue(fr, key, []value{best}, nil, nil)
		if err != nil {
			return value{}, err
		}
		bestKey = k
	}
	for _, it := range items[1:] {
		k := it
		if givenNotNone(key) {
			var err error
			if k, err = callValue(fr, key, []value{it}, nil, nil); err != nil {
				return value{}, err
			}
		}
		c, err := compare(k, bestKey)
		if err != nil {
			return value{}, err
		}
		if c == sign {
			best, bestKey = it, k
		}
	}
	return best, nil
}

func biAbs(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("abs", []string{"x"}, 1, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	x := scalar(p[0])
	switch x.k {
	case kInt, kBool:
		if x.n < 0 {
			return negate(x)
		}
		return intV(x.n), nil
	case kFloat:
		return floatV(math.Abs(x.f())), nil
	case kBig:
		return bigV(new(big.Int).Abs(x.a.(*big.Int))), nil
	}
	return value{}, typeErrorf("bad operand type for abs(): '%s'", typeName(p[0]))
}

// biRound is Python's round: half to even, to an int without ndigits.
func biRound(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("round", []string{"number", "ndigits"}, 1, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	x := scalar(p[0])
	if !isNumber(x) {
		return value{}, typeErrorf("type %s doesn't define __round__ method", typeName(p[0]))
	}
	if !givenNotNone(p[1]) {
		if isIntegral(x) {
			return biInt(fr, []value{x}, nil, nil)
		}
		f := math.RoundToEven(x.f())
		return biInt(fr, []value{floatV(f)}, nil, nil)
	}
	nd, err := argInt("round", p[1])
	if err != nil {
		return value{}, err
	}
	if isIntegral(x) {
		if nd >= 0 {
			return intV(x.n), nil
		}
		// Round to tens, hundreds ... half to even.
		if nd < -18 {
			return intV(0), nil
		}
		pow := int64(math.Pow10(int(-nd)))
		q, r := x.n/pow, x.n%pow
		if r < 0 {
			q, r = q-1, r+pow
		}
		if 2*r > pow || (2*r == pow && q%2 != 0) {
			q++
		}
		return intV(q * pow), nil
	}
	f := x.f()
	if math.IsInf(f, 0) || math.IsNaN(f) || nd > 300 {
		return floatV(f), nil
	}
	if nd < -308 {
		return floatV(0 * f), nil
	}
	if nd >= 0 {
		r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', int(nd), 64), 64)
		return floatV(r), nil
	}
	pow := math.Pow10(int(-nd))
	return floatV(math.RoundToEven(f/pow) * pow), nil
}

func biDict(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	if len(args) > 1 {
		return value{}, typeErrorf("dict expected at most 1 argument, got %d", len(args))
	}
	d := newDict(len(kwNames))
	if len(args) == 1 {
		if m, ok := mappingOf(args[0]); ok {
			keys, err := m.sortedKeys()
			if err != nil {
				return value{}, err
			}
			for _, k := range keys {
				v, _, _ := m.get(k)
				if err := d.set(k, v); err != nil {
					return value{}, err
				}
			}
		} else {
			pairs, err := collect(args[0])
			if err != nil {
				return value{}, err
			}
			for i, pv := range pairs {
				s, ok := seqOf(pv)
				if !ok || s.n != 2 {
					return value{}, valueErrorf("dictionary update sequence element #%d has wrong length", i)
				}
				if err := d.set(s.at(0), s.at(1)); err != nil {
					return value{}, err
				}
			}
		}
	}
	for i, k := range kwNames {
		if err := d.set(strV(k), kwVals[i]); err != nil {
			return value{}, err
		}
	}
	return anyV(d), nil
}

func biSum(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("sum", []string{"iterable", "start"}, 1, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	total := intV(0)
	if given(p[1]) {
		total = p[1]
		if total.k == kStr {
			return value{}, typeErrorf("sum() can't sum strings [use ''.join(seq) instead]")
		}
	}
	var serr error
	err = forEach(p[0], func(it value) bool {
		total, serr = arith(opAdd, total, it)
		return serr == nil
	})
	if err != nil {
		return value{}, err
	}
	return total, serr
}

func anyAll(args []value, kwNames []string, kwVals []value, name string) (value, error) {
	p, err := bindArgs(name, []string{"iterable"}, 1, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	want := name == "any"
	found := false
	err = forEach(p[0], func(it value) bool {
		if truth(it) == want {
			found = true
			return false
		}
		return true
	})
	if err != nil {
		return value{}, err
	}
	if want {
		return boolV(found), nil
	}
	return boolV(!found), nil
}

// pyTypeNames are the type names isinstance understands.
var pyTypeNames = map[string]bool{"str": true, "int": true, "float": true, "bool": true, "list": true, "tuple": true, "dict": true, "bytes": true}

func biIsInstance(fr *frame, args []value, kwNames []string, kwVals []value) (value, error) {
	p, err := bindArgs("isinstance", []string{"obj", "class_or_tuple"}, 2, args, kwNames, kwVals)
	if err != nil {
		return value{}, err
	}
	var classes []value
	if t, ok := p[1].a.(tupleVal); ok {
		classes = t
	} else {
		classes = []value{p[1]}
	}
	tn := typeName(scalar(p[0]))
	for _, c := range classes {
		if c.k != kBuiltin || !pyTypeNames[builtinTable[c.n].name] {
			return value{}, typeErrorf("isinstance() arg 2 must be one of str, int, float, bool, list, tuple, dict, bytes")
		}
		cn := builtinTable[c.n].name
		if cn == tn || (cn == "int" && tn == "bool") {
			return boolV(true), nil
		}
	}
	return boolV(false), nil
}
