package main

import (
	"crypto/rand"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"

	"github.com/tornago/tornago/escape"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/websocket"
)

// cacheSize is how many recent messages the room keeps, Tornado's
// ChatSocketHandler.cache_size.
const cacheSize = 200

// room holds the connected sockets and the recent messages. Sockets may
// live on several loops, so it is locked, and each write goes through the
// socket's own loop.
type room struct {
	mu      sync.Mutex
	waiters map[*ChatSocketHandler]struct{}
	cache   []map[string]any
}

func newRoom() *room { return &room{waiters: map[*ChatSocketHandler]struct{}{}} }

// recent returns a copy of the cache, oldest first.
func (r *room) recent() []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]any(nil), r.cache...)
}

// post caches m and sends it to every socket.
func (r *room) post(m map[string]any) {
	text, err := escape.JSONEncode(m)
	if err != nil {
		slog.Error("chat: encoding message", "err", err)
		return
	}
	r.mu.Lock()
	r.cache = append(r.cache, m)
	if len(r.cache) > cacheSize {
		r.cache = append([]map[string]any(nil), r.cache[len(r.cache)-cacheSize:]...)
	}
	waiters := make([]*ChatSocketHandler, 0, len(r.waiters))
	for w := range r.waiters {
		waiters = append(waiters, w)
	}
	r.mu.Unlock()
	for _, w := range waiters {
		c := w.Conn()
		c.Loop().AddCallback(func() { _ = c.WriteMessage(text) })
	}
}

// MainHandler renders the page with the recent messages.
type MainHandler struct {
	web.RequestHandler
	Room *room
}

// Get renders index.html.
func (h *MainHandler) Get() error {
	return h.Render("index.html", web.Vars{"messages": h.Room.recent()})
}

// ChatSocketHandler is one browser's socket.
type ChatSocketHandler struct {
	websocket.Handler
	Room *room
}

// Open joins the room and sends the recent messages.
func (h *ChatSocketHandler) Open() error {
	for _, m := range h.Room.recent() {
		if err := h.WriteMessage(m); err != nil {
			return err
		}
	}
	h.Room.mu.Lock()
	h.Room.waiters[h] = struct{}{}
	h.Room.mu.Unlock()
	return nil
}

// OnClose leaves the room.
func (h *ChatSocketHandler) OnClose() {
	h.Room.mu.Lock()
	delete(h.Room.waiters, h)
	h.Room.mu.Unlock()
}

// OnMessage posts {"body": ...} to the room.
func (h *ChatSocketHandler) OnMessage(data []byte, binary bool) error {
	var in struct {
		Body string `json:"body"`
	}
	if err := escape.JSONDecode(data, &in); err != nil {
		slog.Info("chat: ignoring a malformed message", "err", err)
		return nil
	}
	m := map[string]any{"id": newID(), "body": in.Body}
	html, err := h.RenderString("message.html", web.Vars{"message": m})
	if err != nil {
		return err
	}
	m["html"] = html
	h.Room.post(m)
	return nil
}

// newID returns a random UUID (version 4), as Tornado's demo uses.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// newApp builds the chat application over the templates in files.
func newApp(files fs.FS, debug bool) (*web.Application, error) {
	app, _, err := newAppRoom(files, debug)
	return app, err
}

// newAppRoom is newApp that also returns the room, for tests.
func newAppRoom(files fs.FS, debug bool) (*web.Application, *room, error) {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	r := newRoom()
	app, err := web.NewApplication([]web.Rule{
		{Pattern: "/", Handler: &MainHandler{Room: r}},
		{Pattern: "/chatsocket", Handler: &ChatSocketHandler{
			Handler: websocket.Handler{Compression: &websocket.CompressionOptions{}}, Room: r}},
	}, web.Settings{
		TemplateFS:   files,
		CookieSecret: fmt.Sprintf("%x", secret),
		XSRFCookies:  true,
		Debug:        debug,
	})
	return app, r, err
}

// compressed counts the sockets in the room with permessage-deflate on.
func (r *room) compressed() (on, all int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for w := range r.waiters {
		if w.Conn().Compressed() {
			on++
		}
		all++
	}
	return on, all
}
