package template

// Expressions compile to closures. Names resolve at compile time to a local
// slot (set and for variables, as Python's compiler decides: a name
// assigned anywhere in the function is local throughout) or a global slot
// (filled once per render from the render vars, the namespace and the
// builtins), so evaluating a name is an array read.

// scope is one Python function scope (the template body, an apply body) or a
// comprehension's scope.
type scope struct {
	parent *scope
	names  map[string]int // local name → slot
	slots  []int          // the slots this scope owns, reset on entry
}

func (c *compiler) newScope(parent *scope, names map[string]bool) *scope {
	s := &scope{parent: parent, names: make(map[string]int, len(names))}
	for _, n := range sortedNames(names) {
		s.names[n] = c.nLocals
		s.slots = append(s.slots, c.nLocals)
		c.nLocals++
	}
	return s
}

// lookup resolves a name: local slot, or global slot.
func (c *compiler) lookup(name string) (slot int, local bool) {
	for s := c.sc; s != nil; s = s.parent {
		if slot, ok := s.names[name]; ok {
			return slot, true
		}
	}
	if g, ok := c.globalIdx[name]; ok {
		return g, false
	}
	g := len(c.globals)
	c.globals = append(c.globals, name)
	c.globalIdx[name] = g
	return g, false
}

func unboundError(name string) error {
	return exc("UnboundLocalError", "cannot access local variable '%s' where it is not associated with a value", name)
}

func undefinedError(name string) error {
	if name == modulesName {
		return exc("NameError", "name 'modules' is not defined ({%% module %%} calls into the modules entry of the namespace)")
	}
	return exc("NameError", "name '%s' is not defined", name)
}

// expr compiles an expression.
func (c *compiler) expr(e expr) evalFn {
	switch e := e.(type) {
	case *eConst:
		v := e.v
		return func(*frame) (value, error) { return v, nil }
	case *eName:
		name := e.name
		slot, local := c.lookup(name)
		if local {
			return func(fr *frame) (value, error) {
				v := fr.locals[slot]
				if v.k == kUnset {
					return v, unboundError(name)
				}
				return v, nil
			}
		}
		return func(fr *frame) (value, error) {
			v := fr.globals[slot]
			if v.k == kUnset {
				return v, undefinedError(name)
			}
			return v, nil
		}
	case *eAttr:
		x := c.expr(e.x)
		name := e.name
		site := &attrSite{}
		return func(fr *frame) (value, error) {
			v, err := x(fr)
			if err != nil {
				return v, err
			}
			return getAttr(v, name, site)
		}
	case *eIndex:
		x, idx := c.expr(e.x), c.expr(e.idx)
		return func(fr *frame) (value, error) {
			v, err := x(fr)
			if err != nil {
				return v, err
			}
			i, err := idx(fr)
			if err != nil {
				return i, err
			}
			return getItem(v, i)
		}
	case *eSlice:
		x := c.expr(e.x)
		lo, hi, st := c.optExpr(e.lo), c.optExpr(e.hi), c.optExpr(e.step)
		return func(fr *frame) (value, error) {
			v, err := x(fr)
			if err != nil {
				return v, err
			}
			var parts [3]value
			for i, p := range [3]evalFn{lo, hi, st} {
				if p != nil {
					if parts[i], err = p(fr); err != nil {
						return value{}, err
					}
				}
			}
			return getSlice(v, parts[0], parts[1], parts[2])
		}
	case *eCall:
		return c.call(e)
	case *eUnary:
		x := c.expr(e.x)
		var op func(value) (value, error)
		switch e.op {
		case "not":
			return func(fr *frame) (value, error) {
				v, err := x(fr)
				if err != nil {
					return v, err
				}
				return boolV(!truth(v)), nil
			}
		case "-":
			op = negate
		case "+":
			op = unaryPlus
		default:
			op = invert
		}
		return func(fr *frame) (value, error) {
			v, err := x(fr)
			if err != nil {
				return v, err
			}
			return op(v)
		}
	case *eBinary:
		l, r := c.expr(e.l), c.expr(e.r)
		op := binOps[e.op]
		return func(fr *frame) (value, error) {
			a, err := l(fr)
			if err != nil {
				return a, err
			}
			b, err := r(fr)
			if err != nil {
				return b, err
			}
			return arith(op, a, b)
		}
	case *eBool:
		l, r := c.expr(e.l), c.expr(e.r)
		and := e.and
		return func(fr *frame) (value, error) {
			a, err := l(fr)
			if err != nil || truth(a) != and {
				return a, err
			}
			return r(fr)
		}
	case *eCompare:
		operands := make([]evalFn, len(e.operands))
		for i, o := range e.operands {
			operands[i] = c.expr(o)
		}
		ops := e.ops
		if len(ops) == 1 {
			l, r, op := operands[0], operands[1], ops[0]
			return func(fr *frame) (value, error) {
				a, err := l(fr)
				if err != nil {
					return a, err
				}
				b, err := r(fr)
				if err != nil {
					return b, err
				}
				ok, err := compareOp(op, a, b)
				return boolV(ok), err
			}
		}
		return func(fr *frame) (value, error) {
			a, err := operands[0](fr)
			if err != nil {
				return a, err
			}
			for i, op := range ops {
				b, err := operands[i+1](fr)
				if err != nil {
					return b, err
				}
				ok, err := compareOp(op, a, b)
				if err != nil || !ok {
					return boolV(false), err
				}
				a = b
			}
			return boolV(true), nil
		}
	case *eCond:
		cond, a, b := c.expr(e.cond), c.expr(e.a), c.expr(e.b)
		return func(fr *frame) (value, error) {
			v, err := cond(fr)
			if err != nil {
				return v, err
			}
			if truth(v) {
				return a(fr)
			}
			return b(fr)
		}
	case *eList, *eTuple:
		var items []expr
		isTuple := false
		if l, ok := e.(*eList); ok {
			items = l.items
		} else {
			items, isTuple = e.(*eTuple).items, true
		}
		fns := c.exprs(items)
		return func(fr *frame) (value, error) {
			out := make([]value, len(fns))
			for i, f := range fns {
				v, err := f(fr)
				if err != nil {
					return v, err
				}
				out[i] = v
			}
			if isTuple {
				return anyV(tupleVal(out)), nil
			}
			return anyV(&listVal{items: out}), nil
		}
	case *eDict:
		keys, vals := c.exprs(e.keys), c.exprs(e.vals)
		return func(fr *frame) (value, error) {
			d := newDict(len(keys))
			for i := range keys {
				k, err := keys[i](fr)
				if err != nil {
					return k, err
				}
				v, err := vals[i](fr)
				if err != nil {
					return v, err
				}
				if err := d.set(k, v); err != nil {
					return value{}, err
				}
			}
			return anyV(d), nil
		}
	case *eComp:
		return c.comprehension(e)
	case *eLambda:
		return c.lambda(e)
	}
	panic("template: unknown expression node")
}

func (c *compiler) optExpr(e expr) evalFn {
	if e == nil {
		return nil
	}
	return c.expr(e)
}

func (c *compiler) exprs(es []expr) []evalFn {
	out := make([]evalFn, len(es))
	for i, e := range es {
		out[i] = c.expr(e)
	}
	return out
}

// call compiles a call: a method call when the callee is an attribute,
// otherwise a call of the callee's value. Arguments are evaluated onto the
// frame's argument stack.
func (c *compiler) call(e *eCall) evalFn {
	args := c.exprs(e.args)
	kwVals := c.exprs(e.kwVals)
	kwNames := e.kwNames
	nArgs := len(args)
	evalArgs := func(fr *frame) (int, error) {
		base := len(fr.args)
		for _, a := range args {
			v, err := a(fr)
			if err != nil {
				fr.args = fr.args[:base]
				return base, err
			}
			fr.pushArg(v)
		}
		for _, a := range kwVals {
			v, err := a(fr)
			if err != nil {
				fr.args = fr.args[:base]
				return base, err
			}
			fr.pushArg(v)
		}
		return base, nil
	}
	if attr, ok := e.fn.(*eAttr); ok {
		recv := c.expr(attr.x)
		name := attr.name
		site := &attrSite{}
		return func(fr *frame) (value, error) {
			x, err := recv(fr)
			if err != nil {
				return x, err
			}
			base, err := evalArgs(fr)
			if err != nil {
				return value{}, err
			}
			all := fr.args[base:]
			v, err := callMethod(fr, x, name, site, all[:nArgs], kwNames, all[nArgs:])
			fr.args = fr.args[:base]
			return v, err
		}
	}
	fn := c.expr(e.fn)
	return func(fr *frame) (value, error) {
		f, err := fn(fr)
		if err != nil {
			return f, err
		}
		base, err := evalArgs(fr)
		if err != nil {
			return value{}, err
		}
		all := fr.args[base:]
		v, err := callValue(fr, f, all[:nArgs], kwNames, all[nArgs:])
		fr.args = fr.args[:base]
		return v, err
	}
}

// comprehension compiles [elt for ... in ... if ...] and generator
// expressions (built eagerly into a list). Its targets live in their own
// scope, as in Python 3; the first iterable is evaluated outside it.
func (c *compiler) comprehension(e *eComp) evalFn {
	firstIter := c.expr(e.clauses[0].iter)
	names := map[string]bool{}
	for _, cl := range e.clauses {
		targetNames(cl.target, names)
	}
	outer := c.sc
	c.sc = c.newScope(outer, names)
	defer func() { c.sc = outer }()
	type compiled struct {
		iter   evalFn
		assign assignFn
		conds  []evalFn
	}
	clauses := make([]compiled, len(e.clauses))
	for i, cl := range e.clauses {
		clauses[i].assign = c.assignTarget(cl.target)
		clauses[i].conds = c.exprs(cl.conds)
		if i > 0 {
			clauses[i].iter = c.expr(cl.iter)
		}
	}
	elt := c.expr(e.elt)
	return func(fr *frame) (value, error) {
		first, err := firstIter(fr)
		if err != nil {
			return first, err
		}
		var out []value
		var run func(level int, it value) error
		run = func(level int, it value) error {
			cl := clauses[level]
			var ferr error
			err := forEach(it, func(item value) bool {
				if ferr = cl.assign(fr, item); ferr != nil {
					return false
				}
				for _, cond := range cl.conds {
					v, err := cond(fr)
					if err != nil {
						ferr = err
						return false
					}
					if !truth(v) {
						return true
					}
				}
				if level+1 < len(clauses) {
					next, err := clauses[level+1].iter(fr)
					if err != nil {
						ferr = err
						return false
					}
					ferr = run(level+1, next)
					return ferr == nil
				}
				v, err := elt(fr)
				if err != nil {
					ferr = err
					return false
				}
				out = append(out, v)
				if len(out) > maxRepeatLen {
					ferr = exc("MemoryError", "comprehension too long")
					return false
				}
				return true
			})
			if err != nil {
				return err
			}
			return ferr
		}
		if err := run(0, first); err != nil {
			return value{}, err
		}
		return anyV(&listVal{items: out}), nil
	}
}

// assignFn stores a value into a target.
type assignFn func(fr *frame, v value) error

func (c *compiler) assignTarget(t target) assignFn {
	switch t := t.(type) {
	case *tgName:
		slot, local := c.lookup(t.name)
		if !local {
			panic("template: assignment target not declared: " + t.name)
		}
		return func(fr *frame, v value) error {
			fr.locals[slot] = v
			return nil
		}
	case *tgTuple:
		subs := make([]assignFn, len(t.items))
		for i, it := range t.items {
			subs[i] = c.assignTarget(it)
		}
		n := len(subs)
		return func(fr *frame, v value) error {
			if s, ok := seqOf(v); ok {
				if s.n != n {
					return unpackError(n, s.n)
				}
				for i, sub := range subs {
					if err := sub(fr, s.at(i)); err != nil {
						return err
					}
				}
				return nil
			}
			items, err := collect(v)
			if err != nil {
				return typeErrorf("cannot unpack non-iterable %s object", typeName(v))
			}
			if len(items) != n {
				return unpackError(n, len(items))
			}
			for i, sub := range subs {
				if err := sub(fr, items[i]); err != nil {
					return err
				}
			}
			return nil
		}
	}
	panic("template: unknown assignment target")
}

func unpackError(want, got int) error {
	if got > want {
		return valueErrorf("too many values to unpack (expected %d)", want)
	}
	return valueErrorf("not enough values to unpack (expected %d, got %d)", want, got)
}

// targetNames adds the names a target assigns.
func targetNames(t target, names map[string]bool) {
	switch t := t.(type) {
	case *tgName:
		names[t.name] = true
	case *tgTuple:
		for _, it := range t.items {
			targetNames(it, names)
		}
	}
}

// lambdaVal is a template lambda. It runs on the frame of the render that
// calls it; only the template's own builtins and methods (sorted's key,
// min, max ...) can call it, not Go functions.
type lambdaVal struct {
	slots []int
	body  evalFn
}

// lambda compiles `lambda params: body`: the parameters live in their own
// scope, other names resolve in the enclosing one.
func (c *compiler) lambda(e *eLambda) evalFn {
	names := map[string]bool{}
	for _, p := range e.params {
		names[p] = true
	}
	outer := c.sc
	c.sc = c.newScope(outer, names)
	slots := make([]int, len(e.params))
	for i, p := range e.params {
		slots[i] = c.sc.names[p]
	}
	body := c.expr(e.body)
	c.sc = outer
	v := anyV(&lambdaVal{slots: slots, body: body})
	return func(*frame) (value, error) { return v, nil }
}

func (l *lambdaVal) call(fr *frame, args []value, kwNames []string) (value, error) {
	if len(kwNames) > 0 {
		return value{}, typeErrorf("<lambda>() takes no keyword arguments")
	}
	if len(args) != len(l.slots) {
		return value{}, typeErrorf("<lambda>() takes %d positional argument%s but %d were given", len(l.slots), plural(len(l.slots)), len(args))
	}
	// Save the slots: the lambda may be running inside itself (a key
	// function calling sorted with the same lambda).
	var saved [maxParams]value
	for i, s := range l.slots {
		if i < maxParams {
			saved[i] = fr.locals[s]
		}
		fr.locals[s] = args[i]
	}
	v, err := l.body(fr)
	for i, s := range l.slots {
		if i < maxParams {
			fr.locals[s] = saved[i]
		}
	}
	return v, err
}
