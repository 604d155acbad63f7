package template

// Constant folding: operators over literals are computed once, at compile
// time, when that cannot fail. An operation that fails (1/0) is left for
// render time, where its error names the template line.

func foldTuple(items []expr) expr {
	vals := make(tupleVal, len(items))
	for i, it := range items {
		c, ok := it.(*eConst)
		if !ok {
			return &eTuple{items: items}
		}
		vals[i] = c.v
	}
	return &eConst{v: anyV(vals)}
}

func foldUnary(op string, x expr) expr {
	c, ok := x.(*eConst)
	if !ok {
		return &eUnary{op: op, x: x}
	}
	var v value
	var err error
	switch op {
	case "not":
		return &eConst{v: boolV(!truth(c.v))}
	case "-":
		v, err = negate(c.v)
	case "+":
		v, err = unaryPlus(c.v)
	default:
		v, err = invert(c.v)
	}
	if err != nil {
		return &eUnary{op: op, x: x}
	}
	return &eConst{v: v}
}

func foldBinary(op string, l, r expr) expr {
	a, ok1 := l.(*eConst)
	b, ok2 := r.(*eConst)
	if ok1 && ok2 && isFoldable(a.v) && isFoldable(b.v) {
		if v, err := arith(binOps[op], a.v, b.v); err == nil && isFoldable(v) {
			return &eConst{v: v}
		}
	}
	return &eBinary{op: op, l: l, r: r}
}

// isFoldable reports whether a constant is immutable: scalars and tuples
// of scalars, not lists.
func isFoldable(v value) bool {
	if v.k != kAny {
		return true
	}
	t, ok := v.a.(tupleVal)
	if !ok {
		return false
	}
	for _, it := range t {
		if !isFoldable(it) {
			return false
		}
	}
	return true
}
