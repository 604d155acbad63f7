package httputil_test

import (
	"fmt"
	"net/url"
	"time"

	"github.com/tornago/tornago/httputil"
)

func ExampleHeaders() {
	var h httputil.Headers
	h.Add("content-type", "text/html")
	h.Add("Set-Cookie", "A=B")
	h.Add("Set-Cookie", "C=D")
	fmt.Println(h.Get("Content-Type"))
	fmt.Println(h.Get("set-cookie"))
	fmt.Println(h.Values("SET-COOKIE"))
	fmt.Printf("%q\n", h.AppendTo(nil))
	// Output:
	// text/html
	// A=B,C=D
	// [A=B C=D]
	// "Content-Type: text/html\r\nSet-Cookie: A=B\r\nSet-Cookie: C=D\r\n"
}

func ExampleCanonicalName() {
	fmt.Println(httputil.CanonicalName("coNtent-TYPE"))
	fmt.Println(httputil.CanonicalName("x-xsrftoken"))
	// Output:
	// Content-Type
	// X-Xsrftoken
}

func ExampleParseHeaders() {
	h, err := httputil.ParseHeaders("Content-Type: text/html\r\nContent-Length: 42\r\n")
	if err != nil {
		panic(err)
	}
	for name, value := range h.All() {
		fmt.Printf("%s=%s\n", name, value)
	}
	_, err = httputil.ParseHeaders("Bad Name: x\r\n")
	fmt.Println(err)
	// Output:
	// Content-Type=text/html
	// Content-Length=42
	// httputil: invalid header name "Bad Name"
}

func ExampleParseRequestLine() {
	rl, err := httputil.ParseRequestLine("GET /foo?x=1 HTTP/1.1")
	fmt.Printf("%q %q %q %v\n", rl.Method, rl.Target, rl.Version, err)
	_, err = httputil.ParseRequestLine("GET / HTTP/2.0")
	fmt.Println(err)
	// Output:
	// "GET" "/foo?x=1" "HTTP/1.1" <nil>
	// httputil: unsupported HTTP version "HTTP/2.0"
}

func ExampleParseBodyArguments() {
	body := "--xyz\r\n" +
		"Content-Disposition: form-data; name=\"title\"\r\n\r\n" +
		"Hello\r\n" +
		"--xyz\r\n" +
		"Content-Disposition: form-data; name=\"upload\"; filename=\"a.txt\"\r\n" +
		"Content-Type: text/plain\r\n\r\n" +
		"file contents\r\n" +
		"--xyz--\r\n"
	args := url.Values{}
	files := map[string][]*httputil.File{}
	err := httputil.ParseBodyArguments("multipart/form-data; boundary=xyz", []byte(body), args, files, nil)
	fmt.Println(err)
	fmt.Println(args.Get("title"))
	f := files["upload"][0]
	fmt.Printf("%s %s %q\n", f.Filename, f.ContentType, f.Body)
	// Output:
	// <nil>
	// Hello
	// a.txt text/plain "file contents"
}

func ExampleParseCookie() {
	c := httputil.ParseCookie(`a=b; h=i; a=c; q="x\073y"`)
	fmt.Println(c["a"], c["h"], c["q"])
	// Output:
	// c i x;y
}

func ExampleURLConcat() {
	fmt.Println(httputil.URLConcat("http://example.com/foo?a=b", [][2]string{{"c", "d"}, {"c", "d2"}}))
	fmt.Println(httputil.URLConcat("http://e.com/p?a=1#f", map[string]string{"b": "x y"}))
	// Output:
	// http://example.com/foo?a=b&c=d&c=d2
	// http://e.com/p?a=1&b=x+y#f
}

func ExampleFormatTimestamp() {
	fmt.Println(httputil.FormatTimestamp(time.Unix(1359312200, 0)))
	// Output:
	// Sun, 27 Jan 2013 18:43:20 GMT
}

func ExampleParseRange() {
	const size = 26
	for _, header := range []string{"bytes=1-2", "bytes=-4", "bytes=0-", "bytes=30-"} {
		start, end, ok := httputil.ParseRange(header)
		first, last, partial, satisfiable := httputil.ResolveRange(start, end, size)
		switch {
		case !ok || (satisfiable && !partial):
			fmt.Println(header, "→ 200")
		case !satisfiable:
			fmt.Println(header, "→ 416", httputil.UnsatisfiedContentRange(size))
		default:
			fmt.Println(header, "→ 206", httputil.ContentRange(first, last, size))
		}
	}
	// Output:
	// bytes=1-2 → 206 bytes 1-2/26
	// bytes=-4 → 206 bytes 22-25/26
	// bytes=0- → 200
	// bytes=30- → 416 bytes */26
}

func ExampleSplitHostPort() {
	fmt.Println(httputil.SplitHostPort("example.com:8080"))
	fmt.Println(httputil.SplitHostPort("example.com"))
	// Output:
	// example.com 8080
	// example.com -1
}
