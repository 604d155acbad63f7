// Package slug makes the URL names of blog entries from their titles, as
// Tornado's blog demo does: Unicode NFKD-normalised, lower-case, runs of
// non-word characters turned into one "-", ASCII only, "entry" when nothing
// is left, and a "-2", "-3"... suffix while the name is taken.
//
//	slug.Make("Crème Brûlée: a recipe!") // "creme-brulee-a-recipe"
//	slug.Make("日本語")                  // "entry"
package slug

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

const (
	// MaxLength is the longest slug: the entries.slug column is
	// VARCHAR(100), and the same limit on both databases keeps them
	// accepting the same data.
	MaxLength = 100
	// Empty is the slug of a title with no ASCII letter or digit.
	Empty = "entry"
	// maxAttempts bounds Unique's search for a free suffix, so a broken
	// taken function cannot loop forever; a blog with ten thousand entries
	// of one title has bigger problems.
	maxAttempts = 10000
)

// ErrExhausted is returned by Unique when no free slug was found within its
// attempt limit.
var ErrExhausted = errors.New("slug: no free slug found")

// Make returns the slug of title: at most MaxLength characters of a-z, 0-9,
// "_" and "-", never starting or ending with "-", never empty.
//
// Accents are dropped rather than treated as separators ("résumé" is
// "resume"; Python's \w does not match combining marks, so the demo makes
// "re-sume"), and letters outside ASCII vanish without leaving a "-" behind
// (the demo can produce "--test").
func Make(title string) string {
	var b strings.Builder
	sep := false // a separator is pending: written before the next word rune
	for _, r := range norm.NFKD.String(title) {
		switch {
		case isASCIIWord(r):
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Mn, r):
			// Combining mark (an accent after NFKD): part of its letter.
		case r > unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsNumber(r)):
			// A word rune outside ASCII: dropped, as Python's
			// encode("ascii", "ignore").
		default:
			sep = true
		}
	}
	return cut(b.String(), MaxLength)
}

func isASCIIWord(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
}

// cut shortens s to at most n bytes (s is ASCII), at the last "-" when
// the cut would split a word and that keeps at least half of it, and trims
// the "-" a cut can leave at the end; "" becomes Empty.
func cut(s string, n int) string {
	if len(s) > n {
		if i := strings.LastIndexByte(s[:n+1], '-'); s[n] != '-' && i >= n/2 {
			n = i
		}
		s = strings.TrimRight(s[:n], "-")
	}
	if s == "" {
		return Empty
	}
	return s
}

// Unique returns base if it is free, else the first free one of base-2,
// base-3..., each cut so that it stays within MaxLength. taken reports
// whether a slug is in use (store.Store's SlugTaken). Two writers can still
// pick the same free slug at once: the database's unique constraint decides
// and the loser calls Unique again.
func Unique(ctx context.Context, base string, taken func(context.Context, string) (bool, error)) (string, error) {
	base = cut(base, MaxLength)
	for n := 1; n <= maxAttempts; n++ {
		s := base
		if n > 1 {
			suffix := "-" + strconv.Itoa(n)
			s = cut(base, MaxLength-len(suffix)) + suffix
		}
		t, err := taken(ctx, s)
		if err != nil {
			return "", fmt.Errorf("slug: checking %q: %w", s, err)
		}
		if !t {
			return s, nil
		}
	}
	return "", fmt.Errorf("%w: %q and %d more", ErrExhausted, base, maxAttempts-1)
}
