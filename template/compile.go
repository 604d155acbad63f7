package template

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// maxNesting bounds how deeply includes and blocks may nest while a template
// is assembled. Real templates nest a handful of levels; a block that
// includes a file re-opening the same block would otherwise recurse forever.
const maxNesting = 64

// program is a compiled template: one closure tree over a frame layout.
type program struct {
	body    execFn
	nLocals int
	nLoops  int      // for loops, each with a sorted-keys cache in the frame
	globals []string // the names read from the namespace, by global slot
}

// chainLink is one include or block level of the assembly: the template and
// line that pulled the current one in.
type chainLink struct {
	name string
	line int
}

type compiler struct {
	t         *Template
	lc        *loadCtx
	blocks    map[string]*blockNode
	applies   map[*applyNode]map[string]bool // names each apply body assigns
	sc        *scope
	nLocals   int
	nLoops    int
	globalIdx map[string]int
	globals   []string
	chain     []chainLink
	cur       *file
	depth     int
}

// compileTemplate assembles t with its ancestors, blocks and includes into
// one program, as Tornado generates one Python function.
func compileTemplate(t *Template, lc *loadCtx) error {
	c := &compiler{
		t:         t,
		lc:        lc,
		blocks:    map[string]*blockNode{},
		applies:   map[*applyNode]map[string]bool{},
		globalIdx: map[string]int{},
	}
	t.ancestors = []*Template{t}
	c.cur = t.file
	for _, n := range t.file.body {
		ext, ok := n.(*extendsNode)
		if !ok {
			continue
		}
		parent, err := c.load(ext.name, ext.line, "extends")
		if err != nil {
			return err
		}
		t.ancestors = append(t.ancestors, parent.ancestors...)
	}
	// Most-derived block definitions win: visit the root ancestor first.
	for i := len(t.ancestors) - 1; i >= 0; i-- {
		c.cur = t.ancestors[i].file
		if err := c.findBlocks(t.ancestors[i].file.body); err != nil {
			return err
		}
	}
	root := t.ancestors[len(t.ancestors)-1].file
	c.cur = root
	top := map[string]bool{}
	if err := c.declare(root.body, top); err != nil {
		return err
	}
	c.sc = c.newScope(nil, top)
	c.cur = root
	body, err := c.body(root.body)
	if err != nil {
		return err
	}
	t.prog = &program{body: body, nLocals: c.nLocals, nLoops: c.nLoops, globals: c.globals}
	return nil
}

func (c *compiler) errorf(line int, format string, args ...any) error {
	return &ParseError{Message: fmt.Sprintf(format, args...), Filename: c.cur.name, Line: line}
}

// load loads a template named by an extends or include in the current file.
func (c *compiler) load(name string, line int, what string) (*Template, error) {
	if c.t.loader == nil {
		return nil, c.errorf(line, "{%% %s %%} block found, but no template loader", what)
	}
	t, err := c.t.loader.load(name, c.cur.name, c.lc)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, &ParseError{Message: fmt.Sprintf("%s %q: %v", what, name, err), Filename: c.cur.name, Line: line, Err: err}
	}
	return t, nil
}

// enter and leave track the include/block chain for positions.
func (c *compiler) enter(to *file, line int) (*file, error) {
	c.depth++
	if c.depth > maxNesting {
		return nil, c.errorf(line, "includes and blocks nest more than %d deep (a cycle?)", maxNesting)
	}
	c.chain = append(c.chain, chainLink{c.cur.name, line})
	prev := c.cur
	c.cur = to
	return prev, nil
}

func (c *compiler) leave(prev *file) {
	c.depth--
	c.chain = c.chain[:len(c.chain)-1]
	c.cur = prev
}

// where formats the current position: "c.html:1 (via b.html:1, a.html:1)".
func (c *compiler) where(line int) string {
	s := c.cur.name + ":" + strconv.Itoa(line)
	if len(c.chain) == 0 {
		return s
	}
	via := make([]string, len(c.chain))
	for i, l := range c.chain {
		via[len(c.chain)-1-i] = l.name + ":" + strconv.Itoa(l.line)
	}
	return s + " (via " + strings.Join(via, ", ") + ")"
}

func (c *compiler) pos(line int, code string) *srcPos {
	return &srcPos{where: c.where(line), code: code}
}

// findBlocks records every named block in nodes, through includes.
func (c *compiler) findBlocks(nodes []node) error {
	for _, n := range nodes {
		switch n := n.(type) {
		case *blockNode:
			c.blocks[n.name] = n
			if err := c.findBlocks(n.body); err != nil {
				return err
			}
		case *includeNode:
			inc, err := c.load(n.name, n.line, "include")
			if err != nil {
				return err
			}
			prev, err := c.enter(inc.file, n.line)
			if err != nil {
				return err
			}
			err = c.findBlocks(inc.file.body)
			c.leave(prev)
			if err != nil {
				return err
			}
		default:
			for _, b := range childBodies(n) {
				if err := c.findBlocks(b); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// childBodies lists the nested bodies of a compound node.
func childBodies(n node) [][]node {
	switch n := n.(type) {
	case *applyNode:
		return [][]node{n.body}
	case *ifNode:
		return append(slices.Clone(n.bodies), n.orElse)
	case *forNode:
		return [][]node{n.body, n.orElse}
	case *whileNode:
		return [][]node{n.body, n.orElse}
	case *tryNode:
		out := [][]node{n.body, n.orElse, n.finally}
		for _, e := range n.excepts {
			out = append(out, e.body)
		}
		return out
	}
	return nil
}

// declare is the first pass: it collects the names each function scope
// assigns (set, for and except-as targets), through blocks and includes.
func (c *compiler) declare(nodes []node, names map[string]bool) error {
	for _, n := range nodes {
		switch n := n.(type) {
		case *setNode:
			for _, t := range n.st.targets {
				targetNames(t, names)
			}
		case *forNode:
			targetNames(n.target, names)
		case *tryNode:
			for _, e := range n.excepts {
				if e.clause.asName != "" {
					names[e.clause.asName] = true
				}
			}
		case *applyNode:
			inner := map[string]bool{}
			c.applies[n] = inner
			if err := c.declare(n.body, inner); err != nil {
				return err
			}
			continue
		case *blockNode:
			b := c.blocks[n.name]
			prev, err := c.enter(b.owner, n.line)
			if err != nil {
				return err
			}
			err = c.declare(b.body, names)
			c.leave(prev)
			if err != nil {
				return err
			}
			continue
		case *includeNode:
			inc, err := c.load(n.name, n.line, "include")
			if err != nil {
				return err
			}
			prev, err := c.enter(inc.file, n.line)
			if err != nil {
				return err
			}
			err = c.declare(inc.file.body, names)
			c.leave(prev)
			if err != nil {
				return err
			}
			continue
		}
		for _, b := range childBodies(n) {
			if err := c.declare(b, names); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// body compiles a list of nodes, merging adjacent text.
func (c *compiler) body(nodes []node) (execFn, error) {
	var fns []execFn
	var text strings.Builder
	flushText := func() {
		if text.Len() > 0 {
			fns = append(fns, textStmt(text.String()))
			text.Reset()
		}
	}
	for i := 0; i < len(nodes); i++ {
		n := nodes[i]
		if t, ok := n.(*textNode); ok {
			text.WriteString(t.text)
			continue
		}
		if out, ok := n.(*outputNode); ok {
			// Fuse the text around an output into its closure: a table
			// cell's "<td>{{ v }}</td>" is one call instead of three.
			pre := text.String()
			text.Reset()
			post := ""
			for i+1 < len(nodes) {
				t, ok := nodes[i+1].(*textNode)
				if !ok {
					break
				}
				post += t.text
				i++
			}
			fns = append(fns, c.output(out, pre, post))
			continue
		}
		fn, err := c.node(n)
		if err != nil {
			return nil, err
		}
		if fn == nil {
			continue
		}
		flushText()
		fns = append(fns, fn)
	}
	flushText()
	return seq(fns), nil
}

func seq(fns []execFn) execFn {
	switch len(fns) {
	case 0:
		return func(*frame) ctl { return ctlNext }
	case 1:
		return fns[0]
	case 2:
		a, b := fns[0], fns[1]
		return func(fr *frame) ctl {
			if c := a(fr); c != ctlNext {
				return c
			}
			return b(fr)
		}
	}
	return func(fr *frame) ctl {
		for _, f := range fns {
			if c := f(fr); c != ctlNext {
				return c
			}
		}
		return ctlNext
	}
}

func textStmt(s string) execFn {
	return func(fr *frame) ctl {
		fr.buf = append(fr.buf, s...)
		if len(fr.buf) >= fr.flushAt {
			return fr.flush()
		}
		return ctlNext
	}
}

// node compiles one statement.
func (c *compiler) node(n node) (execFn, error) {
	switch n := n.(type) {
	case *outputNode:
		return c.output(n, "", ""), nil
	case *extendsNode:
		return nil, c.errorf(n.line, "{%% extends %%} is only allowed at the top level of the rendered template, not inside a block or an included file")
	case *includeNode:
		inc, err := c.load(n.name, n.line, "include")
		if err != nil {
			return nil, err
		}
		prev, err := c.enter(inc.file, n.line)
		if err != nil {
			return nil, err
		}
		fn, err := c.body(inc.file.body)
		c.leave(prev)
		return fn, err
	case *blockNode:
		b := c.blocks[n.name]
		prev, err := c.enter(b.owner, n.line)
		if err != nil {
			return nil, err
		}
		fn, err := c.body(b.body)
		c.leave(prev)
		return fn, err
	case *setNode:
		return c.set(n), nil
	case *ifNode:
		return c.ifStmt(n)
	case *forNode:
		return c.forStmt(n)
	case *whileNode:
		return c.whileStmt(n)
	case *tryNode:
		return c.tryStmt(n)
	case *applyNode:
		return c.apply(n)
	case *breakNode:
		return func(*frame) ctl { return ctlBreak }, nil
	case *continueNode:
		return func(*frame) ctl { return ctlContinue }, nil
	}
	return nil, fmt.Errorf("template: unknown node %T", n)
}

func (c *compiler) set(n *setNode) execFn {
	pos := c.pos(n.line, n.code)
	val := c.expr(n.st.value)
	if len(n.st.targets) == 0 {
		return func(fr *frame) ctl {
			fr.cur = pos
			if _, err := val(fr); err != nil {
				return fr.fail(err, pos)
			}
			return ctlNext
		}
	}
	if n.st.augOp != "" {
		name := n.st.targets[0].(*tgName).name
		slot, _ := c.lookup(name)
		op := binOps[n.st.augOp]
		return func(fr *frame) ctl {
			fr.cur = pos
			old := fr.locals[slot]
			if old.k == kUnset {
				return fr.fail(unboundError(name), pos)
			}
			v, err := val(fr)
			if err != nil {
				return fr.fail(err, pos)
			}
			if l, ok := old.a.(*listVal); ok && op == opAdd && old.k == kAny {
				// list += iterable extends in place, as in Python.
				items, err := collect(v)
				if err != nil {
					return fr.fail(err, pos)
				}
				l.items = append(l.items, items...)
				return ctlNext
			}
			r, err := arith(op, old, v)
			if err != nil {
				return fr.fail(err, pos)
			}
			fr.locals[slot] = r
			return ctlNext
		}
	}
	assigns := make([]assignFn, len(n.st.targets))
	for i, t := range n.st.targets {
		assigns[i] = c.assignTarget(t)
	}
	if slot, ok := singleSlot(c, n.st.targets); ok {
		return func(fr *frame) ctl {
			fr.cur = pos
			v, err := val(fr)
			if err != nil {
				return fr.fail(err, pos)
			}
			fr.locals[slot] = v
			return ctlNext
		}
	}
	return func(fr *frame) ctl {
		fr.cur = pos
		v, err := val(fr)
		if err != nil {
			return fr.fail(err, pos)
		}
		for _, a := range assigns {
			if err := a(fr, v); err != nil {
				return fr.fail(err, pos)
			}
		}
		return ctlNext
	}
}

// singleSlot reports whether targets is one plain name, and its slot.
func singleSlot(c *compiler, targets []target) (int, bool) {
	if len(targets) != 1 {
		return 0, false
	}
	n, ok := targets[0].(*tgName)
	if !ok {
		return 0, false
	}
	slot, local := c.lookup(n.name)
	return slot, local
}

func (c *compiler) ifStmt(n *ifNode) (execFn, error) {
	conds := make([]evalFn, len(n.conds))
	bodies := make([]execFn, len(n.conds))
	poss := make([]*srcPos, len(n.conds))
	for i := range n.conds {
		poss[i] = c.pos(n.lines[i], n.codes[i])
		conds[i] = c.expr(n.conds[i])
		b, err := c.body(n.bodies[i])
		if err != nil {
			return nil, err
		}
		bodies[i] = b
	}
	var orElse execFn
	if n.orElse != nil {
		b, err := c.body(n.orElse)
		if err != nil {
			return nil, err
		}
		orElse = b
	}
	if len(conds) == 1 {
		cond, body, pos := conds[0], bodies[0], poss[0]
		return func(fr *frame) ctl {
			fr.cur = pos
			v, err := cond(fr)
			if err != nil {
				return fr.fail(err, pos)
			}
			if truth(v) {
				return body(fr)
			}
			if orElse != nil {
				return orElse(fr)
			}
			return ctlNext
		}, nil
	}
	return func(fr *frame) ctl {
		for i, cond := range conds {
			fr.cur = poss[i]
			v, err := cond(fr)
			if err != nil {
				return fr.fail(err, poss[i])
			}
			if truth(v) {
				return bodies[i](fr)
			}
		}
		if orElse != nil {
			return orElse(fr)
		}
		return ctlNext
	}, nil
}

func (c *compiler) whileStmt(n *whileNode) (execFn, error) {
	pos := c.pos(n.line, n.code)
	cond := c.expr(n.cond)
	body, err := c.body(n.body)
	if err != nil {
		return nil, err
	}
	var orElse execFn
	if n.orElse != nil {
		if orElse, err = c.body(n.orElse); err != nil {
			return nil, err
		}
	}
	return func(fr *frame) ctl {
		for {
			fr.cur = pos
			v, err := cond(fr)
			if err != nil {
				return fr.fail(err, pos)
			}
			if !truth(v) {
				break
			}
			switch body(fr) {
			case ctlBreak:
				return ctlNext
			case ctlErr:
				return ctlErr
			}
		}
		if orElse != nil {
			return orElse(fr)
		}
		return ctlNext
	}, nil
}

func (c *compiler) tryStmt(n *tryNode) (execFn, error) {
	body, err := c.body(n.body)
	if err != nil {
		return nil, err
	}
	type handler struct {
		classes []string
		slot    int // -1: no `as` name
		body    execFn
	}
	handlers := make([]handler, len(n.excepts))
	for i, e := range n.excepts {
		h := handler{classes: e.clause.classes, slot: -1}
		if e.clause.asName != "" {
			h.slot, _ = c.lookup(e.clause.asName)
		}
		if h.body, err = c.body(e.body); err != nil {
			return nil, err
		}
		handlers[i] = h
	}
	var orElse, finally execFn
	if n.hasOrElse {
		if orElse, err = c.body(n.orElse); err != nil {
			return nil, err
		}
	}
	if n.hasFinal {
		if finally, err = c.body(n.finally); err != nil {
			return nil, err
		}
	}
	return func(fr *frame) ctl {
		r := body(fr)
		if r == ctlErr && fr.werr == nil {
			cause := fr.err
			var re *RenderError
			if errors.As(cause, &re) {
				cause = re.Err
			}
			for _, h := range handlers {
				if !matchesAny(cause, h.classes) {
					continue
				}
				fr.err = nil
				if h.slot >= 0 {
					fr.locals[h.slot] = errorValue(cause)
				}
				r = h.body(fr)
				break
			}
		} else if r == ctlNext && orElse != nil {
			r = orElse(fr)
		}
		if finally != nil {
			savedErr := fr.err
			if fc := finally(fr); fc != ctlNext {
				return fc
			}
			fr.err = savedErr
		}
		return r
	}, nil
}

func matchesAny(err error, classes []string) bool {
	if len(classes) == 0 {
		return true
	}
	for _, c := range classes {
		if errorMatches(err, c) {
			return true
		}
	}
	return false
}

// errorValue is what `except ... as e` binds: the Exception, or the error a
// Go function returned.
func errorValue(err error) value { return anyV(err) }

func (c *compiler) apply(n *applyNode) (execFn, error) {
	pos := c.pos(n.line, n.code)
	method := c.expr(n.method)
	outer := c.sc
	c.sc = c.newScope(outer, c.applies[n])
	slots := c.sc.slots
	body, err := c.body(n.body)
	c.sc = outer
	if err != nil {
		return nil, err
	}
	return func(fr *frame) ctl {
		fr.cur = pos
		fn, err := method(fr)
		if err != nil {
			return fr.fail(err, pos)
		}
		for _, s := range slots {
			fr.locals[s] = value{}
		}
		start, saved := len(fr.buf), fr.flushAt
		fr.flushAt = noFlush
		r := body(fr)
		fr.flushAt = saved
		if r == ctlErr {
			return r
		}
		captured := string(fr.buf[start:])
		fr.buf = fr.buf[:start]
		fr.pushArg(strV(captured))
		base := len(fr.args) - 1
		out, err := callValue(fr, fn, fr.args[base:], nil, nil)
		fr.args = fr.args[:base]
		if err != nil {
			return fr.fail(err, pos)
		}
		fr.buf = appendStr(fr.buf, out)
		if len(fr.buf) >= fr.flushAt {
			return fr.flush()
		}
		return ctlNext
	}, nil
}
