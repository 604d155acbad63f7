package template

import (
	"bytes"
	"math"
	"math/big"
	"math/bits"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	// maxRepeatLen bounds the length of a string or list built with * (and
	// of padding widths in % formatting). Python would try to build it; a
	// template asking for more than 16 Mi items is a bug or an attack, and
	// fails with MemoryError instead of taking the process down.
	maxRepeatLen = 16 << 20

	// maxIntBits bounds the size of integers built by ** and <<. Python's
	// own default limit on printing ints (4300 digits) is about 14,000
	// bits, so larger results could not be printed anyway.
	maxIntBits = 1 << 16
)

// binOp is a compiled binary arithmetic operator.
type binOp uint8

const (
	opAdd binOp = iota
	opSub
	opMul
	opDiv
	opFloorDiv
	opMod
	opPow
	opBitAnd
	opBitOr
	opBitXor
	opLsh
	opRsh
)

var binOpNames = [...]string{"+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>"}

var binOps = map[string]binOp{
	"+": opAdd, "-": opSub, "*": opMul, "/": opDiv, "//": opFloorDiv, "%": opMod, "**": opPow,
	"&": opBitAnd, "|": opBitOr, "^": opBitXor, "<<": opLsh, ">>": opRsh,
}

// truth is Python's bool(v).
func truth(v value) bool {
	switch v.k {
	case kUnset, kNone:
		return false
	case kBool, kInt:
		return v.n != 0
	case kFloat:
		return v.f() != 0
	case kStr:
		return v.s != ""
	case kBig, kBuiltin:
		return true
	}
	switch x := v.a.(type) {
	case *listVal:
		return len(x.items) > 0
	case tupleVal:
		return len(x) > 0
	case *dictVal:
		return len(x.keys) > 0
	case rangeVal:
		return x.length() > 0
	case []byte:
		return len(x) > 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	case time.Time:
		return true
	case nil:
		return false
	}
	rv := reflect.ValueOf(v.a)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.Array, reflect.String, reflect.Chan:
		return rv.Len() > 0
	case reflect.Pointer, reflect.Interface, reflect.Func:
		return !rv.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint() != 0
	case reflect.Float32, reflect.Float64:
		return rv.Float() != 0
	case reflect.Bool:
		return rv.Bool()
	}
	return true
}

// arith applies a binary arithmetic operator with Python's semantics.
func arith(op binOp, a, b value) (value, error) {
	if a.k == kInt && b.k == kInt {
		return intArith(op, a.n, b.n)
	}
	if a.k == kStr && b.k == kStr && op == opAdd {
		return strV(a.s + b.s), nil
	}
	if a.k == kAny || b.k == kAny {
		if r, ok, err := timeArith(op, a, b); ok {
			return r, err
		}
	}
	a, b = scalar(a), scalar(b)
	if isNumber(a) && isNumber(b) {
		switch {
		case a.k == kFloat || b.k == kFloat:
			return floatArith(op, asFloat(a), asFloat(b))
		case a.k == kBig || b.k == kBig:
			return bigArith(op, asBig(a), asBig(b))
		}
		return intArith(op, a.n, b.n)
	}
	switch op {
	case opAdd:
		if a.k == kStr {
			if b.k == kStr {
				return strV(a.s + b.s), nil
			}
			return value{}, typeErrorf(`can only concatenate str (not "%s") to str`, typeName(b))
		}
		if ab, ok := a.a.([]byte); ok {
			if bb, ok := b.a.([]byte); ok {
				return anyV(append(append([]byte(nil), ab...), bb...)), nil
			}
		}
		if sa, ok := seqOf(a); ok {
			if sb, ok := seqOf(b); ok && sa.tuple == sb.tuple {
				items := make([]value, 0, sa.n+sb.n)
				items = sa.appendTo(items)
				items = sb.appendTo(items)
				if sa.tuple {
					return anyV(tupleVal(items)), nil
				}
				return anyV(&listVal{items: items}), nil
			}
			what := "list"
			if sa.tuple {
				what = "tuple"
			}
			return value{}, typeErrorf(`can only concatenate %s (not "%s") to %s`, what, typeName(b), what)
		}
	case opMul:
		if isIntegral(a) && !isIntegral(b) {
			a, b = b, a
		}
		if isIntegral(b) {
			n := b.n
			if b.k == kBig {
				n = math.MaxInt64
			}
			if n < 0 {
				n = 0
			}
			if a.k == kStr {
				if n > 0 && int64(len(a.s)) > maxRepeatLen/n {
					return value{}, exc("MemoryError", "repeated string too long")
				}
				return strV(strings.Repeat(a.s, int(n))), nil
			}
			if sa, ok := seqOf(a); ok {
				if sa.n == 0 {
					n = 0
				}
				if n > 0 && int64(sa.n) > maxRepeatLen/n {
					return value{}, exc("MemoryError", "repeated list too long")
				}
				items := make([]value, 0, sa.n*int(n))
				for i := int64(0); i < n; i++ {
					items = sa.appendTo(items)
				}
				if sa.tuple {
					return anyV(tupleVal(items)), nil
				}
				return anyV(&listVal{items: items}), nil
			}
		}
	case opMod:
		if a.k == kStr {
			s, err := pyFormat(a.s, b)
			return strV(s), err
		}
	}
	return value{}, typeErrorf("unsupported operand type(s) for %s: '%s' and '%s'", binOpNames[op], typeName(a), typeName(b))
}

func isIntegral(v value) bool { return v.k == kInt || v.k == kBool || v.k == kBig }

func intArith(op binOp, a, b int64) (value, error) {
	switch op {
	case opAdd:
		s := a + b
		if (a >= 0) == (b >= 0) && (s >= 0) != (a >= 0) {
			return bigArith(op, big.NewInt(a), big.NewInt(b))
		}
		return intV(s), nil
	case opSub:
		s := a - b
		if (a >= 0) != (b >= 0) && (s >= 0) != (a >= 0) {
			return bigArith(op, big.NewInt(a), big.NewInt(b))
		}
		return intV(s), nil
	case opMul:
		if a == 0 || b == 0 {
			return intV(0), nil
		}
		hi, lo := bits.Mul64(uint64(absInt(a)), uint64(absInt(b)))
		if hi != 0 || lo > math.MaxInt64 || a == math.MinInt64 || b == math.MinInt64 {
			return bigArith(op, big.NewInt(a), big.NewInt(b))
		}
		return intV(a * b), nil
	case opDiv:
		if b == 0 {
			return value{}, exc("ZeroDivisionError", "division by zero")
		}
		return floatV(float64(a) / float64(b)), nil
	case opFloorDiv:
		if b == 0 {
			return value{}, exc("ZeroDivisionError", "integer division or modulo by zero")
		}
		if a == math.MinInt64 && b == -1 {
			return bigArith(op, big.NewInt(a), big.NewInt(b))
		}
		q := a / b
		if a%b != 0 && (a < 0) != (b < 0) {
			q--
		}
		return intV(q), nil
	case opMod:
		if b == 0 {
			return value{}, exc("ZeroDivisionError", "integer modulo by zero")
		}
		r := a % b
		if r != 0 && (r < 0) != (b < 0) {
			r += b
		}
		return intV(r), nil
	case opPow:
		if b < 0 {
			return floatArith(op, float64(a), float64(b))
		}
		result, base := int64(1), a
		for e := b; e > 0; e >>= 1 {
			if e&1 == 1 {
				r, err := intArith(opMul, result, base)
				if err != nil || r.k != kInt {
					return bigArith(op, big.NewInt(a), big.NewInt(b))
				}
				result = r.n
			}
			if e > 1 {
				r, err := intArith(opMul, base, base)
				if err != nil || r.k != kInt {
					return bigArith(op, big.NewInt(a), big.NewInt(b))
				}
				base = r.n
			}
		}
		return intV(result), nil
	case opBitAnd:
		return intV(a & b), nil
	case opBitOr:
		return intV(a | b), nil
	case opBitXor:
		return intV(a ^ b), nil
	case opLsh:
		if b < 0 {
			return value{}, valueErrorf("negative shift count")
		}
		if b < 63 && (a<<b)>>b == a {
			return intV(a << b), nil
		}
		return bigArith(op, big.NewInt(a), big.NewInt(b))
	case opRsh:
		if b < 0 {
			return value{}, valueErrorf("negative shift count")
		}
		if b > 63 {
			b = 63
		}
		return intV(a >> b), nil
	}
	return value{}, typeErrorf("unsupported operator")
}

func absInt(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}

func bigArith(op binOp, a, b *big.Int) (value, error) {
	r := new(big.Int)
	switch op {
	case opAdd:
		r.Add(a, b)
	case opSub:
		r.Sub(a, b)
	case opMul:
		if a.BitLen()+b.BitLen() > maxIntBits {
			return value{}, exc("OverflowError", "integer result too large")
		}
		r.Mul(a, b)
	case opDiv:
		if b.Sign() == 0 {
			return value{}, exc("ZeroDivisionError", "division by zero")
		}
		f, _ := new(big.Rat).SetFrac(a, b).Float64()
		return floatV(f), nil
	case opFloorDiv, opMod:
		if b.Sign() == 0 {
			return value{}, exc("ZeroDivisionError", "integer division or modulo by zero")
		}
		q, m := new(big.Int).DivMod(a, b, new(big.Int)) // Euclidean: m >= 0
		if m.Sign() != 0 && b.Sign() < 0 {
			q.Add(q, big.NewInt(1))
			m.Add(m, b)
		}
		if op == opMod {
			return bigV(m), nil
		}
		return bigV(q), nil
	case opPow:
		if b.Sign() < 0 {
			fa, _ := new(big.Float).SetInt(a).Float64()
			fb, _ := new(big.Float).SetInt(b).Float64()
			return floatArith(op, fa, fb)
		}
		if !b.IsInt64() || (a.BitLen() > 1 && int64(a.BitLen())*b.Int64() > maxIntBits) {
			if a.CmpAbs(big.NewInt(1)) > 0 {
				return value{}, exc("OverflowError", "integer result too large")
			}
		}
		r.Exp(a, b, nil)
	case opBitAnd:
		r.And(a, b)
	case opBitOr:
		r.Or(a, b)
	case opBitXor:
		r.Xor(a, b)
	case opLsh, opRsh:
		if b.Sign() < 0 {
			return value{}, valueErrorf("negative shift count")
		}
		if op == opRsh {
			if !b.IsInt64() || b.Int64() > int64(a.BitLen()) {
				if a.Sign() < 0 {
					return intV(-1), nil
				}
				return intV(0), nil
			}
			r.Rsh(a, uint(b.Int64()))
			break
		}
		if !b.IsInt64() || int64(a.BitLen())+b.Int64() > maxIntBits {
			return value{}, exc("OverflowError", "integer result too large")
		}
		r.Lsh(a, uint(b.Int64()))
	}
	return bigV(r), nil
}

func floatArith(op binOp, a, b float64) (value, error) {
	switch op {
	case opAdd:
		return floatV(a + b), nil
	case opSub:
		return floatV(a - b), nil
	case opMul:
		return floatV(a * b), nil
	case opDiv:
		if b == 0 {
			return value{}, exc("ZeroDivisionError", "float division by zero")
		}
		return floatV(a / b), nil
	case opFloorDiv:
		if b == 0 {
			return value{}, exc("ZeroDivisionError", "float floor division by zero")
		}
		q, _ := floatDivMod(a, b)
		return floatV(q), nil
	case opMod:
		if b == 0 {
			return value{}, exc("ZeroDivisionError", "float modulo")
		}
		_, m := floatDivMod(a, b)
		return floatV(m), nil
	case opPow:
		if a == 0 && b < 0 {
			return value{}, exc("ZeroDivisionError", "0.0 cannot be raised to a negative power")
		}
		if a < 0 && b != math.Trunc(b) {
			return value{}, valueErrorf("math domain error (a negative number to a fractional power)")
		}
		r := math.Pow(a, b)
		if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
			return value{}, exc("OverflowError", "(34, 'Numerical result out of range')")
		}
		return floatV(r), nil
	}
	return value{}, typeErrorf("unsupported operand type(s) for %s: 'float' and 'float'", binOpNames[op])
}

// floatDivMod is CPython's float divmod: the floor quotient and a modulus
// with the divisor's sign.
func floatDivMod(a, b float64) (float64, float64) {
	mod := math.Mod(a, b)
	div := (a - mod) / b
	if mod != 0 {
		if (b < 0) != (mod < 0) {
			mod += b
			div -= 1
		}
	} else {
		mod = math.Copysign(0, b)
	}
	var floordiv float64
	if div != 0 {
		floordiv = math.Floor(div)
		if div-floordiv > 0.5 {
			floordiv += 1
		}
	} else {
		floordiv = math.Copysign(0, a/b)
	}
	return floordiv, mod
}

// timeArith handles time.Time ± time.Duration and time.Time - time.Time.
func timeArith(op binOp, a, b value) (value, bool, error) {
	ta, aIsTime := a.a.(time.Time)
	tb, bIsTime := b.a.(time.Time)
	db, bIsDur := b.a.(time.Duration)
	da, aIsDur := a.a.(time.Duration)
	switch {
	case aIsTime && bIsDur && op == opAdd:
		return anyV(ta.Add(db)), true, nil
	case aIsDur && bIsTime && op == opAdd:
		return anyV(tb.Add(da)), true, nil
	case aIsTime && bIsDur && op == opSub:
		return anyV(ta.Add(-db)), true, nil
	case aIsTime && bIsTime && op == opSub:
		return anyV(ta.Sub(tb)), true, nil
	case aIsDur && bIsDur && (op == opAdd || op == opSub):
		if op == opSub {
			db = -db
		}
		return anyV(da + db), true, nil
	}
	return value{}, false, nil
}

// negate is unary minus.
func negate(v value) (value, error) {
	v = scalar(v)
	switch v.k {
	case kInt, kBool:
		if v.n == math.MinInt64 {
			return bigV(new(big.Int).Neg(big.NewInt(v.n))), nil
		}
		return intV(-v.n), nil
	case kFloat:
		return floatV(-v.f()), nil
	case kBig:
		return bigV(new(big.Int).Neg(v.a.(*big.Int))), nil
	}
	if d, ok := v.a.(time.Duration); ok {
		return anyV(-d), nil
	}
	return value{}, typeErrorf("bad operand type for unary -: '%s'", typeName(v))
}

func unaryPlus(v value) (value, error) {
	s := scalar(v)
	switch s.k {
	case kInt, kFloat, kBig:
		return s, nil
	case kBool:
		return intV(s.n), nil
	}
	return value{}, typeErrorf("bad operand type for unary +: '%s'", typeName(v))
}

func invert(v value) (value, error) {
	v = scalar(v)
	switch v.k {
	case kInt, kBool:
		return intV(^v.n), nil
	case kBig:
		return bigV(new(big.Int).Not(v.a.(*big.Int))), nil
	}
	return value{}, typeErrorf("bad operand type for unary ~: '%s'", typeName(v))
}

// equal is Python's ==.
func equal(a, b value) bool {
	if a.k == kStr && b.k == kStr {
		return a.s == b.s
	}
	if a.k == kInt && b.k == kInt {
		return a.n == b.n
	}
	a, b = scalar(a), scalar(b)
	if isNumber(a) && isNumber(b) {
		c, _ := compareNumbers(a, b)
		return c == 0 && !(a.k == kFloat && math.IsNaN(a.f())) && !(b.k == kFloat && math.IsNaN(b.f()))
	}
	if a.k != kAny || b.k != kAny {
		switch {
		case a.k != b.k:
			return a.k == kUnset && b.k == kNone || a.k == kNone && b.k == kUnset
		case a.k == kStr:
			return a.s == b.s
		case a.k == kBuiltin:
			return a.n == b.n
		}
		return true // both None
	}
	if ta, ok := a.a.(time.Time); ok {
		tb, ok := b.a.(time.Time)
		return ok && ta.Equal(tb)
	}
	if ba, ok := a.a.([]byte); ok {
		bb, ok := b.a.([]byte)
		return ok && bytes.Equal(ba, bb)
	}
	if sa, ok := seqOf(a); ok {
		sb, ok := seqOf(b)
		if !ok || sa.tuple != sb.tuple || sa.n != sb.n {
			return false
		}
		for i := 0; i < sa.n; i++ {
			if !equal(sa.at(i), sb.at(i)) {
				return false
			}
		}
		return true
	}
	if ma, ok := mappingOf(a); ok {
		mb, ok := mappingOf(b)
		if !ok || ma.len() != mb.len() {
			return false
		}
		keys, err := ma.sortedKeys()
		if err != nil {
			return false
		}
		for _, k := range keys {
			va, _, _ := ma.get(k)
			vb, found, _ := mb.get(k)
			if !found || !equal(va, vb) {
				return false
			}
		}
		return true
	}
	return sameGoValue(a.a, b.a)
}

// sameGoValue compares two Go values with ==, false when they are not
// comparable.
func sameGoValue(x, y any) (same bool) {
	if reflect.TypeOf(x) != reflect.TypeOf(y) {
		return false
	}
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return x == y
}

// compare orders two values for <, <=, >, >= and sorted().
func compare(a, b value) (int, error) {
	if a.k == kInt && b.k == kInt {
		return cmpInt(a.n, b.n), nil
	}
	if a.k == kStr && b.k == kStr {
		return strings.Compare(a.s, b.s), nil
	}
	a, b = scalar(a), scalar(b)
	if isNumber(a) && isNumber(b) {
		return compareNumbers(a, b)
	}
	if a.k == kStr && b.k == kStr {
		return strings.Compare(a.s, b.s), nil
	}
	if a.k == kAny && b.k == kAny {
		if ta, ok := a.a.(time.Time); ok {
			if tb, ok := b.a.(time.Time); ok {
				return ta.Compare(tb), nil
			}
		}
		if ba, ok := a.a.([]byte); ok {
			if bb, ok := b.a.([]byte); ok {
				return bytes.Compare(ba, bb), nil
			}
		}
		if sa, ok := seqOf(a); ok {
			if sb, ok := seqOf(b); ok && sa.tuple == sb.tuple {
				for i := 0; i < sa.n && i < sb.n; i++ {
					x, y := sa.at(i), sb.at(i)
					if equal(x, y) {
						continue
					}
					return compare(x, y)
				}
				return cmpInt(int64(sa.n), int64(sb.n)), nil
			}
		}
	}
	return 0, typeErrorf("'<' not supported between instances of '%s' and '%s'", typeName(a), typeName(b))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compareNumbers(a, b value) (int, error) {
	switch {
	case a.k == kFloat || b.k == kFloat:
		fa, fb := asFloat(a), asFloat(b)
		if math.IsNaN(fa) || math.IsNaN(fb) {
			return 2, nil // unordered: every comparison is false
		}
		if a.k == kBig || b.k == kBig {
			ba, _ := bigFloatOf(a)
			bb, _ := bigFloatOf(b)
			return ba.Cmp(bb), nil
		}
		if (a.k == kInt || b.k == kInt) && (math.Abs(fa) > 1<<53 || math.Abs(fb) > 1<<53) {
			ba, _ := bigFloatOf(a)
			bb, _ := bigFloatOf(b)
			return ba.Cmp(bb), nil
		}
		switch {
		case fa < fb:
			return -1, nil
		case fa > fb:
			return 1, nil
		}
		return 0, nil
	case a.k == kBig || b.k == kBig:
		return asBig(a).Cmp(asBig(b)), nil
	}
	return cmpInt(a.n, b.n), nil
}

func bigFloatOf(v value) (*big.Float, bool) {
	switch v.k {
	case kFloat:
		if math.IsInf(v.f(), 0) {
			return new(big.Float).SetInf(v.f() < 0), true
		}
		return new(big.Float).SetFloat64(v.f()), true
	case kBig:
		return new(big.Float).SetInt(v.a.(*big.Int)), true
	}
	return new(big.Float).SetInt64(v.n), true
}

// compareOp evaluates one comparison operator.
func compareOp(op string, a, b value) (bool, error) {
	switch op {
	case "==":
		return equal(a, b), nil
	case "!=":
		return !equal(a, b), nil
	case "in":
		return contains(b, a)
	case "not in":
		in, err := contains(b, a)
		return !in, err
	case "is":
		return identical(a, b), nil
	case "is not":
		return !identical(a, b), nil
	}
	c, err := compare(a, b)
	if err != nil {
		return false, typeErrorf("'%s' not supported between instances of '%s' and '%s'", op, typeName(a), typeName(b))
	}
	if c == 2 {
		return false, nil
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

// identical is Python's `is`: None, True and False are singletons; other
// values are the same object when they are the same Go value.
func identical(a, b value) bool {
	an, bn := isNone(a), isNone(b)
	if an || bn {
		return an && bn
	}
	if a.k != b.k {
		return false
	}
	switch a.k {
	case kBool, kInt, kBuiltin:
		return a.n == b.n
	case kFloat:
		return a.n == b.n
	case kStr:
		return a.s == b.s
	}
	return sameGoValue(a.a, b.a)
}

// isNone reports whether v is None: Python's None or a nil pointer,
// interface, func or channel.
func isNone(v value) bool {
	switch v.k {
	case kUnset, kNone:
		return true
	case kAny:
		if v.a == nil {
			return true
		}
		rv := reflect.ValueOf(v.a)
		switch rv.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan:
			return rv.IsNil()
		}
	}
	return false
}

// contains is Python's `item in container`.
func contains(container, item value) (bool, error) {
	container = scalar(container)
	if container.k == kStr {
		it := scalar(item)
		if it.k != kStr {
			return false, typeErrorf("'in <string>' requires string as left operand, not %s", typeName(item))
		}
		return strings.Contains(container.s, it.s), nil
	}
	if container.k != kAny {
		return false, typeErrorf("argument of type '%s' is not iterable", typeName(container))
	}
	switch x := container.a.(type) {
	case []byte:
		it := scalar(item)
		switch {
		case isIntegral(it):
			return bytes.IndexByte(x, byte(it.n)) >= 0 && it.n >= 0 && it.n < 256, nil
		case it.k == kAny:
			if b, ok := it.a.([]byte); ok {
				return bytes.Contains(x, b), nil
			}
		}
		return false, typeErrorf("a bytes-like object is required, not '%s'", typeName(item))
	case rangeVal:
		it := scalar(item)
		if it.k != kInt && it.k != kBool {
			found := false
			x.each(func(i int64) bool { found = equal(intV(i), it); return !found })
			return found, nil
		}
		return x.contains(it.n), nil
	}
	if m, ok := mappingOf(container); ok {
		_, found, err := m.get(item)
		if err != nil {
			var ex *Exception
			if isExc(err, &ex) && ex.Class == "KeyError" {
				return false, nil
			}
		}
		return found, err
	}
	if s, ok := seqOf(container); ok {
		for i := 0; i < s.n; i++ {
			if equal(s.at(i), item) {
				return true, nil
			}
		}
		return false, nil
	}
	found := false
	err := forEach(container, func(v value) bool {
		found = equal(v, item)
		return !found
	})
	if err != nil {
		return false, typeErrorf("argument of type '%s' is not iterable", typeName(container))
	}
	return found, nil
}

func isExc(err error, ex **Exception) bool {
	e, ok := err.(*Exception)
	if ok {
		*ex = e
	}
	return ok
}

// length is Python's len(v).
func length(v value) (int, error) {
	switch v.k {
	case kStr:
		return utf8.RuneCountInString(v.s), nil
	case kAny:
	default:
		return 0, typeErrorf("object of type '%s' has no len()", typeName(v))
	}
	switch x := v.a.(type) {
	case *listVal:
		return len(x.items), nil
	case tupleVal:
		return len(x), nil
	case *dictVal:
		return len(x.keys), nil
	case rangeVal:
		return int(x.length()), nil
	case []byte:
		return len(x), nil
	case []any:
		return len(x), nil
	case map[string]any:
		return len(x), nil
	}
	rv := reflect.ValueOf(v.a)
	switch rv.Kind() {
	case reflect.String:
		return utf8.RuneCountInString(rv.String()), nil
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
		return rv.Len(), nil
	case reflect.Pointer:
		if !rv.IsNil() && rv.Elem().Kind() == reflect.Array {
			return rv.Elem().Len(), nil
		}
	}
	return 0, typeErrorf("object of type '%s' has no len()", typeName(v))
}

// indexInt converts a subscript to an int, Python's __index__.
func indexInt(i value, what string) (int64, error) {
	s := scalar(i)
	switch s.k {
	case kInt, kBool:
		return s.n, nil
	case kBig:
		return 0, exc("IndexError", "cannot fit 'int' into an index-sized integer")
	}
	return 0, typeErrorf("%s indices must be integers or slices, not %s", what, typeName(i))
}

// getItem is Python's x[i].
func getItem(x, i value) (value, error) {
	switch x.k {
	case kStr:
		n, err := indexInt(i, "string")
		if err != nil {
			return value{}, err
		}
		return strIndex(x.s, n)
	case kAny:
	default:
		return value{}, typeErrorf("'%s' object is not subscriptable", typeName(x))
	}
	switch c := x.a.(type) {
	case map[string]any:
		k := scalar(i)
		if k.k != kStr {
			return value{}, keyError(i)
		}
		v, ok := c[k.s]
		if !ok {
			return value{}, keyError(i)
		}
		return fromAny(v), nil
	case []any:
		n, err := indexInt(i, "list")
		if err != nil {
			return value{}, err
		}
		if n < 0 {
			n += int64(len(c))
		}
		if n < 0 || n >= int64(len(c)) {
			return value{}, exc("IndexError", "list index out of range")
		}
		return fromAny(c[n]), nil
	case []byte:
		n, err := indexInt(i, "byte")
		if err != nil {
			return value{}, err
		}
		if n < 0 {
			n += int64(len(c))
		}
		if n < 0 || n >= int64(len(c)) {
			return value{}, exc("IndexError", "index out of range")
		}
		return intV(int64(c[n])), nil
	case rangeVal:
		n, err := indexInt(i, "range")
		if err != nil {
			return value{}, err
		}
		l := c.length()
		if n < 0 {
			n += l
		}
		if n < 0 || n >= l {
			return value{}, exc("IndexError", "range object index out of range")
		}
		return intV(c.start + n*c.step), nil
	}
	if m, ok := mappingOf(x); ok {
		v, found, err := m.get(i)
		if err != nil {
			return value{}, err
		}
		if !found {
			return value{}, keyError(i)
		}
		return v, nil
	}
	if s, ok := seqOf(x); ok {
		what := "list"
		if s.tuple {
			what = "tuple"
		}
		n, err := indexInt(i, what)
		if err != nil {
			return value{}, err
		}
		if n < 0 {
			n += int64(s.n)
		}
		if n < 0 || n >= int64(s.n) {
			return value{}, exc("IndexError", "%s index out of range", what)
		}
		return s.at(int(n)), nil
	}
	if sx := scalar(x); sx.k == kStr {
		return getItem(sx, i)
	}
	return value{}, typeErrorf("'%s' object is not subscriptable", typeName(x))
}

// strIndex indexes a string by code point.
func strIndex(s string, n int64) (value, error) {
	if isASCII(s) {
		if n < 0 {
			n += int64(len(s))
		}
		if n < 0 || n >= int64(len(s)) {
			return value{}, exc("IndexError", "string index out of range")
		}
		return strV(s[n : n+1]), nil
	}
	rs := []rune(s)
	if n < 0 {
		n += int64(len(rs))
	}
	if n < 0 || n >= int64(len(rs)) {
		return value{}, exc("IndexError", "string index out of range")
	}
	return strV(string(rs[n])), nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// sliceIndices is Python's slice.indices(n): the start, stop, step and item
// count a slice selects from a sequence of length n.
func sliceIndices(lo, hi, st value, n int) (start, stop, step, count int, err error) {
	step = 1
	if st.k != kUnset && st.k != kNone {
		s, err := indexInt(st, "slice")
		if err != nil {
			return 0, 0, 0, 0, err
		}
		if s == 0 {
			return 0, 0, 0, 0, valueErrorf("slice step cannot be zero")
		}
		step = int(clamp(s, -1<<40, 1<<40))
	}
	bound := func(v value, def int) (int, error) {
		if v.k == kUnset || v.k == kNone {
			return def, nil
		}
		i, err := indexInt(v, "slice")
		if err != nil {
			return 0, err
		}
		i = clamp(i, -1<<40, 1<<40)
		if i < 0 {
			i += int64(n)
			if i < 0 {
				if step < 0 {
					return -1, nil
				}
				return 0, nil
			}
		}
		if i >= int64(n) {
			if step < 0 {
				return n - 1, nil
			}
			return n, nil
		}
		return int(i), nil
	}
	if step > 0 {
		if start, err = bound(lo, 0); err == nil {
			stop, err = bound(hi, n)
		}
		if err == nil && stop > start {
			count = (stop - start + step - 1) / step
		}
	} else {
		if start, err = bound(lo, n-1); err == nil {
			stop, err = bound(hi, -1)
		}
		if err == nil && start > stop {
			count = (start - stop - step - 1) / -step
		}
	}
	return start, stop, step, count, err
}

func clamp(i, lo, hi int64) int64 {
	return max(lo, min(i, hi))
}

// getSlice is Python's x[lo:hi:step].
func getSlice(x, lo, hi, st value) (value, error) {
	sx := scalar(x)
	if sx.k == kStr {
		s := sx.s
		if isASCII(s) {
			start, _, step, count, err := sliceIndices(lo, hi, st, len(s))
			if err != nil {
				return value{}, err
			}
			if step == 1 {
				return strV(s[start : start+count]), nil
			}
			b := make([]byte, count)
			for i := range b {
				b[i] = s[start+i*step]
			}
			return strV(string(b)), nil
		}
		rs := []rune(s)
		start, _, step, count, err := sliceIndices(lo, hi, st, len(rs))
		if err != nil {
			return value{}, err
		}
		out := make([]rune, count)
		for i := range out {
			out[i] = rs[start+i*step]
		}
		return strV(string(out)), nil
	}
	if b, ok := x.a.([]byte); ok {
		start, _, step, count, err := sliceIndices(lo, hi, st, len(b))
		if err != nil {
			return value{}, err
		}
		out := make([]byte, count)
		for i := range out {
			out[i] = b[start+i*step]
		}
		return anyV(out), nil
	}
	if r, ok := x.a.(rangeVal); ok {
		start, _, step, count, err := sliceIndices(lo, hi, st, int(r.length()))
		if err != nil {
			return value{}, err
		}
		ns := r.start + int64(start)*r.step
		return anyV(rangeVal{start: ns, stop: ns + int64(count)*r.step*int64(step), step: r.step * int64(step)}), nil
	}
	s, ok := seqOf(x)
	if !ok {
		return value{}, typeErrorf("'%s' object is not subscriptable", typeName(x))
	}
	start, _, step, count, err := sliceIndices(lo, hi, st, s.n)
	if err != nil {
		return value{}, err
	}
	items := make([]value, count)
	for i := range items {
		items[i] = s.at(start + i*step)
	}
	if s.tuple {
		return anyV(tupleVal(items)), nil
	}
	return anyV(&listVal{items: items}), nil
}
