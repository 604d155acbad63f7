package slug

import (
	"context"
	"errors"
	"strings"
	"testing"
)

var makeTests = []struct {
	name, title, want string
}{
	{"plain words", "Hello World", "hello-world"},
	{"punctuation runs become one dash", "Hello,   World!!! -- again", "hello-world-again"},
	{"leading and trailing separators trimmed", "  ...Hello...  ", "hello"},
	{"accents dropped (NFKD)", "Crème Brûlée", "creme-brulee"},
	{"accent inside a word keeps the word whole", "résumé", "resume"},
	{"compatibility forms (NFKD)", "ﬁne Ⅻ ①", "fine-xii-1"},
	{"full-width letters (NFKD)", "Ｈｅｌｌｏ", "hello"},
	{"underscore is a word character", "snake_case name", "snake_case-name"},
	{"digits kept", "Top 10 of 2024", "top-10-of-2024"},
	{"non-ASCII letters vanish without separators", "日本 語 test", "test"},
	{"only non-ASCII letters", "日本語", "entry"},
	{"only punctuation", "!!!", "entry"},
	{"empty", "", "entry"},
	{"emoji is a separator", "go🚀fast", "go-fast"},
	{"German sharp s is dropped, as in the demo", "Straße", "strae"},
	{"Greek dropped", "αβγ abc", "abc"},
	{"mixed case", "MiXeD CaSe", "mixed-case"},
	{"apostrophes separate", "It's Tornado's", "it-s-tornado-s"},
	{"control characters separate", "a\x00b\tc\nd", "a-b-c-d"},
	{"invalid UTF-8 separates", "a\xffb", "a-b"},
	{"cut to 100 characters", strings.Repeat("a", 150), strings.Repeat("a", 100)},
	{"a cut never ends with a dash", strings.Repeat("a", 99) + " b", strings.Repeat("a", 99)},
	{"a cut never splits a word", strings.Repeat("ab ", 40), strings.TrimSuffix(strings.Repeat("ab-", 33), "-")},
	{"a cut splits one long word", "a " + strings.Repeat("b", 120), "a-" + strings.Repeat("b", 98)},
}

func TestMake(t *testing.T) {
	for _, tc := range makeTests {
		if got := Make(tc.title); got != tc.want {
			t.Errorf("%s: Make(%q) = %q, want %q", tc.name, tc.title, got, tc.want)
		}
	}
}

func takenSet(slugs ...string) func(context.Context, string) (bool, error) {
	set := map[string]bool{}
	for _, s := range slugs {
		set[s] = true
	}
	return func(_ context.Context, s string) (bool, error) { return set[s], nil }
}

func TestUnique(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name, base string
		taken      []string
		want       string
	}{
		{"free", "hello", nil, "hello"},
		{"taken once", "hello", []string{"hello"}, "hello-2"},
		{"taken thrice", "hello", []string{"hello", "hello-2", "hello-3"}, "hello-4"},
		{"other slugs do not matter", "hello", []string{"hello-2"}, "hello"},
		{"suffix fits in 100", long, []string{long}, strings.Repeat("x", 98) + "-2"},
		{"two-digit suffix fits in 100", long, append([]string{long}, suffixed(long, 2, 9)...), strings.Repeat("x", 97) + "-10"},
		{"no dash before the suffix doubled", strings.Repeat("x", 98) + "-y", []string{strings.Repeat("x", 98) + "-y"}, strings.Repeat("x", 98) + "-2"},
	}
	for _, tc := range tests {
		got, err := Unique(context.Background(), tc.base, takenSet(tc.taken...))
		if err != nil || got != tc.want {
			t.Errorf("%s: Unique(%q) = %q, %v; want %q", tc.name, tc.base, got, err, tc.want)
		}
		if len(got) > MaxLength {
			t.Errorf("%s: Unique(%q) = %q is longer than %d", tc.name, tc.base, got, MaxLength)
		}
	}
}

func suffixed(base string, from, to int) []string {
	var s []string
	for n := from; n <= to; n++ {
		suffix := "-" + string(rune('0'+n))
		s = append(s, cut(base, MaxLength-len(suffix))+suffix)
	}
	return s
}

func TestUniqueErrors(t *testing.T) {
	boom := errors.New("database down")
	_, err := Unique(context.Background(), "a", func(context.Context, string) (bool, error) { return false, boom })
	if !errors.Is(err, boom) {
		t.Errorf("Unique with a failing taken: %v, want it wrapped", err)
	}
	_, err = Unique(context.Background(), "a", func(context.Context, string) (bool, error) { return true, nil })
	if !errors.Is(err, ErrExhausted) {
		t.Errorf("Unique with everything taken: %v, want ErrExhausted", err)
	}
}

func FuzzMake(f *testing.F) {
	for _, tc := range makeTests {
		f.Add(tc.title)
	}
	f.Fuzz(func(t *testing.T, title string) {
		s := Make(title)
		if s == "" || len(s) > MaxLength {
			t.Fatalf("Make(%q) = %q: empty or longer than %d", title, s, MaxLength)
		}
		if strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") || strings.Contains(s, "--") {
			t.Fatalf("Make(%q) = %q: stray dash", title, s)
		}
		for _, r := range s {
			if !isASCIIWord(r) && r != '-' || r >= 'A' && r <= 'Z' {
				t.Fatalf("Make(%q) = %q: character %q", title, s, r)
			}
		}
		if Make(s) != s {
			t.Fatalf("Make(%q) = %q, but Make(%q) = %q: not idempotent", title, s, s, Make(s))
		}
	})
}
