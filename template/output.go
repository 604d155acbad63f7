package template

import (
	"strconv"

	"github.com/tornago/tornago/escape"
)

// output compiles {{ e }}, {% raw e %} and {% module e %}: the value is
// printed as Python's str() would, then passed through the file's
// autoescape function unless the tag is raw. The default, xhtml_escape,
// runs inline without a call. pre and post are the literal text around
// the tag, written by the same closure.
func (c *compiler) output(n *outputNode, pre, post string) execFn {
	pos := c.pos(n.line, n.code)
	ev := c.expr(n.e)
	if n.raw || c.cur.escapeExpr == nil {
		return func(fr *frame) ctl {
			fr.cur = pos
			fr.buf = append(fr.buf, pre...)
			v, err := ev(fr)
			if err != nil {
				return fr.fail(err, pos)
			}
			fr.buf = append(appendStr(fr.buf, v), post...)
			if len(fr.buf) >= fr.flushAt {
				return fr.flush()
			}
			return ctlNext
		}
	}
	esc := c.expr(c.cur.escapeExpr)
	// The common case: {{ name }} escaped by a global name (xhtml_escape).
	if name, ok := n.e.(*eName); ok {
		if escName, ok := c.cur.escapeExpr.(*eName); ok {
			slot, local := c.lookup(name.name)
			eslot, elocal := c.lookup(escName.name)
			if !elocal {
				vname := name.name
				return func(fr *frame) ctl {
					fr.cur = pos
					fr.buf = append(fr.buf, pre...)
					var v value
					if local {
						v = fr.locals[slot]
						if v.k == kUnset {
							return fr.fail(unboundError(vname), pos)
						}
					} else {
						v = fr.globals[slot]
						if v.k == kUnset {
							return fr.fail(undefinedError(vname), pos)
						}
					}
					ef := fr.globals[eslot]
					if ef.k == kBuiltin && ef.n == biXHTMLEscape {
						fr.buf = appendEscaped(fr, fr.buf, v)
					} else if r := fr.escapeWith(ef, v, pos); r != ctlNext {
						return r
					}
					fr.buf = append(fr.buf, post...)
					if len(fr.buf) >= fr.flushAt {
						return fr.flush()
					}
					return ctlNext
				}
			}
		}
	}
	return func(fr *frame) ctl {
		fr.cur = pos
		fr.buf = append(fr.buf, pre...)
		v, err := ev(fr)
		if err != nil {
			return fr.fail(err, pos)
		}
		ef, err := esc(fr)
		if err != nil {
			return fr.fail(err, pos)
		}
		if ef.k == kBuiltin && ef.n == biXHTMLEscape {
			fr.buf = appendEscaped(fr, fr.buf, v)
		} else if r := fr.escapeWith(ef, v, pos); r != ctlNext {
			return r
		}
		fr.buf = append(fr.buf, post...)
		if len(fr.buf) >= fr.flushAt {
			return fr.flush()
		}
		return ctlNext
	}
}

// appendEscaped appends str(v), XHTML-escaped. Numbers, booleans and None
// print without characters that need escaping.
func appendEscaped(fr *frame, dst []byte, v value) []byte {
	switch v.k {
	case kStr:
		return escape.AppendXHTMLEscape(dst, v.s)
	case kInt:
		return strconv.AppendInt(dst, v.n, 10)
	case kFloat, kBool, kNone, kBig:
		return appendStr(dst, v)
	}
	fr.tmp = appendStr(fr.tmp[:0], v)
	return escape.AppendXHTMLEscape(dst, string(fr.tmp))
}

// escapeWith applies a custom autoescape function to str(v).
func (fr *frame) escapeWith(ef, v value, pos *srcPos) ctl {
	fr.pushArg(strV(pyStr(v)))
	base := len(fr.args) - 1
	out, err := callValue(fr, ef, fr.args[base:], nil, nil)
	fr.args = fr.args[:base]
	if err != nil {
		return fr.fail(err, pos)
	}
	fr.buf = appendStr(fr.buf, out)
	return ctlNext
}
