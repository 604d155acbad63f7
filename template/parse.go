package template

import (
	"fmt"
	"strings"
)

// file is one parsed template source.
type file struct {
	name       string
	body       []node
	autoescape string // name of the escaping function; "" when off
	escapeExpr expr   // autoescape parsed as an expression; nil when off
	escapeLine int
}

// The template syntax tree. Expressions are parsed along with the tags, so
// every syntax error is a ParseError with the tag's file and line.
type node interface{}

type (
	textNode struct {
		text string
		line int
	}
	// outputNode is {{ e }}, {% raw e %} or {% module e %}.
	outputNode struct {
		e    expr
		code string
		line int
		raw  bool
	}
	extendsNode struct {
		name string
		line int
	}
	includeNode struct {
		name string
		line int
	}
	blockNode struct {
		name  string
		body  []node
		line  int
		owner *file
	}
	applyNode struct {
		method expr
		code   string
		body   []node
		line   int
	}
	ifNode struct {
		conds  []expr
		codes  []string
		lines  []int
		bodies [][]node
		orElse []node // nil when there is no else
	}
	forNode struct {
		target target
		iter   expr
		code   string
		line   int
		body   []node
		orElse []node
	}
	whileNode struct {
		cond   expr
		code   string
		line   int
		body   []node
		orElse []node
	}
	tryNode struct {
		line      int
		body      []node
		excepts   []*exceptNode
		orElse    []node
		finally   []node
		hasFinal  bool
		hasOrElse bool
	}
	exceptNode struct {
		clause *exceptClause
		body   []node
		line   int
	}
	setNode struct {
		st   *setStmt
		code string
		line int
	}
	breakNode    struct{ line int }
	continueNode struct{ line int }
	// interNode marks an intermediate tag (else, elif, except, finally)
	// inside a block body while the block is being parsed.
	interNode struct {
		op     string
		suffix string
		line   int
	}
)

// reader walks a template source, counting lines as Tornado's does.
type reader struct {
	name       string
	text       string
	pos        int
	line       int
	whitespace string
	f          *file
	depth      int // nesting of block directives
}

// maxBlockNesting bounds how deeply block directives nest. Tornado's
// generated Python would hit CPython's limit of 100 statically nested
// blocks; templates never come close.
const maxBlockNesting = 100

func (r *reader) remaining() int { return len(r.text) - r.pos }

// find returns the offset of needle at or after start (relative to pos), or -1.
func (r *reader) find(needle string, start int) int {
	i := strings.Index(r.text[r.pos+start:], needle)
	if i < 0 {
		return -1
	}
	return i + start
}

func (r *reader) consume(n int) string {
	s := r.text[r.pos : r.pos+n]
	r.line += strings.Count(s, "\n")
	r.pos += n
	return s
}

func (r *reader) errorf(format string, args ...any) error {
	return &ParseError{Message: fmt.Sprintf(format, args...), Filename: r.name, Line: r.line}
}

func (r *reader) errorAt(line int, format string, args ...any) error {
	return &ParseError{Message: fmt.Sprintf(format, args...), Filename: r.name, Line: line}
}

// intermediateParents lists, for each intermediate tag, the blocks it may
// continue, in the order Tornado writes them in its messages.
var intermediateParents = map[string][]string{
	"else":    {"if", "for", "while", "try"},
	"elif":    {"if"},
	"except":  {"try"},
	"finally": {"try"},
}

// pySet formats names like Python prints a set of strings.
func pySet(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	return "{" + strings.Join(q, ", ") + "}"
}

// parseFile parses a whole template source.
func parseFile(name, source, whitespace, autoescape string) (*file, error) {
	f := &file{name: name, autoescape: autoescape}
	r := &reader{name: name, text: source, line: 1, whitespace: whitespace, f: f}
	body, err := r.parse("", "")
	if err != nil {
		return nil, err
	}
	f.body = body
	if f.autoescape != "" {
		e, err := parseExpr(f.autoescape)
		if err != nil {
			return nil, &ParseError{Message: fmt.Sprintf("invalid autoescape function %q: %v", f.autoescape, err), Filename: name, Line: f.escapeLine}
		}
		f.escapeExpr = e
	}
	return f, nil
}

// parse reads nodes until the end of the source (inBlock == "") or until
// the {% end %} of the enclosing block inBlock. inLoop is the innermost
// enclosing loop, for break and continue.
func (r *reader) parse(inBlock, inLoop string) ([]node, error) {
	var body []node
	for {
		// Find the next tag; with three or more braces in a row the
		// innermost pair starts it.
		curly := 0
		for {
			curly = r.find("{", curly)
			if curly == -1 || curly+1 == r.remaining() {
				if inBlock != "" {
					return nil, r.errorf("Missing {%% end %%} block for %s", inBlock)
				}
				body = r.addText(body, r.consume(r.remaining()))
				return body, nil
			}
			c := r.text[r.pos+curly+1]
			if c != '{' && c != '%' && c != '#' {
				curly++
				continue
			}
			if curly+2 < r.remaining() && c == '{' && r.text[r.pos+curly+2] == '{' {
				curly++
				continue
			}
			break
		}
		if curly > 0 {
			body = r.addText(body, r.consume(curly))
		}
		startBrace := r.consume(2)
		line := r.line

		// {{!, {%! and {#! print their opener literally.
		if r.remaining() > 0 && r.text[r.pos] == '!' {
			r.consume(1)
			body = r.addText(body, startBrace)
			continue
		}

		switch startBrace {
		case "{#":
			end := r.find("#}", 0)
			if end == -1 {
				return nil, r.errorf("Missing end comment #}")
			}
			r.consume(end)
			r.consume(2)
			continue
		case "{{":
			end := r.find("}}", 0)
			if end == -1 {
				return nil, r.errorf("Missing end expression }}")
			}
			contents := pyStrip(r.consume(end))
			r.consume(2)
			if contents == "" {
				return nil, r.errorf("Empty expression")
			}
			e, err := parseExpr(contents)
			if err != nil {
				return nil, r.errorAt(line, "%v in {{ %s }}", err, contents)
			}
			body = append(body, &outputNode{e: e, code: "{{ " + contents + " }}", line: line})
			continue
		}

		// A block tag {% ... %}.
		end := r.find("%}", 0)
		if end == -1 {
			return nil, r.errorf("Missing end block %%}")
		}
		contents := pyStrip(r.consume(end))
		r.consume(2)
		if contents == "" {
			return nil, r.errorf("Empty block tag ({%% %%})")
		}
		operator, suffix, _ := strings.Cut(contents, " ")
		suffix = pyStrip(suffix)
		code := "{% " + contents + " %}"

		if parents, ok := intermediateParents[operator]; ok {
			if inBlock == "" {
				return nil, r.errorf("%s outside %s block", operator, pySet(parents))
			}
			if !containsStr(parents, inBlock) {
				return nil, r.errorf("%s block cannot be attached to %s block", operator, inBlock)
			}
			body = append(body, &interNode{op: operator, suffix: suffix, line: line})
			continue
		}

		switch operator {
		case "end":
			if inBlock == "" {
				return nil, r.errorf("Extra {%% end %%} block")
			}
			return body, nil
		case "comment":
			continue
		case "extends", "include":
			name := strings.Trim(strings.Trim(suffix, `"`), `'`)
			if name == "" {
				return nil, r.errorf("%s missing file path", operator)
			}
			if operator == "extends" {
				body = append(body, &extendsNode{name: name, line: line})
			} else {
				body = append(body, &includeNode{name: name, line: line})
			}
		case "import", "from":
			if suffix == "" {
				return nil, r.errorf("import missing statement")
			}
			return nil, r.errorf("{%% %s %%} is not supported: Go templates cannot import Python modules; pass the function in the namespace instead", contents)
		case "set":
			if suffix == "" {
				return nil, r.errorf("set missing statement")
			}
			st, err := parseSetStmt(suffix)
			if err != nil {
				return nil, r.errorAt(line, "%v in %s", err, code)
			}
			body = append(body, &setNode{st: st, code: code, line: line})
		case "autoescape":
			fn := pyStrip(suffix)
			if fn == "None" {
				fn = ""
			}
			r.f.autoescape = fn
			r.f.escapeLine = line
		case "whitespace":
			mode := pyStrip(suffix)
			if !validWhitespace(mode) {
				return nil, r.errorf("invalid whitespace mode %s", mode)
			}
			r.whitespace = mode
		case "raw", "module":
			if suffix == "" {
				return nil, r.errorf("%s missing expression", operator)
			}
			src := suffix
			if operator == "module" {
				src = modulesName + "." + suffix
			}
			e, err := parseExpr(src)
			if err != nil {
				return nil, r.errorAt(line, "%v in %s", err, code)
			}
			body = append(body, &outputNode{e: e, code: code, line: line, raw: true})
		case "apply", "block", "try", "if", "for", "while":
			n, err := r.parseBlock(operator, suffix, code, line, inLoop)
			if err != nil {
				return nil, err
			}
			body = append(body, n)
		case "break", "continue":
			if inLoop == "" {
				return nil, r.errorf("%s outside %s block", operator, pySet([]string{"for", "while"}))
			}
			if suffix != "" {
				return nil, r.errorf("%s takes no arguments", operator)
			}
			if operator == "break" {
				body = append(body, &breakNode{line: line})
			} else {
				body = append(body, &continueNode{line: line})
			}
		default:
			return nil, r.errorf("unknown operator: %s", pyRepr(strV(operator)))
		}
	}
}

// addText appends a text chunk, filtered by the current whitespace mode.
func (r *reader) addText(body []node, s string) []node {
	if !strings.Contains(s, "<pre>") {
		s = filterWhitespace(r.whitespace, s)
	}
	if s == "" {
		return body
	}
	return append(body, &textNode{text: s, line: r.line})
}

// modulesName is the namespace entry {% module X(...) %} calls into,
// Tornado's _tt_modules (render vars may also provide it as "modules").
const modulesName = "_tt_modules"

// pyStrip is Python's str.strip().
func pyStrip(s string) string { return strings.TrimFunc(s, pyIsSpace) }

// parseBlock parses the body of a block directive and builds its node.
func (r *reader) parseBlock(operator, suffix, code string, line int, inLoop string) (node, error) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxBlockNesting {
		return nil, r.errorAt(line, "too many nested blocks (more than %d)", maxBlockNesting)
	}
	var body []node
	var err error
	switch operator {
	case "for", "while":
		body, err = r.parse(operator, operator)
	case "apply":
		// apply's body is a nested function: not inside the loop.
		body, err = r.parse(operator, "")
	default:
		body, err = r.parse(operator, inLoop)
	}
	if err != nil {
		return nil, err
	}
	// Split the body at intermediate tags.
	type clause struct {
		op, suffix string
		line       int
		body       []node
	}
	clauses := []clause{{op: operator, suffix: suffix, line: line}}
	for _, n := range body {
		if in, ok := n.(*interNode); ok {
			clauses = append(clauses, clause{op: in.op, suffix: in.suffix, line: in.line})
			continue
		}
		clauses[len(clauses)-1].body = append(clauses[len(clauses)-1].body, n)
	}
	noArgs := func(c clause) error {
		if c.suffix != "" {
			return r.errorAt(c.line, "%s takes no arguments: {%% %s %s %%}", c.op, c.op, c.suffix)
		}
		return nil
	}
	exprOf := func(c clause) (expr, error) {
		if c.suffix == "" {
			return nil, r.errorAt(c.line, "%s missing expression", c.op)
		}
		e, err := parseExpr(c.suffix)
		if err != nil {
			return nil, r.errorAt(c.line, "%v in {%% %s %s %%}", err, c.op, c.suffix)
		}
		return e, nil
	}
	// An else must come last (a try's finally aside).
	elseAt := -1
	for i, c := range clauses[1:] {
		switch {
		case c.op == "else" && elseAt >= 0:
			return nil, r.errorAt(c.line, "more than one else in %s block", operator)
		case c.op == "else":
			elseAt = i + 1
		case c.op != "finally" && elseAt >= 0:
			return nil, r.errorAt(c.line, "%s after else in %s block", c.op, operator)
		}
	}
	switch operator {
	case "apply":
		if suffix == "" {
			return nil, r.errorf("apply missing method name")
		}
		e, err := parseExpr(suffix)
		if err != nil {
			return nil, r.errorAt(line, "%v in %s", err, code)
		}
		return &applyNode{method: e, code: code, body: clauses[0].body, line: line}, nil
	case "block":
		if suffix == "" {
			return nil, r.errorf("block missing name")
		}
		return &blockNode{name: suffix, body: clauses[0].body, line: line, owner: r.f}, nil
	case "if":
		n := &ifNode{}
		for _, c := range clauses {
			if c.op == "else" {
				if err := noArgs(c); err != nil {
					return nil, err
				}
				n.orElse = c.body
				if n.orElse == nil {
					n.orElse = []node{}
				}
				continue
			}
			e, err := exprOf(c)
			if err != nil {
				return nil, err
			}
			n.conds = append(n.conds, e)
			n.codes = append(n.codes, fmt.Sprintf("{%% %s %s %%}", c.op, c.suffix))
			n.lines = append(n.lines, c.line)
			n.bodies = append(n.bodies, c.body)
		}
		return n, nil
	case "for", "while":
		var orElse []node
		if len(clauses) > 1 {
			if err := noArgs(clauses[1]); err != nil {
				return nil, err
			}
			orElse = clauses[1].body
			if orElse == nil {
				orElse = []node{}
			}
		}
		if operator == "while" {
			e, err := exprOf(clauses[0])
			if err != nil {
				return nil, err
			}
			return &whileNode{cond: e, code: code, line: line, body: clauses[0].body, orElse: orElse}, nil
		}
		if suffix == "" {
			return nil, r.errorAt(line, "for missing expression")
		}
		tg, it, err := parseForHeader(suffix)
		if err != nil {
			return nil, r.errorAt(line, "%v in %s", err, code)
		}
		return &forNode{target: tg, iter: it, code: code, line: line, body: clauses[0].body, orElse: orElse}, nil
	}
	// try
	if err := noArgs(clauses[0]); err != nil {
		return nil, err
	}
	n := &tryNode{line: line, body: clauses[0].body}
	bare := false
	for _, c := range clauses[1:] {
		if n.hasFinal {
			return nil, r.errorAt(c.line, "%s after finally in try block", c.op)
		}
		switch c.op {
		case "except":
			if bare {
				return nil, r.errorAt(c.line, "default 'except:' must be last")
			}
			ec, err := parseExceptClause(c.suffix)
			if err != nil {
				return nil, r.errorAt(c.line, "%v in {%% except %s %%}", err, c.suffix)
			}
			bare = len(ec.classes) == 0
			n.excepts = append(n.excepts, &exceptNode{clause: ec, body: c.body, line: c.line})
		case "else":
			if err := noArgs(c); err != nil {
				return nil, err
			}
			if len(n.excepts) == 0 {
				return nil, r.errorAt(c.line, "else in try block without except")
			}
			n.orElse, n.hasOrElse = c.body, true
		case "finally":
			if err := noArgs(c); err != nil {
				return nil, err
			}
			n.finally, n.hasFinal = c.body, true
		}
	}
	if len(n.excepts) == 0 && !n.hasFinal {
		return nil, r.errorf("try block without except or finally")
	}
	return n, nil
}
