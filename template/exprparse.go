package template

import (
	"fmt"
	"strings"
)

// The expression syntax tree. Every node is compiled once, at template
// compile time, into a Go closure (compileexpr.go).
type expr interface{}

type (
	eConst struct{ v value }
	eName  struct{ name string }
	eAttr  struct {
		x    expr
		name string
	}
	eIndex struct{ x, idx expr }
	eSlice struct{ x, lo, hi, step expr } // nil parts are omitted bounds
	eCall  struct {
		fn      expr
		args    []expr
		kwNames []string
		kwVals  []expr
	}
	eUnary struct {
		op string // "-", "+", "~", "not"
		x  expr
	}
	eBinary struct {
		op   string
		l, r expr
	}
	eBool struct { // and / or, short-circuit
		and  bool
		l, r expr
	}
	eCompare struct {
		operands []expr // len(ops)+1
		ops      []string
	}
	eCond   struct{ cond, a, b expr } // a if cond else b
	eList   struct{ items []expr }
	eTuple  struct{ items []expr }
	eDict   struct{ keys, vals []expr }
	eLambda struct {
		params []string
		body   expr
	}
	eComp struct { // list comprehension or generator expression
		elt     expr
		clauses []compClause
	}
)

type compClause struct {
	target target
	iter   expr
	conds  []expr
}

// target is the left side of an assignment or a for: a name or a
// (possibly nested) tuple of targets.
type target interface{}

type (
	tgName  struct{ name string }
	tgTuple struct{ items []target }
)

// exprParser is a recursive-descent parser for Python's expression grammar,
// restricted to what templates need.
type exprParser struct {
	toks  []token
	p     int
	depth int
}

// maxExprDepth bounds how deeply an expression nests (parentheses,
// brackets, unary operators). CPython's parser gives up at 200 nested
// parentheses; so do we, rather than recursing without limit.
const maxExprDepth = 200

func newExprParser(src string) (*exprParser, error) {
	toks, err := lexExpr(src)
	if err != nil {
		return nil, err
	}
	return &exprParser{toks: toks}, nil
}

// parseExpr parses a whole expression source (a bare tuple is allowed, as
// in Python's expression statements).
func parseExpr(src string) (expr, error) {
	ps, err := newExprParser(src)
	if err != nil {
		return nil, err
	}
	e, err := ps.exprList()
	if err != nil {
		return nil, err
	}
	if err := ps.expectEOF(); err != nil {
		return nil, err
	}
	return e, nil
}

func (ps *exprParser) peek() token { return ps.toks[ps.p] }

func (ps *exprParser) next() token {
	t := ps.toks[ps.p]
	if t.kind != tEOF {
		ps.p++
	}
	return t
}

func (ps *exprParser) isOp(op string) bool {
	t := ps.toks[ps.p]
	return t.kind == tOp && t.text == op
}

func (ps *exprParser) isKeyword(kw string) bool {
	t := ps.toks[ps.p]
	return t.kind == tName && t.text == kw
}

func (ps *exprParser) acceptOp(op string) bool {
	if ps.isOp(op) {
		ps.p++
		return true
	}
	return false
}

func (ps *exprParser) acceptKeyword(kw string) bool {
	if ps.isKeyword(kw) {
		ps.p++
		return true
	}
	return false
}

func (ps *exprParser) expectOp(op string) error {
	if !ps.acceptOp(op) {
		return ps.unexpected(fmt.Sprintf("expected '%s'", op))
	}
	return nil
}

func (ps *exprParser) expectEOF() error {
	if ps.peek().kind != tEOF {
		return ps.unexpected("")
	}
	return nil
}

func (ps *exprParser) unexpected(want string) error {
	t := ps.peek()
	var what string
	switch t.kind {
	case tEOF:
		what = "unexpected end of expression"
	case tStr, tBytes:
		what = "unexpected string literal"
	case tInt, tFloat:
		what = "unexpected number"
	default:
		what = fmt.Sprintf("unexpected '%s'", t.text)
	}
	if want != "" {
		what += " (" + want + ")"
	}
	return fmt.Errorf("invalid syntax: %s", what)
}

// reserved are Python keywords that cannot be used as names.
var reserved = map[string]bool{
	"and": true, "as": true, "assert": true, "async": true, "await": true, "break": true,
	"class": true, "continue": true, "def": true, "del": true, "elif": true, "else": true,
	"except": true, "finally": true, "for": true, "from": true, "global": true, "if": true,
	"import": true, "in": true, "is": true, "lambda": true, "nonlocal": true, "not": true,
	"or": true, "pass": true, "raise": true, "return": true, "try": true, "while": true,
	"with": true, "yield": true, "None": true, "True": true, "False": true,
}

// exprList parses `expr (, expr)* [,]`, a tuple when there is a comma.
func (ps *exprParser) exprList() (expr, error) {
	first, err := ps.test()
	if err != nil {
		return nil, err
	}
	if !ps.isOp(",") {
		return first, nil
	}
	items := []expr{first}
	for ps.acceptOp(",") {
		if ps.atExprEnd() {
			break
		}
		e, err := ps.test()
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	return foldTuple(items), nil
}

// atExprEnd reports whether the next token cannot start an expression.
func (ps *exprParser) atExprEnd() bool {
	t := ps.peek()
	if t.kind == tEOF {
		return true
	}
	if t.kind == tOp {
		switch t.text {
		case ")", "]", "}", "=", ":":
			return true
		}
	}
	return t.kind == tName && (t.text == "in" || t.text == "for" || t.text == "if" || t.text == "as")
}

// test parses a conditional expression: `a if c else b`, or anything below.
func (ps *exprParser) test() (expr, error) {
	if ps.acceptKeyword("lambda") {
		return ps.lambda()
	}
	e, err := ps.orTest()
	if err != nil {
		return nil, err
	}
	if !ps.acceptKeyword("if") {
		return e, nil
	}
	cond, err := ps.orTest()
	if err != nil {
		return nil, err
	}
	if !ps.acceptKeyword("else") {
		return nil, ps.unexpected("expected 'else'")
	}
	other, err := ps.test()
	if err != nil {
		return nil, err
	}
	return &eCond{cond: cond, a: e, b: other}, nil
}

func (ps *exprParser) orTest() (expr, error) {
	l, err := ps.andTest()
	if err != nil {
		return nil, err
	}
	for ps.acceptKeyword("or") {
		r, err := ps.andTest()
		if err != nil {
			return nil, err
		}
		l = &eBool{and: false, l: l, r: r}
	}
	return l, nil
}

func (ps *exprParser) andTest() (expr, error) {
	l, err := ps.notTest()
	if err != nil {
		return nil, err
	}
	for ps.acceptKeyword("and") {
		r, err := ps.notTest()
		if err != nil {
			return nil, err
		}
		l = &eBool{and: true, l: l, r: r}
	}
	return l, nil
}

func (ps *exprParser) notTest() (expr, error) {
	if ps.acceptKeyword("not") {
		ps.depth++
		defer func() { ps.depth-- }()
		if ps.depth > maxExprDepth {
			return nil, fmt.Errorf("expression too deeply nested")
		}
		x, err := ps.notTest()
		if err != nil {
			return nil, err
		}
		return foldUnary("not", x), nil
	}
	return ps.comparison()
}

// compOp reads a comparison operator, if one is next.
func (ps *exprParser) compOp() (string, bool) {
	t := ps.peek()
	if t.kind == tOp {
		switch t.text {
		case "<", ">", "==", ">=", "<=", "!=":
			ps.p++
			return t.text, true
		}
		return "", false
	}
	if t.kind != tName {
		return "", false
	}
	switch t.text {
	case "in":
		ps.p++
		return "in", true
	case "is":
		ps.p++
		if ps.acceptKeyword("not") {
			return "is not", true
		}
		return "is", true
	case "not":
		if n := ps.toks[ps.p+1]; n.kind == tName && n.text == "in" {
			ps.p += 2
			return "not in", true
		}
	}
	return "", false
}

func (ps *exprParser) comparison() (expr, error) {
	first, err := ps.bitOr()
	if err != nil {
		return nil, err
	}
	var cmp *eCompare
	for {
		op, ok := ps.compOp()
		if !ok {
			break
		}
		r, err := ps.bitOr()
		if err != nil {
			return nil, err
		}
		if cmp == nil {
			cmp = &eCompare{operands: []expr{first}}
		}
		cmp.ops = append(cmp.ops, op)
		cmp.operands = append(cmp.operands, r)
	}
	if cmp == nil {
		return first, nil
	}
	return cmp, nil
}

// binaryLevels lists the binary operators from loosest to tightest below
// the comparisons; ** is handled separately (right-associative).
var binaryLevels = [][]string{
	{"|"},
	{"^"},
	{"&"},
	{"<<", ">>"},
	{"+", "-"},
	{"*", "/", "//", "%", "@"},
}

func (ps *exprParser) bitOr() (expr, error) { return ps.binary(0) }

func (ps *exprParser) binary(level int) (expr, error) {
	if level == len(binaryLevels) {
		return ps.unary()
	}
	l, err := ps.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t := ps.peek()
		if t.kind != tOp || !containsStr(binaryLevels[level], t.text) {
			return l, nil
		}
		if t.text == "@" {
			return nil, fmt.Errorf("invalid syntax: the @ operator is not supported")
		}
		ps.p++
		r, err := ps.binary(level + 1)
		if err != nil {
			return nil, err
		}
		l = foldBinary(t.text, l, r)
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (ps *exprParser) unary() (expr, error) {
	t := ps.peek()
	if t.kind == tOp && (t.text == "-" || t.text == "+" || t.text == "~") {
		ps.depth++
		defer func() { ps.depth-- }()
		if ps.depth > maxExprDepth {
			return nil, fmt.Errorf("expression too deeply nested")
		}
		ps.p++
		x, err := ps.unary()
		if err != nil {
			return nil, err
		}
		return foldUnary(t.text, x), nil
	}
	return ps.power()
}

func (ps *exprParser) power() (expr, error) {
	base, err := ps.primary()
	if err != nil {
		return nil, err
	}
	if ps.acceptOp("**") {
		exp, err := ps.unary()
		if err != nil {
			return nil, err
		}
		return foldBinary("**", base, exp), nil
	}
	return base, nil
}

// primary parses an atom followed by attribute, subscript and call trailers.
func (ps *exprParser) primary() (expr, error) {
	x, err := ps.atom()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case ps.acceptOp("."):
			t := ps.next()
			if t.kind != tName {
				ps.back(t)
				return nil, ps.unexpected("expected an attribute name")
			}
			x = &eAttr{x: x, name: t.text}
		case ps.acceptOp("["):
			idx, err := ps.subscript(x)
			if err != nil {
				return nil, err
			}
			x = idx
		case ps.acceptOp("("):
			call, err := ps.callArgs(x)
			if err != nil {
				return nil, err
			}
			x = call
		default:
			return x, nil
		}
	}
}

func (ps *exprParser) subscript(x expr) (expr, error) {
	var parts [3]expr
	n := 0 // number of ':' seen
	for {
		if ps.isOp(":") {
			if n == 2 {
				return nil, ps.unexpected("")
			}
			ps.p++
			n++
			continue
		}
		if ps.isOp("]") {
			break
		}
		if parts[n] != nil {
			return nil, ps.unexpected("expected ']'")
		}
		var e expr
		var err error
		if n == 0 {
			e, err = ps.exprList()
		} else {
			e, err = ps.test()
		}
		if err != nil {
			return nil, err
		}
		parts[n] = e
	}
	ps.p++ // ]
	if n == 0 {
		if parts[0] == nil {
			return nil, fmt.Errorf("invalid syntax: empty subscript")
		}
		return &eIndex{x: x, idx: parts[0]}, nil
	}
	return &eSlice{x: x, lo: parts[0], hi: parts[1], step: parts[2]}, nil
}

func (ps *exprParser) callArgs(fn expr) (expr, error) {
	call := &eCall{fn: fn}
	for !ps.acceptOp(")") {
		if ps.isOp("*") || ps.isOp("**") {
			return nil, fmt.Errorf("invalid syntax: *args and **kwargs are not supported in templates")
		}
		t := ps.peek()
		if t.kind == tName && ps.toks[ps.p+1].kind == tOp && ps.toks[ps.p+1].text == "=" {
			ps.p += 2
			v, err := ps.test()
			if err != nil {
				return nil, err
			}
			for _, k := range call.kwNames {
				if k == t.text {
					return nil, fmt.Errorf("keyword argument repeated: %s", t.text)
				}
			}
			call.kwNames = append(call.kwNames, t.text)
			call.kwVals = append(call.kwVals, v)
		} else {
			if len(call.kwNames) > 0 {
				return nil, fmt.Errorf("invalid syntax: positional argument follows keyword argument")
			}
			a, err := ps.test()
			if err != nil {
				return nil, err
			}
			if ps.isKeyword("for") {
				// A generator expression as the sole argument: f(x for x in y).
				comp, err := ps.compFor(a)
				if err != nil {
					return nil, err
				}
				if len(call.args) > 0 || !ps.isOp(")") {
					return nil, fmt.Errorf("invalid syntax: generator expression must be parenthesized")
				}
				a = comp
			}
			call.args = append(call.args, a)
		}
		if !ps.acceptOp(",") {
			if err := ps.expectOp(")"); err != nil {
				return nil, err
			}
			break
		}
	}
	return call, nil
}

// compFor parses the `for ... in ... [if ...]` clauses after elt.
func (ps *exprParser) compFor(elt expr) (expr, error) {
	comp := &eComp{elt: elt}
	for ps.acceptKeyword("for") {
		tg, err := ps.targetList()
		if err != nil {
			return nil, err
		}
		if !ps.acceptKeyword("in") {
			return nil, ps.unexpected("expected 'in'")
		}
		it, err := ps.orTest()
		if err != nil {
			return nil, err
		}
		cl := compClause{target: tg, iter: it}
		for ps.acceptKeyword("if") {
			c, err := ps.orTest()
			if err != nil {
				return nil, err
			}
			cl.conds = append(cl.conds, c)
		}
		comp.clauses = append(comp.clauses, cl)
	}
	return comp, nil
}

func (ps *exprParser) atom() (expr, error) {
	ps.depth++
	defer func() { ps.depth-- }()
	if ps.depth > maxExprDepth {
		return nil, fmt.Errorf("too many nested parentheses")
	}
	t := ps.next()
	switch t.kind {
	case tInt:
		if t.big != nil {
			return &eConst{v: bigV(t.big)}, nil
		}
		return &eConst{v: intV(t.i)}, nil
	case tFloat:
		return &eConst{v: floatV(t.f)}, nil
	case tStr, tBytes:
		s, isBytes := t.text, t.kind == tBytes
		// Adjacent literals concatenate.
		for {
			n := ps.peek()
			if n.kind != tStr && n.kind != tBytes {
				break
			}
			if (n.kind == tBytes) != isBytes {
				return nil, fmt.Errorf("invalid syntax: cannot mix bytes and nonbytes literals")
			}
			s += n.text
			ps.p++
		}
		if isBytes {
			return &eConst{v: anyV([]byte(s))}, nil
		}
		return &eConst{v: strV(s)}, nil
	case tName:
		switch t.text {
		case "None":
			return &eConst{v: noneV}, nil
		case "True":
			return &eConst{v: boolV(true)}, nil
		case "False":
			return &eConst{v: boolV(false)}, nil
		}
		if reserved[t.text] {
			ps.back(t)
			return nil, ps.unexpected("")
		}
		return &eName{name: t.text}, nil
	case tOp:
		switch t.text {
		case "(":
			return ps.parenthesized()
		case "[":
			return ps.listDisplay()
		case "{":
			return ps.dictDisplay()
		}
	}
	ps.back(t)
	return nil, ps.unexpected("")
}

func (ps *exprParser) parenthesized() (expr, error) {
	if ps.acceptOp(")") {
		return &eConst{v: anyV(tupleVal(nil))}, nil
	}
	first, err := ps.test()
	if err != nil {
		return nil, err
	}
	if ps.isKeyword("for") {
		comp, err := ps.compFor(first)
		if err != nil {
			return nil, err
		}
		return comp, ps.expectOp(")")
	}
	if ps.acceptOp(")") {
		return first, nil
	}
	items := []expr{first}
	for ps.acceptOp(",") {
		if ps.isOp(")") {
			break
		}
		e, err := ps.test()
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	if err := ps.expectOp(")"); err != nil {
		return nil, err
	}
	return foldTuple(items), nil
}

func (ps *exprParser) listDisplay() (expr, error) {
	l := &eList{}
	if ps.acceptOp("]") {
		return l, nil
	}
	first, err := ps.test()
	if err != nil {
		return nil, err
	}
	if ps.isKeyword("for") {
		comp, err := ps.compFor(first)
		if err != nil {
			return nil, err
		}
		return comp, ps.expectOp("]")
	}
	l.items = append(l.items, first)
	for ps.acceptOp(",") {
		if ps.isOp("]") {
			break
		}
		e, err := ps.test()
		if err != nil {
			return nil, err
		}
		l.items = append(l.items, e)
	}
	return l, ps.expectOp("]")
}

func (ps *exprParser) dictDisplay() (expr, error) {
	d := &eDict{}
	for !ps.acceptOp("}") {
		k, err := ps.test()
		if err != nil {
			return nil, err
		}
		if !ps.acceptOp(":") {
			if ps.isOp(",") || ps.isOp("}") || ps.isKeyword("for") {
				return nil, fmt.Errorf("invalid syntax: set displays are not supported in templates")
			}
			return nil, ps.unexpected("expected ':'")
		}
		v, err := ps.test()
		if err != nil {
			return nil, err
		}
		if ps.isKeyword("for") {
			return nil, fmt.Errorf("invalid syntax: dict comprehensions are not supported in templates")
		}
		d.keys = append(d.keys, k)
		d.vals = append(d.vals, v)
		if !ps.acceptOp(",") {
			if err := ps.expectOp("}"); err != nil {
				return nil, err
			}
			break
		}
	}
	return d, nil
}

// targetList parses assignment targets up to (not including) `in` or `=`:
// names, and tuples of targets with or without brackets.
func (ps *exprParser) targetList() (target, error) {
	first, err := ps.targetAtom()
	if err != nil {
		return nil, err
	}
	if !ps.isOp(",") {
		return first, nil
	}
	tup := &tgTuple{items: []target{first}}
	for ps.acceptOp(",") {
		if ps.isKeyword("in") || ps.isOp("=") || ps.peek().kind == tEOF {
			break
		}
		t, err := ps.targetAtom()
		if err != nil {
			return nil, err
		}
		tup.items = append(tup.items, t)
	}
	return tup, nil
}

func (ps *exprParser) targetAtom() (target, error) {
	t := ps.next()
	switch {
	case t.kind == tName && !reserved[t.text]:
		if ps.isOp(".") || ps.isOp("[") {
			return nil, fmt.Errorf("cannot assign to %s%s: only names can be assigned in templates", t.text, ps.peek().text)
		}
		return &tgName{name: t.text}, nil
	case t.kind == tOp && (t.text == "(" || t.text == "["):
		closer := ")"
		if t.text == "[" {
			closer = "]"
		}
		tup := &tgTuple{}
		for !ps.acceptOp(closer) {
			it, err := ps.targetAtom()
			if err != nil {
				return nil, err
			}
			tup.items = append(tup.items, it)
			if !ps.acceptOp(",") {
				if err := ps.expectOp(closer); err != nil {
					return nil, err
				}
				break
			}
		}
		if len(tup.items) == 1 && t.text == "(" {
			return tup.items[0], nil
		}
		return tup, nil
	}
	ps.back(t)
	return nil, ps.unexpected("expected a name to assign")
}

// forHeader parses the suffix of a for directive: `targets in expr`.
func parseForHeader(src string) (target, expr, error) {
	ps, err := newExprParser(src)
	if err != nil {
		return nil, nil, err
	}
	tg, err := ps.targetList()
	if err != nil {
		return nil, nil, err
	}
	if !ps.acceptKeyword("in") {
		return nil, nil, ps.unexpected("expected 'in'")
	}
	it, err := ps.exprList()
	if err != nil {
		return nil, nil, err
	}
	return tg, it, ps.expectEOF()
}

// setStmt is a parsed {% set %} statement: plain assignment (possibly
// chained), augmented assignment, or a bare expression evaluated for its
// effect.
type setStmt struct {
	targets []target // empty for a bare expression
	augOp   string   // "+" for +=, ... ; "" for plain assignment
	value   expr
}

// augOps maps augmented assignment operators to their binary operator.
var augOps = map[string]string{
	"+=": "+", "-=": "-", "*=": "*", "/=": "/", "//=": "//", "%=": "%", "**=": "**",
	"&=": "&", "|=": "|", "^=": "^", "<<=": "<<", ">>=": ">>",
}

func parseSetStmt(src string) (*setStmt, error) {
	ps, err := newExprParser(src)
	if err != nil {
		return nil, err
	}
	// Find the top-level assignment operators.
	depth := 0
	var cuts []int
	aug := ""
	for i, t := range ps.toks {
		if t.kind != tOp {
			continue
		}
		switch t.text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case "=":
			if depth == 0 {
				cuts = append(cuts, i)
			}
		case ":=":
			return nil, fmt.Errorf("invalid syntax: := is not supported in templates")
		default:
			if _, ok := augOps[t.text]; ok && depth == 0 {
				if aug != "" || len(cuts) > 0 {
					return nil, fmt.Errorf("invalid syntax: %s", strings.TrimSpace(src))
				}
				aug = t.text
				cuts = append(cuts, i)
			}
		}
	}
	st := &setStmt{}
	if aug != "" && len(cuts) > 1 {
		return nil, fmt.Errorf("invalid syntax: augmented assignment cannot be chained")
	}
	start := 0
	for _, cut := range cuts {
		sub := &exprParser{toks: append(append([]token(nil), ps.toks[start:cut]...), token{kind: tEOF})}
		if len(sub.toks) == 1 {
			return nil, fmt.Errorf("invalid syntax: nothing to assign to")
		}
		tg, err := sub.targetList()
		if err != nil {
			return nil, err
		}
		if err := sub.expectEOF(); err != nil {
			return nil, fmt.Errorf("cannot assign to an expression: only names can be assigned in templates")
		}
		if aug != "" {
			if _, ok := tg.(*tgName); !ok {
				return nil, fmt.Errorf("invalid syntax: illegal target for augmented assignment")
			}
			st.augOp = augOps[aug]
		}
		st.targets = append(st.targets, tg)
		start = cut + 1
	}
	ps.p = start
	v, err := ps.exprList()
	if err != nil {
		return nil, err
	}
	if err := ps.expectEOF(); err != nil {
		return nil, err
	}
	st.value = v
	return st, nil
}

// exceptClause is a parsed {% except %} header.
type exceptClause struct {
	classes []string // empty: every error
	asName  string
}

func parseExceptClause(src string) (*exceptClause, error) {
	ec := &exceptClause{}
	if strings.TrimSpace(src) == "" {
		return ec, nil
	}
	ps, err := newExprParser(src)
	if err != nil {
		return nil, err
	}
	e, err := ps.test()
	if err != nil {
		return nil, err
	}
	names := []expr{e}
	if tup, ok := e.(*eTuple); ok {
		names = tup.items
	} else if c, ok := e.(*eConst); ok {
		if tv, ok := c.v.a.(tupleVal); ok && len(tv) == 0 {
			names = nil
		}
	}
	for _, n := range names {
		name, ok := n.(*eName)
		if !ok {
			return nil, fmt.Errorf("except expects an exception class name, such as KeyError or Exception")
		}
		if !knownErrorClass(name.name) {
			return nil, fmt.Errorf("unknown exception class %s", name.name)
		}
		ec.classes = append(ec.classes, name.name)
	}
	if ps.acceptKeyword("as") {
		t := ps.next()
		if t.kind != tName || reserved[t.text] {
			ps.back(t)
			return nil, ps.unexpected("expected a name after 'as'")
		}
		ec.asName = t.text
	}
	return ec, ps.expectEOF()
}

// back un-reads t (the end-of-expression token is never consumed).
func (ps *exprParser) back(t token) {
	if t.kind != tEOF {
		ps.p--
	}
}

// lambda parses `lambda a, b: expr` after the keyword.
func (ps *exprParser) lambda() (expr, error) {
	l := &eLambda{}
	for !ps.acceptOp(":") {
		t := ps.next()
		if t.kind != tName || reserved[t.text] {
			ps.back(t)
			return nil, ps.unexpected("expected a parameter name")
		}
		if containsStr(l.params, t.text) {
			return nil, fmt.Errorf("invalid syntax: duplicate argument '%s' in lambda", t.text)
		}
		l.params = append(l.params, t.text)
		if !ps.acceptOp(",") {
			if err := ps.expectOp(":"); err != nil {
				return nil, err
			}
			break
		}
	}
	body, err := ps.test()
	if err != nil {
		return nil, err
	}
	l.body = body
	return l, nil
}
