package main

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/templates"
	"github.com/tornago/tornago/websocket"
)

func startChat(t *testing.T) string {
	t.Helper()
	files, err := fs.Sub(templates.FS, "chat")
	if err != nil {
		t.Fatal(err)
	}
	app, err := newApp(files, false)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := app.Listen(0, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv.Addr().String()
}

type chatMsg struct{ ID, Body, HTML string }

func read(t *testing.T, l *ioloop.IOLoop, c *websocket.Conn) chatMsg {
	t.Helper()
	v, err := l.RunSync(func() *ioloop.Future { return c.ReadMessage() }, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(*websocket.Message)
	if m == nil {
		t.Fatal("socket closed")
	}
	var out chatMsg
	if err := json.Unmarshal(m.Data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTwoClientsChat(t *testing.T) {
	addr := startChat(t)
	l, err := ioloop.New()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dial := func() *websocket.Conn {
		v, err := l.RunSync(func() *ioloop.Future {
			return websocket.Dial(l, "ws://"+addr+"/chatsocket",
				websocket.DialOptions{Options: websocket.Options{Compression: &websocket.CompressionOptions{}}})
		}, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return v.(*websocket.Conn)
	}
	a, b := dial(), dial()
	if _, err := l.RunSync(func() *ioloop.Future {
		return nil2(a.WriteMessage(map[string]string{"body": "see http://tornadoweb.org <b>"}))
	}, time.Second); err != nil {
		t.Fatal(err)
	}
	ma, mb := read(t, l, a), read(t, l, b)
	if ma != mb || ma.ID == "" || ma.Body != "see http://tornadoweb.org <b>" {
		t.Fatalf("a got %+v, b got %+v", ma, mb)
	}
	want := `<div class="message" id="m` + ma.ID + `">see <a href="http://tornadoweb.org">http://tornadoweb.org</a> &lt;b&gt;</div>`
	if strings.TrimSpace(ma.HTML) != want {
		t.Fatalf("html %q\nwant %q", ma.HTML, want)
	}

	// A newcomer gets the history, and the page shows it.
	c := dial()
	if h := read(t, l, c); h.ID != ma.ID {
		t.Fatalf("history %+v", h)
	}
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), want) || !strings.Contains(string(body), "/chatsocket") {
		t.Fatalf("page %d:\n%s", resp.StatusCode, body)
	}
}

// nil2 turns an error into a resolved Future.
func nil2(err error) *ioloop.Future {
	f := ioloop.NewFuture()
	if err != nil {
		f.SetError(err)
	} else {
		f.SetResult(nil)
	}
	return f
}

func TestCacheBounded(t *testing.T) {
	r := newRoom()
	for i := 0; i < cacheSize+50; i++ {
		r.post(map[string]any{"id": i, "body": "x", "html": ""})
	}
	got := r.recent()
	if len(got) != cacheSize || got[0]["id"] != 50 {
		t.Fatalf("cache of %d starting at %v", len(got), got[0]["id"])
	}
}
