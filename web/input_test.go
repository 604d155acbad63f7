package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime/multipart"
	"net/url"
	"testing"

	"github.com/tornago/tornago/web"
)

type getArgument struct{ web.RequestHandler }

func (h *getArgument) Prepare() error {
	var v string
	var err error
	switch src, _ := h.GetArgument("source", ""); src {
	case "query":
		v, err = h.GetQueryArgument("foo", "default")
	case "body":
		v, err = h.GetBodyArgument("foo", "default")
	default:
		v, err = h.GetArgument("foo", "default")
	}
	if err != nil {
		return err
	}
	h.Write(v)
	return h.Finish()
}

type getArguments struct{ web.RequestHandler }

func (h *getArguments) Prepare() error {
	all, _ := h.GetArguments("foo")
	q, _ := h.GetQueryArguments("foo")
	b, _ := h.GetBodyArguments("foo")
	h.Write(map[string][]string{"default": all, "query": q, "body": b})
	return h.Finish()
}

type requiredArgument struct{ web.RequestHandler }

func (h *requiredArgument) Get() error {
	_, err := h.GetArgument("foo")
	var me *web.MissingArgumentError
	if errors.As(err, &me) {
		return h.Write(map[string]string{"arg_name": me.ArgName, "log_message": me.LogMessage})
	}
	return h.Write(map[string]string{})
}

type requiredArgumentReturned struct{ web.RequestHandler }

func (h *requiredArgumentReturned) Get() error {
	v, err := h.GetArgument("foo")
	if err != nil {
		return err
	}
	return h.Write(v)
}

func form(kv ...string) []byte {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return []byte(v.Encode())
}

func TestGetArgument(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/get_argument", Handler: &getArgument{}},
		{Pattern: "/get_arguments", Handler: &getArguments{}},
		{Pattern: "/required", Handler: &requiredArgument{}},
		{Pattern: "/required2", Handler: &requiredArgumentReturned{}},
	}, web.Settings{})
	ctype := []string{"Content-Type", "application/x-www-form-urlencoded"}
	tests := []struct {
		name, method, target string
		body                 []byte
		status               int
		want                 string
	}{
		{"query value", "GET", "/get_argument?foo=bar", nil, 200, "bar"},
		{"blank value kept", "GET", "/get_argument?foo=", nil, 200, ""},
		{"default", "GET", "/get_argument", nil, 200, "default"},
		{"stripped", "GET", "/get_argument?foo=%20bar%20", nil, 200, "bar"},
		{"controls become spaces", "GET", "/get_argument?foo=a%01b", nil, 200, "a b"},
		{"last value wins", "GET", "/get_argument?foo=1&foo=2", nil, 200, "2"},
		{"body wins over query", "POST", "/get_argument?foo=bar", form("foo", "hello"), 200, "hello"},
		{"query only", "POST", "/get_argument?source=query&foo=bar", form("foo", "hello"), 200, "bar"},
		{"query only, blank", "POST", "/get_argument?source=query&foo=", form("foo", "hello"), 200, ""},
		{"query only, default", "POST", "/get_argument?source=query", form("foo", "hello"), 200, "default"},
		{"body only", "POST", "/get_argument?source=body&foo=hello", form("foo", "bar"), 200, "bar"},
		{"body only, blank", "POST", "/get_argument?source=body&foo=hello", form("foo", ""), 200, ""},
		{"body only, default", "POST", "/get_argument?source=body&foo=hello", nil, 200, "default"},
		{"merged plural", "POST", "/get_arguments?foo=bar", form("foo", "hello"), 200, `{"body":["hello"],"default":["bar","hello"],"query":["bar"]}`},
		{"catch missing", "GET", "/required", nil, 200, `{"arg_name":"foo","log_message":"Missing argument foo"}`},
		{"missing is a 400", "GET", "/required2", nil, 400, ""},
		{"invalid unicode is a 400", "GET", "/required2?foo=%FF", nil, 400, ""},
		{"percent-encoded percent", "GET", "/required2?foo=%25%e9", nil, 400, ""},
	}
	for _, tt := range tests {
		var hdr []string
		if tt.body != nil {
			hdr = ctype
		}
		r := c.Fetch(tt.method, tt.target, tt.body, hdr...)
		if r.Status != tt.status || (tt.status == 200 && r.Text() != tt.want) {
			t.Errorf("%s: %s %s = %d %q; want %d %q", tt.name, tt.method, tt.target, r.Status, r.Text(), tt.status, tt.want)
		}
	}
}

func TestMalformedBodyIs400(t *testing.T) {
	c := client(t, []web.Rule{{Pattern: "/", Handler: &getArgument{}}}, web.Settings{})
	r := c.Fetch("POST", "/", []byte("--x\r\nbroken"), "Content-Type", "multipart/form-data; boundary=x")
	expectStatus(t, "malformed multipart", r, 400)
}

type upload struct{ web.RequestHandler }

func (h *upload) Post() error {
	out := map[string]any{}
	for _, f := range h.Files("file") {
		out[f.Filename] = map[string]string{"type": f.ContentType, "body": string(f.Body)}
	}
	title, _ := h.GetArgument("title")
	out["title"] = title
	return h.Write(out)
}

func TestFiles(t *testing.T) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("title", "hello")
	fw, _ := mw.CreateFormFile("file", "a.txt")
	fw.Write([]byte("file body"))
	mw.Close()
	c := client(t, []web.Rule{{Pattern: "/", Handler: &upload{}}}, web.Settings{})
	r := c.Fetch("POST", "/", buf.Bytes(), "Content-Type", mw.FormDataContentType())
	var got map[string]any
	if err := json.Unmarshal(r.Body, &got); err != nil || got["title"] != "hello" {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	f, _ := got["a.txt"].(map[string]any)
	if f["body"] != "file body" || f["type"] != "application/octet-stream" {
		t.Errorf("file = %v", f)
	}
}

type pathArgs struct{ web.RequestHandler }

func (h *pathArgs) Prepare() error {
	return h.Write(map[string]any{"args": h.PathArgs(), "kwargs": h.PathKwargs()})
}
func (h *pathArgs) Get(string) error { return nil }

func TestPathArgsInPrepare(t *testing.T) {
	c := client(t, []web.Rule{
		{Pattern: "/pos/(.*)", Handler: &pathArgs{}},
		{Pattern: "/kw/(?P<path>.*)", Handler: &pathArgs{}},
	}, web.Settings{})
	expect(t, "positional", c.Get("/pos/foo"), 200, `{"args":["foo"],"kwargs":{}}`)
	expect(t, "named", c.Get("/kw/foo"), 200, `{"args":["foo"],"kwargs":{"path":"foo"}}`)
}
