package template

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies the tokens of the expression language.
type tokKind uint8

const (
	tEOF tokKind = iota
	tName
	tInt
	tFloat
	tStr
	tBytes
	tOp
)

// token is one lexical element of a Python expression.
type token struct {
	kind tokKind
	text string   // the name, the operator, or the decoded string literal
	i    int64    // tInt that fits in 64 bits
	big  *big.Int // tInt that does not
	f    float64  // tFloat
	pos  int      // byte offset in the expression source
}

// threeCharOps and twoCharOps are Python's multi-character operators, longest first.
var threeCharOps = []string{"**=", "//=", ">>=", "<<="}

var twoCharOps = []string{"**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "->", ":="}

// lexExpr splits a Python expression into tokens. Newlines inside an
// expression are ordinary whitespace, as inside Python's brackets.
func lexExpr(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			i += 2 // explicit line continuation
			continue
		case c == '#':
			// A comment runs to the end of the line, as in Python.
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		start := i
		// String literals, possibly with prefixes.
		if p, ok := stringPrefix(src[i:]); ok {
			tok, n, err := lexString(src[i:], p)
			if err != nil {
				return nil, err
			}
			tok.pos = start
			toks = append(toks, tok)
			i += n
			continue
		}
		if isNameStart(c) || c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(src[i:])
			if c >= utf8.RuneSelf && !unicode.IsLetter(r) {
				return nil, fmt.Errorf("invalid character %q", r)
			}
			j := i + size
			for j < len(src) {
				r, size := utf8.DecodeRuneInString(src[j:])
				if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
					j += size
					continue
				}
				break
			}
			toks = append(toks, token{kind: tName, text: src[i:j], pos: start})
			i = j
			continue
		}
		if isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])) {
			tok, n, err := lexNumber(src[i:])
			if err != nil {
				return nil, err
			}
			tok.pos = start
			toks = append(toks, tok)
			i += n
			continue
		}
		op := ""
		for _, o := range threeCharOps {
			if strings.HasPrefix(src[i:], o) {
				op = o
				break
			}
		}
		if op == "" {
			for _, o := range twoCharOps {
				if strings.HasPrefix(src[i:], o) {
					op = o
					break
				}
			}
		}
		if op == "" {
			if strings.IndexByte("+-*/%<>=()[]{},:.~&|^@;", c) < 0 {
				return nil, fmt.Errorf("invalid character %q", c)
			}
			op = src[i : i+1]
		}
		toks = append(toks, token{kind: tOp, text: op, pos: start})
		i += len(op)
	}
	toks = append(toks, token{kind: tEOF, pos: len(src)})
	return toks, nil
}

func isNameStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// strPrefix describes a string literal's prefix letters.
type strPrefix struct {
	n     int // prefix length
	raw   bool
	bytes bool
}

// stringPrefix reports whether s starts a string literal, with one of
// Python's prefixes r, b, u, rb or br in any case. f-strings are not part of
// the language.
func stringPrefix(s string) (strPrefix, bool) {
	n := 0
	for n < len(s) && n < 3 && strings.IndexByte("rRbBuU", s[n]) >= 0 {
		n++
	}
	if n >= len(s) || (s[n] != '\'' && s[n] != '"') {
		return strPrefix{}, false
	}
	p := strPrefix{n: n}
	switch strings.ToLower(s[:n]) {
	case "", "u":
	case "r":
		p.raw = true
	case "b":
		p.bytes = true
	case "rb", "br":
		p.raw, p.bytes = true, true
	default:
		return strPrefix{}, false
	}
	return p, true
}

// lexString decodes one string literal (single, double or triple quoted).
func lexString(s string, p strPrefix) (token, int, error) {
	i := p.n
	q := s[i]
	triple := strings.HasPrefix(s[i:], strings.Repeat(string(q), 3))
	quote := string(q)
	if triple {
		quote = strings.Repeat(quote, 3)
	}
	i += len(quote)
	var b strings.Builder
	for {
		if i >= len(s) {
			return token{}, 0, fmt.Errorf("unterminated string literal")
		}
		if strings.HasPrefix(s[i:], quote) {
			i += len(quote)
			break
		}
		c := s[i]
		if c == '\n' && !triple {
			return token{}, 0, fmt.Errorf("unterminated string literal")
		}
		if c != '\\' {
			if p.bytes && c >= utf8.RuneSelf {
				return token{}, 0, fmt.Errorf("bytes can only contain ASCII literal characters")
			}
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return token{}, 0, fmt.Errorf("unterminated string literal")
		}
		if p.raw {
			b.WriteByte('\\')
			b.WriteByte(s[i+1])
			i += 2
			continue
		}
		n, err := decodeEscape(&b, s[i:], p.bytes)
		if err != nil {
			return token{}, 0, err
		}
		i += n
	}
	kind := tStr
	if p.bytes {
		kind = tBytes
	}
	return token{kind: kind, text: b.String()}, i, nil
}

// decodeEscape writes the character a backslash escape at the start of s
// stands for and returns how many bytes it used.
func decodeEscape(b *strings.Builder, s string, bytesLit bool) (int, error) {
	c := s[1]
	switch c {
	case '\n':
		return 2, nil
	case '\\', '\'', '"':
		b.WriteByte(c)
		return 2, nil
	case 'a':
		b.WriteByte('\a')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'v':
		b.WriteByte('\v')
	case '0', '1', '2', '3', '4', '5', '6', '7':
		j := 1
		v := 0
		for j < 4 && j < len(s) && s[j] >= '0' && s[j] <= '7' {
			v = v*8 + int(s[j]-'0')
			j++
		}
		writeCode(b, rune(v), bytesLit)
		return j, nil
	case 'x', 'u', 'U':
		n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
		if bytesLit && c != 'x' {
			b.WriteByte('\\')
			b.WriteByte(c)
			return 2, nil
		}
		if len(s) < 2+n {
			return 0, fmt.Errorf("truncated \\%c escape", c)
		}
		v, err := strconv.ParseUint(s[2:2+n], 16, 32)
		if err != nil {
			return 0, fmt.Errorf("truncated \\%c escape", c)
		}
		if v > unicode.MaxRune {
			return 0, fmt.Errorf("illegal Unicode character")
		}
		writeCode(b, rune(v), bytesLit)
		return 2 + n, nil
	default:
		// Python keeps unknown escapes verbatim.
		b.WriteByte('\\')
		b.WriteByte(c)
	}
	return 2, nil
}

// writeCode writes a code point from an escape: in a bytes literal it is
// one byte, in a str literal its UTF-8 form.
func writeCode(b *strings.Builder, r rune, bytesLit bool) {
	if bytesLit {
		b.WriteByte(byte(r))
		return
	}
	b.WriteRune(r)
}

// lexNumber reads an int or float literal, with Python's 0x/0o/0b prefixes
// and underscores between digits.
func lexNumber(s string) (token, int, error) {
	i := 0
	if len(s) > 1 && s[0] == '0' && strings.IndexByte("xXoObB", s[1]) >= 0 {
		base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[s[1]]
		i = 2
		for i < len(s) && (isHexDigit(s[i]) || s[i] == '_') {
			i++
		}
		return intToken(strings.ReplaceAll(s[2:i], "_", ""), base, i)
	}
	isFloat := false
	for i < len(s) && (isDigit(s[i]) || s[i] == '_') {
		i++
	}
	if i < len(s) && s[i] == '.' && !(i+1 < len(s) && s[i+1] == '.') {
		isFloat = true
		i++
		for i < len(s) && (isDigit(s[i]) || s[i] == '_') {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			isFloat = true
			i = j
			for i < len(s) && (isDigit(s[i]) || s[i] == '_') {
				i++
			}
		}
	}
	if i < len(s) && (s[i] == 'j' || s[i] == 'J') {
		return token{}, 0, fmt.Errorf("complex numbers are not supported")
	}
	if i < len(s) && (isNameStart(s[i]) || isDigit(s[i])) {
		return token{}, 0, fmt.Errorf("invalid decimal literal")
	}
	text := s[:i]
	if strings.Contains(text, "__") || strings.HasSuffix(text, "_") {
		return token{}, 0, fmt.Errorf("invalid decimal literal")
	}
	text = strings.ReplaceAll(text, "_", "")
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil && !isRangeErr(err) {
			return token{}, 0, fmt.Errorf("invalid float literal %q", text)
		}
		return token{kind: tFloat, f: f}, i, nil
	}
	if len(text) > 1 && text[0] == '0' && strings.Trim(text, "0") != "" {
		return token{}, 0, fmt.Errorf("leading zeros in decimal integer literals are not permitted")
	}
	return intToken(text, 10, i)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func isHexDigit(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func intToken(digits string, base, n int) (token, int, error) {
	if digits == "" {
		return token{}, 0, fmt.Errorf("invalid integer literal")
	}
	if v, err := strconv.ParseInt(digits, base, 64); err == nil {
		return token{kind: tInt, i: v}, n, nil
	}
	if base == 10 && len(digits) > maxIntDigits {
		return token{}, 0, fmt.Errorf("integer literal exceeds the limit of %d digits", maxIntDigits)
	}
	b, ok := new(big.Int).SetString(digits, base)
	if !ok {
		return token{}, 0, fmt.Errorf("invalid integer literal %q", digits)
	}
	return token{kind: tInt, big: b}, n, nil
}
