package httputil

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// foldRE matches a header line break with the whitespace around it that
// ParseHeaders turns into one space when the next line continues the field.
var foldRE = regexp.MustCompile(`[ \t]*\r?\n[ \t]+`)

func FuzzParseMultipart(f *testing.F) {
	for _, tt := range multipartTests {
		b := tt.boundary
		if b == "" {
			b = "1234"
		}
		f.Add(b, []byte(tt.body))
	}
	f.Add("b", []byte(multipartBody(3, "; filename*=utf-8''%C3%A1")))
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		args, files := url.Values{}, map[string][]*File{}
		err := ParseBodyArguments("multipart/form-data; boundary="+boundary, body, args, files, nil)
		if err != nil {
			return
		}
		// The boundary as the Content-Type gives it: the parameter trimmed
		// of spaces (HTTP's OWS) and of one pair of quotes.
		b, _ := findBoundary(" boundary=" + boundary)
		// Names and filenames are unquoted and RFC 2231-decoded, so only
		// plain ones can be looked up verbatim in the body.
		plain := func(s string) bool {
			return !strings.ContainsAny(s, "\\\"<>") && !bytes.Contains(body, []byte("*"))
		}
		// Part headers may fold (obs-fold, as Tornado's parser allows): a
		// name is then found in the body with each fold made one space.
		unfolded := foldRE.ReplaceAll(body, []byte(" "))
		n := 0
		for name, vs := range args {
			n += len(vs)
			if plain(name) && !bytes.Contains(unfolded, []byte(name)) {
				t.Fatalf("argument name %q not in the body", name)
			}
			for _, v := range vs {
				if !bytes.Contains(body, []byte(v)) {
					t.Fatalf("argument value %q not in the body", v)
				}
				if strings.Contains(v, "--"+b+"\r\n") {
					t.Fatalf("value %q holds a delimiter", v)
				}
			}
		}
		for name, fs := range files {
			n += len(fs)
			if plain(name) && !bytes.Contains(unfolded, []byte(name)) {
				t.Fatalf("file field name %q not in the body", name)
			}
			if name == "" {
				t.Fatal("file with an empty field name")
			}
			for _, f := range fs {
				if f.Filename == "" {
					t.Fatal("file with an empty filename")
				}
				if plain(f.Filename) && !bytes.Contains(body, []byte(f.Filename)) {
					t.Fatalf("filename %q not in the body", f.Filename)
				}
				if !bytes.Contains(body, f.Body) {
					t.Fatalf("file body %q not in the body", f.Body)
				}
			}
		}
		if n > MaxMultipartParts {
			t.Fatalf("%d fields from one body", n)
		}
		if n > 0 && !bytes.HasPrefix(body, []byte("--"+b+"\r\n")) {
			t.Fatalf("fields parsed from a body not starting with its delimiter")
		}
	})
}

func FuzzParseURLEncoded(f *testing.F) {
	f.Add([]byte("a=1&b=%20+x&c&&d=%zz"))
	f.Fuzz(func(t *testing.T, body []byte) {
		args := url.Values{}
		if err := ParseBodyArguments("application/x-www-form-urlencoded", body, args, nil, nil); err != nil {
			t.Fatal(err)
		}
		// What url.ParseQuery accepts, it must read the same way.
		if q, err := url.ParseQuery(string(body)); err == nil {
			for k, vs := range q {
				if k == "" && len(args[k]) == 0 {
					continue
				}
				if fmt.Sprint(args[k]) != fmt.Sprint(vs) {
					t.Fatalf("%q: %q vs net/url %q", k, args[k], vs)
				}
			}
		}
	})
}

func FuzzParseCookie(f *testing.F) {
	for _, tt := range cookieTests {
		f.Add(tt.header)
	}
	f.Fuzz(func(t *testing.T, header string) {
		for name, value := range ParseCookie(header) {
			if strings.ContainsAny(name, ";=") {
				t.Fatalf("cookie name %q holds a separator", name)
			}
			if name != trimASCIISpace(name) {
				t.Fatalf("cookie name %q is not trimmed", name)
			}
			if len(value) > len(header) {
				t.Fatalf("value %q longer than the header", value)
			}
			// A ';' in a value can only come from an octal escape.
			if strings.Contains(value, ";") && !strings.Contains(header, `\073`) {
				t.Fatalf("cookie %q=%q spans a separator", name, value)
			}
		}
	})
}

func FuzzParseRange(f *testing.F) {
	for _, tt := range rangeTests {
		f.Add(tt.header, int64(26))
	}
	f.Fuzz(func(t *testing.T, header string, size int64) {
		start, end, ok := ParseRange(header)
		if !ok {
			return
		}
		if end >= 0 && start < 0 {
			t.Fatalf("%q: suffix %d with an end %d", header, start, end)
		}
		// A closed range "a-b" with a <= b rebuilds its header.
		if start >= 0 && end > start {
			cr := ContentRange(start, end, maxRangeValue+1)
			want := "bytes " + strconv.FormatInt(start, 10) + "-" + strconv.FormatInt(end-1, 10) + "/" + strconv.FormatInt(maxRangeValue+1, 10)
			if cr != want {
				t.Fatalf("%q: ContentRange = %q, want %q", header, cr, want)
			}
		}
		if size < 0 || size > maxRangeValue {
			return
		}
		first, last, partial, satisfiable := ResolveRange(start, end, size)
		if !satisfiable {
			return
		}
		if !(0 <= first && first < last && last <= size) {
			t.Fatalf("%q size %d: resolved to [%d, %d)", header, size, first, last)
		}
		if partial == (first == 0 && last == size) {
			t.Fatalf("%q size %d: partial %v for [%d, %d)", header, size, partial, first, last)
		}
		// Content-Range round trip: parse the range it names back.
		cr := ContentRange(first, last, size)
		var a, b, n int64
		if _, err := fmt.Sscanf(cr, "bytes %d-%d/%d", &a, &b, &n); err != nil || a != first || b != last-1 || n != size {
			t.Fatalf("ContentRange %q does not name [%d, %d) of %d", cr, first, last, size)
		}
		s2, e2, ok2 := ParseRange("bytes=" + strconv.FormatInt(a, 10) + "-" + strconv.FormatInt(b, 10))
		if f2, l2, _, ok3 := ResolveRange(s2, e2, size); !ok2 || !ok3 || f2 != first || l2 != last {
			t.Fatalf("round trip of %q gave [%d, %d)", cr, f2, l2)
		}
	})
}
