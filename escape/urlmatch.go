package escape

import "unicode/utf8"

// Tornado finds URLs with this Python regular expression, applied to the
// HTML-escaped text:
//
//	\b((?:([\w-]+):(/{1,3})|www[.])
//	  (?:(?:(?:[^\s&()]|&amp;|&quot;)*(?:[^!"#$%&'()*+,.:;<=>?@\[\]^`{|}~\s]))
//	    |(?:\((?:[^\s&()]|&amp;|&quot;)*\)))+)
//
// Go's regexp cannot express it faithfully (its \b, \w and \s are ASCII
// only, Python's are Unicode), so matchURL below walks the text the way
// Python's backtracking matcher does. In the body, an "atom" is one
// character other than white space, '&', '(' and ')', or one of the
// entities "&amp;" and "&quot;"; a "final" character is an atom character
// that is not ASCII punctuation. A body is a sequence of items, each either
// atoms ending in a final character (greedy: up to the last final
// character of the run of atoms) or a parenthesised run of atoms.

// matchURL tries to match the URL pattern at t[i:]. noProtoBefore caches,
// across calls for increasing i, the end of a run of [\w-] characters not
// followed by ':': no start inside that run can match "scheme:", which
// keeps long hyphenated words from costing quadratic time.
func matchURL(t string, i int, noProtoBefore *int) (urlMatch, bool) {
	r, _ := utf8.DecodeRuneInString(t[i:])
	if !isPyWord(r) && r != '-' {
		return urlMatch{}, false
	}
	prev, _ := utf8.DecodeLastRuneInString(t[:i])
	if i == 0 {
		prev = ' '
	}
	if isPyWord(prev) == isPyWord(r) { // \b: a word character on one side only
		return urlMatch{}, false
	}
	if i >= *noProtoBefore {
		j := i
		for j < len(t) {
			c, size := utf8.DecodeRuneInString(t[j:])
			if !isPyWord(c) && c != '-' {
				break
			}
			j += size
		}
		if j < len(t) && t[j] == ':' {
			slashes := 0
			for slashes < 3 && j+1+slashes < len(t) && t[j+1+slashes] == '/' {
				slashes++
			}
			// /{1,3} is greedy: give slashes back to the body until it matches.
			for s := slashes; s >= 1; s-- {
				if end, ok := matchURLBody(t, j+1+s); ok {
					return urlMatch{end: end, proto: t[i:j], slashes: t[j+1 : j+1+s]}, true
				}
			}
		}
		// Every start inside this run sees the same ':' and slashes and
		// the same body, so none of them can match "scheme:" either.
		*noProtoBefore = j
	}
	if len(t)-i >= 4 && t[i:i+4] == "www." {
		if end, ok := matchURLBody(t, i+4); ok {
			return urlMatch{end: end}, true
		}
	}
	return urlMatch{}, false
}

// matchURLBody matches one or more body items from t[p:] and returns the
// end of the last.
func matchURLBody(t string, p int) (int, bool) {
	start := p
	for p < len(t) {
		_, lastFinal := atomRun(t, p)
		if lastFinal > p {
			p = lastFinal // atoms ending in a final character
			continue
		}
		if t[p] == '(' {
			inner, _ := atomRun(t, p+1)
			if inner < len(t) && t[inner] == ')' {
				p = inner + 1
				continue
			}
		}
		break
	}
	return p, p > start
}

// atomRun scans the maximal run of atoms from t[p:] and returns where it
// ends and the end of its last final character (p if it has none).
func atomRun(t string, p int) (end, lastFinal int) {
	lastFinal = p
	for p < len(t) {
		c := t[p]
		switch {
		case c == '&':
			switch {
			case len(t)-p >= 5 && t[p:p+5] == "&amp;":
				p += 5
			case len(t)-p >= 6 && t[p:p+6] == "&quot;":
				p += 6
			default:
				return p, lastFinal
			}
		case c == '(' || c == ')':
			return p, lastFinal
		case c < utf8.RuneSelf:
			if isPySpace(rune(c)) {
				return p, lastFinal
			}
			p++
			if !isASCIIPunct(c) {
				lastFinal = p
			}
		default:
			r, size := utf8.DecodeRuneInString(t[p:])
			if isPySpace(r) {
				return p, lastFinal
			}
			p += size
			lastFinal = p
		}
	}
	return p, lastFinal
}

// isASCIIPunct reports the characters the pattern refuses as the last of
// a URL: !"#$%&'()*+,.:;<=>?@[]^`{|}~ (and so not '/', '-' or '_').
func isASCIIPunct(c byte) bool {
	switch c {
	case '!', '"', '#', '$', '%', '&', '\'', '(', ')', '*', '+', ',', '.', ':', ';',
		'<', '=', '>', '?', '@', '[', ']', '^', '`', '{', '|', '}', '~':
		return true
	}
	return false
}
