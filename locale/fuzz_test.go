package locale

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzParseAcceptLanguage(f *testing.F) {
	for _, s := range []string{"fr-FR;q=0.9, en", "a;q=-1,b;q=nan,c;q=1_0", ";;,,", "x;q=1e999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		codes := ParseAcceptLanguage(header)
		for _, c := range codes {
			if c == "" || strings.ContainsAny(c, ",;") || !strings.Contains(header, c) {
				t.Fatalf("ParseAcceptLanguage(%q) gave code %q", header, c)
			}
		}
		_ = closestLocked(codes) // must not panic on any code
	})
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("\"school\",\"\u00e9cole\"\n\"a\",\"b\",\"plural\"\n"))
	f.Add([]byte{0xff, 0xfe, 'a', 0, ',', 0, 'b', 0})
	f.Add([]byte("a\"b,\"c\"d\"\r\nx"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := parseCSV("x.csv", data)
		if err != nil {
			return
		}
		for kind, m := range cat {
			if kind != "singular" && kind != "plural" && kind != "unknown" {
				t.Fatalf("kind %q loaded", kind)
			}
			for k, v := range m {
				if !utf8.ValidString(k) || !utf8.ValidString(v) {
					t.Fatalf("invalid UTF-8 loaded: %q → %q", k, v)
				}
			}
		}
	})
}

func FuzzInterpolate(f *testing.F) {
	f.Add("%(n)05d and %(s)-3s %% %(")
	f.Fuzz(func(t *testing.T, format string) {
		out := interpolate(format, map[string]string{"n": "-12", "s": "x"})
		if !strings.Contains(format, "%") && out != format {
			t.Fatalf("interpolate(%q) = %q changed text without conversions", format, out)
		}
	})
}

func FuzzFormatDate(f *testing.F) {
	f.Add(int64(0), int64(1583334360), 0, false, false, false)
	f.Add(int64(-62135596800), int64(253402300799), -840, true, true, true)
	f.Fuzz(func(t *testing.T, date, now int64, offset int, absolute, shorter, full bool) {
		if offset < -100000 || offset > 100000 {
			return
		}
		l := newLocale("en_US", nil)
		out := l.FormatDateAt(time.Unix(date, 0), time.Unix(now, 0), DateOptions{GMTOffset: offset, Absolute: absolute, Shorter: shorter, FullFormat: full})
		if out == "" || strings.Contains(out, "%(") {
			t.Fatalf("FormatDateAt(%d, %d) = %q", date, now, out)
		}
	})
}
