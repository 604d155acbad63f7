package locale

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// ParseAcceptLanguage returns the language codes of an Accept-Language
// header, most preferred first, the way Tornado's get_browser_locale reads
// it: entries split at ',', a q-value read only from the parameter right
// after the code ("fr;q=0.5"), entries without one scoring 1; a q-value
// that is not a number, or is negative, scores 0; entries scoring 0 (or
// NaN) are dropped; equal scores keep header order. Codes are returned as
// written (Get normalises them); empty codes are left out.
//
//	locale.Get(locale.ParseAcceptLanguage("fr-CA, fr;q=0.9, en;q=0.8")...)
func ParseAcceptLanguage(header string) []string {
	type scored struct {
		code  string
		score float64
	}
	var langs []scored
	for lang := range strings.SplitSeq(header, ",") {
		parts := strings.Split(strings.TrimFunc(lang, isPySpace), ";")
		score := 1.0
		if len(parts) > 1 {
			if p := strings.TrimFunc(parts[1], isPySpace); strings.HasPrefix(p, "q=") {
				q, ok := pyFloat(p[2:])
				if !ok || q < 0 {
					q = 0
				}
				score = q
			}
		}
		if score > 0 && parts[0] != "" {
			langs = append(langs, scored{parts[0], score})
		}
	}
	slices.SortStableFunc(langs, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	codes := make([]string, len(langs))
	for i, l := range langs {
		codes[i] = l.code
	}
	return codes
}

// pyFloat parses s as Python's float(): surrounding white space allowed,
// decimal digits with '_' only between digits, "inf", "infinity" and
// "nan" in any case, overflow to infinity; no hexadecimal.
func pyFloat(s string) (float64, bool) {
	s = strings.TrimFunc(s, isPySpace)
	if s == "" {
		return 0, false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			if i == 0 || i == len(s)-1 || !isDigit(s[i-1]) || !isDigit(s[i+1]) {
				return 0, false
			}
		case c == 'x' || c == 'X':
			return 0, false // Go would read a hexadecimal float; Python does not
		case isDigit(c) || strings.IndexByte("+-.", c) >= 0 || 'a' <= c|0x20 && c|0x20 <= 'z':
			b.WriteByte(c)
		default:
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(b.String(), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && (math.IsInf(f, 0) || f == 0) {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
