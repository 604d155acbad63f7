package template

import (
	"reflect"
	"slices"
)

// forMode says how a for loop binds its target.
type forMode uint8

const (
	forSlot   forMode = iota // one name
	forAssign                // a tuple target, unpacked
	forEnum                  // `for i, x in enumerate(xs[, start])`
	forItems                 // `for k, v in m.items()`
)

// forLoop is a compiled {% for %}. The loop is written out for the common
// iterables so that iterating allocates nothing per item.
type forLoop struct {
	id           int // index of this loop's sorted-keys cache in the frame
	pos          *srcPos
	iter         evalFn
	mode         forMode
	slot         int
	slotA, slotB int
	assign       assignFn
	body, orElse execFn

	src       evalFn // forEnum: the iterable; forItems: the mapping
	enumStart evalFn // forEnum: start, or nil
	enumSlot  int    // forEnum: global slot of `enumerate`
}

func (c *compiler) forStmt(n *forNode) (execFn, error) {
	l := &forLoop{id: c.nLoops, pos: c.pos(n.line, n.code), iter: c.expr(n.iter)}
	c.nLoops++
	switch t := n.target.(type) {
	case *tgName:
		l.mode = forSlot
		l.slot, _ = c.lookup(t.name)
	default:
		l.mode = forAssign
		l.assign = c.assignTarget(t)
		if a, b, ok := twoNames(n.target); ok {
			l.slotA, _ = c.lookup(a)
			l.slotB, _ = c.lookup(b)
			if call, ok := n.iter.(*eCall); ok && len(call.kwNames) == 0 {
				switch fn := call.fn.(type) {
				case *eAttr:
					if fn.name == "items" && len(call.args) == 0 {
						l.mode, l.src = forItems, c.expr(fn.x)
					}
				case *eName:
					if slot, local := c.lookup(fn.name); fn.name == "enumerate" && !local && (len(call.args) == 1 || len(call.args) == 2) {
						l.mode, l.src, l.enumSlot = forEnum, c.expr(call.args[0]), slot
						if len(call.args) == 2 {
							l.enumStart = c.expr(call.args[1])
						}
					}
				}
			}
		}
	}
	var err error
	if l.body, err = c.body(n.body); err != nil {
		return nil, err
	}
	if n.orElse != nil {
		if l.orElse, err = c.body(n.orElse); err != nil {
			return nil, err
		}
	}
	return l.exec, nil
}

func twoNames(t target) (string, string, bool) {
	tup, ok := t.(*tgTuple)
	if !ok || len(tup.items) != 2 {
		return "", "", false
	}
	a, ok1 := tup.items[0].(*tgName)
	b, ok2 := tup.items[1].(*tgName)
	if !ok1 || !ok2 {
		return "", "", false
	}
	return a.name, b.name, true
}

func (l *forLoop) exec(fr *frame) ctl {
	fr.cur = l.pos
	var r ctl
	switch l.mode {
	case forItems:
		m, err := l.src(fr)
		if err != nil {
			return fr.fail(err, l.pos)
		}
		if _, ok := mappingOf(m); ok {
			r = l.items(fr, m)
			break
		}
		v, err := callMethod(fr, m, "items", nil, nil, nil, nil)
		if err != nil {
			return fr.fail(err, l.pos)
		}
		r = l.run(fr, v, forAssign, 0)
	case forEnum:
		if f := fr.globals[l.enumSlot]; f.k != kBuiltin || f.n != biEnumerate {
			v, err := l.iter(fr)
			if err != nil {
				return fr.fail(err, l.pos)
			}
			r = l.run(fr, v, forAssign, 0)
			break
		}
		v, err := l.src(fr)
		if err != nil {
			return fr.fail(err, l.pos)
		}
		start := int64(0)
		if l.enumStart != nil {
			s, err := l.enumStart(fr)
			if err != nil {
				return fr.fail(err, l.pos)
			}
			if start, err = argInt("enumerate", s); err != nil {
				return fr.fail(err, l.pos)
			}
		}
		r = l.run(fr, v, forEnum, start)
	default:
		v, err := l.iter(fr)
		if err != nil {
			return fr.fail(err, l.pos)
		}
		r = l.run(fr, v, l.mode, 0)
	}
	switch r {
	case ctlErr:
		return ctlErr
	case ctlBreak:
		return ctlNext
	}
	if l.orElse != nil {
		return l.orElse(fr)
	}
	return ctlNext
}

// step binds one item and runs the body. It returns ctlNext to go on,
// ctlBreak after a break, ctlErr on an error.
func (l *forLoop) step(fr *frame, mode forMode, i int64, item value) ctl {
	switch mode {
	case forSlot:
		fr.locals[l.slot] = item
	case forEnum:
		fr.locals[l.slotA] = intV(i)
		fr.locals[l.slotB] = item
	default:
		if err := l.assign(fr, item); err != nil {
			return fr.fail(err, l.pos)
		}
	}
	switch l.body(fr) {
	case ctlBreak:
		return ctlBreak
	case ctlErr:
		return ctlErr
	}
	return ctlNext
}

func (l *forLoop) stepPair(fr *frame, a, b value) ctl {
	fr.locals[l.slotA] = a
	fr.locals[l.slotB] = b
	switch l.body(fr) {
	case ctlBreak:
		return ctlBreak
	case ctlErr:
		return ctlErr
	}
	return ctlNext
}

// run iterates v. It returns ctlNext when the loop ran to its end.
func (l *forLoop) run(fr *frame, v value, mode forMode, start int64) ctl {
	i := start
	if v.k == kAny {
		switch x := v.a.(type) {
		case []any:
			for _, e := range x {
				if r := l.step(fr, mode, i, fromAny(e)); r != ctlNext {
					return r
				}
				i++
			}
			return ctlNext
		case []map[string]any:
			for _, e := range x {
				if r := l.step(fr, mode, i, anyV(e)); r != ctlNext {
					return r
				}
				i++
			}
			return ctlNext
		case *listVal:
			for j := 0; j < len(x.items); j++ {
				if r := l.step(fr, mode, i, x.items[j]); r != ctlNext {
					return r
				}
				i++
			}
			return ctlNext
		case tupleVal:
			for _, e := range x {
				if r := l.step(fr, mode, i, e); r != ctlNext {
					return r
				}
				i++
			}
			return ctlNext
		case []string:
			for _, e := range x {
				if r := l.step(fr, mode, i, strV(e)); r != ctlNext {
					return r
				}
				i++
			}
			return ctlNext
		case []int:
			for _, e := range x {
				if r := l.step(fr, mode, i, intV(int64(e))); r != ctlNext {
					return r
				}
				i++
			}
			return ctlNext
		case rangeVal:
			n := x.length()
			for j, e := int64(0), x.start; j < n; j, e = j+1, e+x.step {
				if r := l.step(fr, mode, i, intV(e)); r != ctlNext {
					return r
				}
				i++
			}
			return ctlNext
		case map[string]any:
			for _, k := range fr.sortedKeys(l.id, x) {
				if r := l.step(fr, mode, i, strV(k)); r != ctlNext {
					return r
				}
				i++
			}
			return ctlNext
		}
	}
	return l.runGeneric(fr, v, mode, i)
}

// runGeneric iterates anything forEach accepts. It is apart from run so
// that the closure's captured counter does not make run allocate.
func (l *forLoop) runGeneric(fr *frame, v value, mode forMode, i int64) ctl {
	r := ctlNext
	err := forEach(v, func(item value) bool {
		r = l.step(fr, mode, i, item)
		i++
		return r == ctlNext
	})
	if err != nil {
		return fr.fail(err, l.pos)
	}
	return r
}

// items iterates a mapping's (key, value) pairs: Go maps in sorted key
// order, template dicts in insertion order.
func (l *forLoop) items(fr *frame, m value) ctl {
	switch x := m.a.(type) {
	case map[string]any:
		for _, k := range fr.sortedKeys(l.id, x) {
			if r := l.stepPair(fr, strV(k), fromAny(x[k])); r != ctlNext {
				return r
			}
		}
		return ctlNext
	case *dictVal:
		keys, vals := slices.Clone(x.keys), slices.Clone(x.vals)
		for j := range keys {
			if r := l.stepPair(fr, keys[j], vals[j]); r != ctlNext {
				return r
			}
		}
		return ctlNext
	}
	rv := reflect.ValueOf(m.a)
	for _, k := range sortedMapKeys(rv) {
		if r := l.stepPair(fr, fromReflect(k), fromReflect(rv.MapIndex(k))); r != ctlNext {
			return r
		}
	}
	return ctlNext
}

// sortedKeys returns m's keys in sorted order. Each loop keeps the last
// order it computed: rows of a table usually share their keys, and then
// checking that m has exactly those keys is cheaper than sorting again. A
// loop never runs inside itself (templates cannot recurse), so the cached
// slice is not overwritten while it is iterated.
func (fr *frame) sortedKeys(loop int, m map[string]any) []string {
	prev := fr.loopKeys[loop]
	if len(prev) == len(m) && len(prev) > 0 {
		same := true
		for _, k := range prev {
			if _, ok := m[k]; !ok {
				same = false
				break
			}
		}
		if same {
			return prev
		}
	}
	keys := prev[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fr.loopKeys[loop] = keys
	return keys
}
