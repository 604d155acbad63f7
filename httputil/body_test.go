package httputil

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// crlf turns the readable "\n" of a test body into the wire's "\r\n".
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

type fileWant struct{ field, filename, ctype, body string }

var multipartTests = []struct {
	name     string
	boundary string // "" means 1234
	body     string
	args     url.Values // nil: none
	files    []fileWant
	err      bool
}{
	// Repeated part headers would be joined into one value: refused.
	{name: "two dispositions", body: crlf("--1234\nContent-Disposition: form-data; name=a\nContent-Disposition: form-data; name=b\n\nx\n--1234--"), err: true},
	{name: "two content types", body: crlf("--1234\nContent-Disposition: form-data; name=f; filename=a\nContent-Type: text/plain\nContent-Type: text/html\n\nx\n--1234--"), err: true},
	// Tornado's MultipartFormDataTest, in order.
	{name: "file upload", body: crlf("--1234\nContent-Disposition: form-data; name=\"files\"; filename=\"ab.txt\"\n\nFoo\n--1234--"),
		files: []fileWant{{"files", "ab.txt", "application/unknown", "Foo"}}},
	{name: "unquoted names", body: crlf("--1234\nContent-Disposition: form-data; name=files; filename=ab.txt\n\nFoo\n--1234--"),
		files: []fileWant{{"files", "ab.txt", "application/unknown", "Foo"}}},
	{name: "non-ascii filename rfc 5987", body: crlf("--1234\nContent-Disposition: form-data; name=\"files\"; filename=\"ab.txt\"; filename*=UTF-8''%C3%A1b.txt\n\nFoo\n--1234--"),
		files: []fileWant{{"files", "\u00e1b.txt", "application/unknown", "Foo"}}},
	{name: "non-ascii filename raw utf-8", body: crlf("--1234\nContent-Disposition: form-data; name=\"files\"; filename=\"\u00e1b.txt\"\n\nFoo\n--1234--"),
		files: []fileWant{{"files", "\u00e1b.txt", "application/unknown", "Foo"}}},
	{name: "boundary starts and ends with quotes", boundary: `"1234"`, body: crlf("--1234\nContent-Disposition: form-data; name=\"files\"; filename=\"ab.txt\"\n\nFoo\n--1234--"),
		files: []fileWant{{"files", "ab.txt", "application/unknown", "Foo"}}},
	{name: "missing headers", body: crlf("--1234\n\nFoo\n--1234--"), err: true},
	{name: "invalid content disposition", body: crlf("--1234\nContent-Disposition: invalid; name=\"files\"; filename=\"ab.txt\"\n\nFoo\n--1234--"), err: true},
	{name: "line does not end with crlf", body: crlf("--1234\nContent-Disposition: form-data; name=\"files\"; filename=\"ab.txt\"\n\nFoo--1234--"), err: true},
	{name: "content disposition without name", body: crlf("--1234\nContent-Disposition: form-data; filename=\"ab.txt\"\n\nFoo\n--1234--"), err: true},
	{name: "data after final boundary ignored", body: crlf("--1234\nContent-Disposition: form-data; name=\"files\"; filename=\"ab.txt\"\n\nFoo\n--1234--\n"),
		files: []fileWant{{"files", "ab.txt", "application/unknown", "Foo"}}},

	// Our own.
	{name: "arguments and files mixed", body: crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\none\n--b\nContent-Disposition: form-data; name=\"a\"\n\ntwo\n--b\nContent-Disposition: form-data; name=\"f\"; filename=\"x.png\"\nContent-Type: image/png\n\n\x89PNG\n\n--b--\n"), boundary: "b",
		args: url.Values{"a": {"one", "two"}}, files: []fileWant{{"f", "x.png", "image/png", "\x89PNG\r\n"}}},
	{name: "empty value", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\n\n--b--"), args: url.Values{"a": {""}}},
	{name: "no body after blank line is empty", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\n--b--"), args: url.Values{"a": {""}}},
	{name: "empty filename is an argument", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=\"a\"; filename=\"\"\n\nx\n--b--"), args: url.Values{"a": {"x"}}},
	{name: "value with crlf and dashes", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\nx\n--c\n-b--\n--bx\n--b--"), args: url.Values{"a": {"x\r\n--c\r\n-b--\r\n--bx"}}},
	{name: "no parts", boundary: "b", body: "--b--", args: nil},
	{name: "no parts with epilogue", boundary: "b", body: "--b--\r\nwhatever", args: nil},
	{name: "empty parts skipped", boundary: "b", body: crlf("--b\n--b\nContent-Disposition: form-data; name=a\n\n1\n--b--"), args: url.Values{"a": {"1"}}},
	{name: "case-insensitive disposition", boundary: "b", body: crlf("--b\nContent-Disposition: Form-Data; name=a\n\n1\n--b--"), args: url.Values{"a": {"1"}}},
	{name: "header names any case", boundary: "b", body: crlf("--b\ncontent-disposition: form-data; name=a\ncontent-type: text/plain\n\n1\n--b--"), args: url.Values{"a": {"1"}}},
	{name: "bare lf in part header", boundary: "b", body: "--b\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\n1\r\n--b--", args: url.Values{"a": {"1"}}},
	{name: "first close delimiter ends the body", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=a\n\n1\n--b--\n--b\nContent-Disposition: form-data; name=c\n\n2\n--b--"), args: url.Values{"a": {"1"}}},
	{name: "filename special characters", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=\"f\"; filename=\"a\\\";\\\\b;.txt\"\n\nx\n--b--"),
		files: []fileWant{{"f", `a";\b;.txt`, "application/unknown", "x"}}},
	{name: "rfc 2231 continuations", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=f; filename*0*=utf-8''%C3; filename*1*=%A1.txt\n\nx\n--b--"),
		files: []fileWant{{"f", "\u00e1.txt", "application/unknown", "x"}}},
	{name: "rfc 2231 latin-1", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=f; filename*=iso-8859-1'en'%E1.txt\n\nx\n--b--"),
		files: []fileWant{{"f", "\u00e1.txt", "application/unknown", "x"}}},
	{name: "rfc 2231 bad utf-8 replaced", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=f; filename*=utf-8''%FF.txt\n\nx\n--b--"),
		files: []fileWant{{"f", "\ufffd.txt", "application/unknown", "x"}}},

	{name: "no final boundary", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=a\n\n1\n--b\n"), err: true},
	{name: "empty body", boundary: "b", body: "", err: true},
	{name: "preamble", boundary: "b", body: crlf("hello\n--b\nContent-Disposition: form-data; name=a\n\n1\n--b--"), err: true},
	{name: "preamble crlf", boundary: "b", body: crlf("\n--b\nContent-Disposition: form-data; name=a\n\n1\n--b--"), err: true},
	{name: "first delimiter followed by junk", boundary: "b", body: crlf("--bx\n--b\nContent-Disposition: form-data; name=a\n\n1\n--b--"), err: true},
	{name: "lf-only delimiters", boundary: "b", body: "--b\nContent-Disposition: form-data; name=a\n\n1\n--b--", err: true},
	{name: "header without colon", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=a\nbogus\n\n1\n--b--"), err: true},
	{name: "header with control character", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=a\x00\n\n1\n--b--"), err: true},
	{name: "part header not utf-8", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=\"\xff\"\n\n1\n--b--"), err: true},
	{name: "empty name", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name=\"\"\n\n1\n--b--"), err: true},
	{name: "name without value", boundary: "b", body: crlf("--b\nContent-Disposition: form-data; name\n\n1\n--b--"), err: true},
	{name: "no content-disposition", boundary: "b", body: crlf("--b\nContent-Type: text/plain\n\n1\n--b--"), err: true},
	{name: "obs-fold in part header accepted", boundary: "b", body: crlf("--b\nContent-Disposition: form-data;\n name=a\n\n1\n--b--"), args: url.Values{"a": {"1"}}},
}

func TestMultipart(t *testing.T) {
	for _, tt := range multipartTests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.boundary
			if b == "" {
				b = "1234"
			}
			args, files := url.Values{}, map[string][]*File{}
			err := ParseBodyArguments("multipart/form-data; boundary="+b, []byte(tt.body), args, files, nil)
			if tt.err {
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("err = %v, want *InputError; args %q", err, args)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tt.args
			if want == nil {
				want = url.Values{}
			}
			if !maps.EqualFunc(args, want, slices.Equal) {
				t.Errorf("args = %q, want %q", args, want)
			}
			var got []fileWant
			for _, field := range sortedKeys(files) {
				for _, f := range files[field] {
					got = append(got, fileWant{field, f.Filename, f.ContentType, string(f.Body)})
				}
			}
			if !slices.Equal(got, tt.files) {
				t.Errorf("files = %q, want %q", got, tt.files)
			}
		})
	}
}

// Tornado's test_special_filenames: names with quotes, semicolons and
// backslashes survive quoting.
func TestMultipartSpecialFilenames(t *testing.T) {
	for _, name := range []string{"a;b.txt", `a"b.txt`, `a";b.txt`, `a;"b.txt`, `a";";.txt`, `a\"b.txt`, `a\b.txt`} {
		quoted := strings.ReplaceAll(strings.ReplaceAll(name, `\`, `\\`), `"`, `\"`)
		body := crlf("--1234\nContent-Disposition: form-data; name=\"files\"; filename=\"" + quoted + "\"\n\nFoo\n--1234--")
		files := map[string][]*File{}
		if err := ParseBodyArguments("multipart/form-data; boundary=1234", []byte(body), nil, files, nil); err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if f := files["files"]; len(f) != 1 || f[0].Filename != name || string(f[0].Body) != "Foo" {
			t.Errorf("%q: got %+v", name, f)
		}
	}
}

func multipartBody(parts int, header string) string {
	var b strings.Builder
	for i := 0; i < parts; i++ {
		fmt.Fprintf(&b, "--b\r\nContent-Disposition: form-data; name=\"f%d\"%s\r\n\r\nv\r\n", i, header)
	}
	b.WriteString("--b--\r\n")
	return b.String()
}

// Tornado's test_multipart_config: 100 parts, 10 KiB of part header.
func TestMultipartLimits(t *testing.T) {
	ct := "multipart/form-data; boundary=b"
	args := url.Values{}
	if err := ParseBodyArguments(ct, []byte(multipartBody(MaxMultipartParts, "")), args, nil, nil); err != nil || len(args) != MaxMultipartParts {
		t.Fatalf("%d parts: %v, %d args", MaxMultipartParts, err, len(args))
	}
	if err := ParseBodyArguments(ct, []byte(multipartBody(MaxMultipartParts+1, "")), url.Values{}, nil, nil); err == nil || !strings.Contains(err.Error(), "too many parts") {
		t.Fatalf("%d parts: %v", MaxMultipartParts+1, err)
	}
	// Empty parts count too: they cost a scan each.
	empty := strings.Repeat("--b\r\n", MaxMultipartParts+1) + "--b--"
	if err := ParseBodyArguments(ct, []byte(empty), nil, nil, nil); err == nil {
		t.Fatal("101 empty parts accepted")
	}
	pad := "; x=\"" + strings.Repeat("y", MaxPartHeaderSize) + "\""
	if err := ParseBodyArguments(ct, []byte(multipartBody(1, pad)), url.Values{}, nil, nil); err == nil || !strings.Contains(err.Error(), "header too large") {
		t.Fatalf("large part header: %v", err)
	}
	fits := "; x=\"" + strings.Repeat("y", MaxPartHeaderSize-100) + "\""
	if err := ParseBodyArguments(ct, []byte(multipartBody(1, fits)), url.Values{}, nil, nil); err != nil {
		t.Fatalf("part header under the limit: %v", err)
	}
	cfg := BodyConfig{MaxParts: 3}
	if err := ParseBodyArgumentsConfig(ct, []byte(multipartBody(4, "")), url.Values{}, nil, nil, cfg); err == nil {
		t.Fatal("MaxParts 3 accepted 4 parts")
	}
	if err := ParseBodyArgumentsConfig(ct, []byte(multipartBody(1, "")), url.Values{}, nil, nil, BodyConfig{DisableMultipart: true}); err == nil {
		t.Fatal("disabled multipart parsed")
	}
}

// Tornado's test_disposition_param_linear_performance, in spirit: many
// semicolons inside a quoted parameter cost linear time.
func TestMultipartParamsLinear(t *testing.T) {
	body := "--b\r\nContent-Disposition: form-data; x=\"" + strings.Repeat(";", 9000) + "\"; name=\"files\"; filename=\"a.txt\"\r\n\r\nFoo\r\n--b--\r\n"
	files := map[string][]*File{}
	if err := ParseBodyArguments("multipart/form-data; boundary=b", []byte(body), nil, files, nil); err != nil {
		t.Fatal(err)
	}
	if len(files["files"]) != 1 {
		t.Fatalf("files = %v", files)
	}
}

func TestParseBodyArgumentsContentTypes(t *testing.T) {
	tests := []struct {
		name  string
		ctype string
		body  string
		enc   string // Content-Encoding, "" for none
		want  url.Values
		err   bool
	}{
		{"urlencoded", "application/x-www-form-urlencoded", "a=1&b=2&a=3", "", url.Values{"a": {"1", "3"}, "b": {"2"}}, false},
		{"urlencoded with charset", "application/x-www-form-urlencoded; charset=UTF-8", "a=1", "", url.Values{"a": {"1"}}, false},
		{"urlencoded type any case", "Application/X-WWW-Form-Urlencoded", "a=1", "", url.Values{"a": {"1"}}, false},
		{"blank values kept", "application/x-www-form-urlencoded", "a=&b&c=", "", url.Values{"a": {""}, "b": {""}, "c": {""}}, false},
		{"empty fields skipped", "application/x-www-form-urlencoded", "&&a=1&&", "", url.Values{"a": {"1"}}, false},
		{"plus and escapes", "application/x-www-form-urlencoded", "n%20a+me=v%2Bx+y%C3%A9", "", url.Values{"n a me": {"v+x y\u00e9"}}, false},
		{"malformed escapes kept", "application/x-www-form-urlencoded", "a=%zz%4&b=%", "", url.Values{"a": {"%zz%4"}, "b": {"%"}}, false},
		{"semicolon is not a separator", "application/x-www-form-urlencoded", "a=1;b=2", "", url.Values{"a": {"1;b=2"}}, false},
		{"equals in value", "application/x-www-form-urlencoded", "a=b=c", "", url.Values{"a": {"b=c"}}, false},
		{"empty body", "application/x-www-form-urlencoded", "", "", url.Values{}, false},
		{"urlencoded prefix is not the type", "application/x-www-form-urlencodedx", "a=1", "", url.Values{}, false},
		{"other type ignored", "application/json", `{"a":1}`, "", url.Values{}, false},
		{"no type ignored", "", "a=1", "", url.Values{}, false},
		{"content-encoding refused urlencoded", "application/x-www-form-urlencoded", "a=1", "gzip", nil, true},
		{"content-encoding refused multipart", "multipart/form-data; boundary=b", "--b--", "identity", nil, true},
		{"content-encoding fine for other types", "application/json", "{}", "gzip", url.Values{}, false},
		{"multipart without boundary", "multipart/form-data", "--b--", "", nil, true},
		{"multipart empty boundary", "multipart/form-data; boundary=", "----", "", nil, true},
		{"multipart quoted empty boundary", `multipart/form-data; boundary=""`, "----", "", nil, true},
		{"multipart boundary after other params", "multipart/form-data; charset=utf-8; boundary=b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--", "", url.Values{"a": {"1"}}, false},
		{"multipart type any case", "Multipart/Form-Data; boundary=b", "--b--", "", url.Values{}, false},
		{"multipart prefix is not the type", "multipart/form-datax; boundary=b", "junk", "", url.Values{}, false},
		{"multipart mixed ignored", "multipart/mixed; boundary=b", "junk", "", url.Values{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Headers
			if tt.enc != "" {
				h.Add("Content-Encoding", tt.enc)
			}
			args := url.Values{}
			err := ParseBodyArguments(tt.ctype, []byte(tt.body), args, map[string][]*File{}, &h)
			if tt.err {
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("err = %v, want *InputError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.EqualFunc(args, tt.want, slices.Equal) {
				t.Errorf("args = %q, want %q", args, tt.want)
			}
		})
	}
}

func TestParseBodyArgumentsNilMaps(t *testing.T) {
	body := "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n2\r\n--b--"
	if err := ParseBodyArguments("multipart/form-data; boundary=b", []byte(body), nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := ParseBodyArguments("application/x-www-form-urlencoded", []byte("a=1"), nil, nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestParseHeaderParams(t *testing.T) {
	tests := []struct {
		line   string
		key    string
		params map[string]string
	}{
		// The doctest of Tornado's _parse_header.
		{`form-data; foo="b\\a\"r"; file*=utf-8''T%C3%A4st`, "form-data", map[string]string{"foo": `b\a"r`, "file": "T\u00e4st"}},
		{`form-data; name="a;b"; filename="x\";y"`, "form-data", map[string]string{"name": "a;b", "filename": `x";y`}},
		{`form-data; x=";;;;;"; name="files"`, "form-data", map[string]string{"x": ";;;;;", "name": "files"}},
		{"form-data; name=<x>; f=<<y>>", "form-data", map[string]string{"name": "x", "f": "<y>"}},
		{`form-data; name="\"x\""`, "form-data", map[string]string{"name": "x"}},
		{`form-data; filename*0="a"; filename*1="b"`, "form-data", map[string]string{"filename": "ab"}},
		{"form-data; filename*=bogus''%E1", "form-data", map[string]string{"filename": "\u00e1"}},
		{"form-data; filename*=abc", "form-data", map[string]string{"filename": "abc"}},
		{"form-data; filename*=x%E1", "form-data", map[string]string{"filename": "x\ufffd"}},
		{"form-data; NAME=x; name=y", "form-data", map[string]string{"name": "y"}},
		{"form-data; filename*=utf-8''a; filename=b", "form-data", map[string]string{"filename": "a"}},
		{"form-data ; name=x", "form-data", map[string]string{"name": "x"}},
		{" Form-Data;name=x;;", "Form-Data", map[string]string{"name": "x"}},
		{"form-data; name", "form-data", map[string]string{}},
		{`form-data; a"b;c"=1; name=2`, "form-data", map[string]string{`a"b;c"`: "1", "name": "2"}},
		{"", "", map[string]string{}},
		{"text/html; charset=UTF-8", "text/html", map[string]string{"charset": "UTF-8"}},
	}
	for _, tt := range tests {
		key, params := ParseHeaderParams(tt.line)
		if key != tt.key || !maps.Equal(params, tt.params) {
			t.Errorf("ParseHeaderParams(%q) = %q, %q; want %q, %q", tt.line, key, params, tt.key, tt.params)
		}
	}
}
