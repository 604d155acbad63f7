package httpserver

import (
	"fmt"
	"strings"
	"testing"
)

var xheaderTests = []struct {
	name    string
	headers string
	ip      string
	proto   string
}{
	{"none", "", "127.0.0.1", "http"},
	{"X-Real-Ip", "X-Real-Ip: 4.4.4.4\r\n", "4.4.4.4", "http"},
	{"X-Real-Ip IPv6", "X-Real-Ip: 2620:0:1cfe:face:b00c::3\r\n", "2620:0:1cfe:face:b00c::3", "http"},
	{"invalid X-Real-Ip ignored", "X-Real-Ip: 4.4.4.4<script>\r\n", "127.0.0.1", "http"},
	{"X-Forwarded-For single", "X-Forwarded-For: 4.4.4.4\r\n", "4.4.4.4", "http"},
	{"X-Forwarded-For last hop", "X-Forwarded-For: 1.1.1.1, 4.4.4.4\r\n", "4.4.4.4", "http"},
	{"X-Forwarded-For skips trusted", "X-Forwarded-For: 1.1.1.1, 4.4.4.4, 10.0.0.1\r\n", "4.4.4.4", "http"},
	{"X-Forwarded-For all trusted", "X-Forwarded-For: 10.0.0.2, 10.0.0.1\r\n", "10.0.0.2", "http"},
	{"X-Forwarded-For two fields", "X-Forwarded-For: 1.1.1.1\r\nX-Forwarded-For: 5.5.5.5\r\n", "5.5.5.5", "http"},
	{"X-Real-Ip wins over X-Forwarded-For", "X-Forwarded-For: 1.1.1.1\r\nX-Real-Ip: 2.2.2.2\r\n", "2.2.2.2", "http"},
	{"invalid X-Forwarded-For ignored", "X-Forwarded-For: unknown\r\n", "127.0.0.1", "http"},
	{"X-Scheme https", "X-Scheme: https\r\n", "127.0.0.1", "https"},
	{"X-Forwarded-Proto https", "X-Forwarded-Proto: https\r\n", "127.0.0.1", "https"},
	{"X-Forwarded-Proto last item", "X-Forwarded-Proto: http, https\r\n", "127.0.0.1", "https"},
	{"X-Scheme wins over X-Forwarded-Proto", "X-Scheme: http\r\nX-Forwarded-Proto: https\r\n", "127.0.0.1", "http"},
	{"unknown scheme ignored", "X-Scheme: gopher\r\n", "127.0.0.1", "http"},
	{"scheme is case-sensitive", "X-Forwarded-Proto: HTTPS\r\n", "127.0.0.1", "http"},
}

func whoami(w *ResponseWriter, r *Request) {
	fmt.Fprintf(w, "%s %s", r.RemoteIP, r.Protocol)
	w.Finish()
}

func TestXHeaders(t *testing.T) {
	srv := startServer(t, HandlerFunc(whoami), Options{XHeaders: true, TrustedDownstream: []string{"10.0.0.1", "10.0.0.2"}})
	for _, tt := range xheaderTests {
		t.Run(tt.name, func(t *testing.T) {
			// Each request is followed by a plain one on the same
			// connection: proxy headers apply to one request only.
			raw := "GET / HTTP/1.1\r\nHost: a\r\n" + tt.headers + "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
			resp, br, _ := roundTrip(t, srv, raw, "GET")
			if want := tt.ip + " " + tt.proto; resp.body != want {
				t.Errorf("got %q, want %q", resp.body, want)
			}
			next, err := readResponse(br, "GET")
			if err != nil || next.body != "127.0.0.1 http" {
				t.Errorf("next request: %v %v", next, err)
			}
		})
	}
}

func TestXHeadersOff(t *testing.T) {
	srv := startServer(t, HandlerFunc(whoami), Options{Protocol: "https"})
	resp, _, _ := roundTrip(t, srv, "GET / HTTP/1.1\r\nHost: a\r\nX-Real-Ip: 4.4.4.4\r\nX-Scheme: http\r\n\r\n", "GET")
	if resp.body != "127.0.0.1 https" {
		t.Fatalf("got %q", resp.body)
	}
}

func TestRequestFields(t *testing.T) {
	gotc := make(chan string, 1)
	h := HandlerFunc(func(w *ResponseWriter, r *Request) {
		args, err := r.Arguments()
		gotc <- strings.Join([]string{r.Method, r.URI, r.Path, r.Query, r.Version, r.Host, r.HostName(),
			r.FullURL(), fmt.Sprint(args), fmt.Sprint(err), fmt.Sprint(r.Cookies()),
			r.Header.Get("X-Multi"), fmt.Sprint(r.StartTime().IsZero())}, "|")
		w.Finish()
	})
	srv := startServer(t, h, Options{})
	body := "b=2&a=3"
	roundTrip(t, srv, "POST /p/q?a=1&c= HTTP/1.1\r\nHost: Example.COM:8080\r\nx-multi: 1\r\nX-MULTI: 2\r\n"+
		"Cookie: s=v; t=\"w\"\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
		fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body), "POST")
	want := "POST|/p/q?a=1&c=|/p/q|a=1&c=|HTTP/1.1|Example.COM:8080|example.com|http://Example.COM:8080/p/q?a=1&c=|" +
		"map[a:[1 3] b:[2] c:[]]|<nil>|map[s:v t:w]|1,2|false"
	if got := <-gotc; got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
