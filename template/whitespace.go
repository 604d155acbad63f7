package template

import (
	"strings"
	"unicode/utf8"
)

// Whitespace modes, Tornado's names.
const (
	// WhitespaceAll keeps text as written.
	WhitespaceAll = "all"
	// WhitespaceSingle collapses runs of spaces and tabs to one space and any
	// whitespace run holding a newline to one newline. The default for
	// templates whose names end in .html or .js.
	WhitespaceSingle = "single"
	// WhitespaceOneline collapses every whitespace run to one space.
	WhitespaceOneline = "oneline"
)

func validWhitespace(mode string) bool {
	return mode == WhitespaceAll || mode == WhitespaceSingle || mode == WhitespaceOneline
}

// defaultWhitespace is Tornado's rule: single for .html and .js, all else.
func defaultWhitespace(name string) string {
	if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".js") {
		return WhitespaceSingle
	}
	return WhitespaceAll
}

// filterWhitespace applies a whitespace mode to a text chunk, with
// Python's definition of whitespace (str.isspace).
func filterWhitespace(mode, text string) string {
	if mode == WhitespaceAll || text == "" {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !pyIsSpace(r) {
			b.WriteString(text[i : i+size])
			i += size
			continue
		}
		// A maximal whitespace run.
		j := i
		newline := false
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !pyIsSpace(r) {
				break
			}
			newline = newline || r == '\n'
			j += size
		}
		run := text[i:j]
		i = j
		switch {
		case mode == WhitespaceOneline:
			b.WriteByte(' ')
		case newline:
			b.WriteByte('\n')
		default:
			// single: each run of spaces and tabs becomes one space; other
			// whitespace characters (\r, \f, \v, Unicode spaces) stay.
			inBlank := false
			for _, r := range run {
				if r == ' ' || r == '\t' {
					if !inBlank {
						b.WriteByte(' ')
					}
					inBlank = true
					continue
				}
				inBlank = false
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
