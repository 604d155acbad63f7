package docs_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tornago/tornago/ioloop"
	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// guide: streaming

// UploadHandler is Tornado's @stream_request_body: DataReceived gets the
// body piece by piece as it arrives, so a large upload runs in bounded
// memory. Writing each piece on the worker pool, it returns that write's
// Future: until it is done the server reads no more from the client.
type UploadHandler struct {
	web.RequestHandler
	file *os.File
	size int64
}

// Prepare runs when the head has arrived, before any of the body: it may
// refuse the request, and sets this request's body limit.
func (h *UploadHandler) Prepare() error {
	if err := h.SetMaxBodySize(4 << 30); err != nil {
		return err
	}
	f, err := os.CreateTemp("", "upload-")
	h.file = f
	return err
}

// DataReceived runs on the loop, once per piece, in order.
func (h *UploadHandler) DataReceived(chunk []byte) *ioloop.Future {
	piece := append([]byte(nil), chunk...) // chunk is valid during the call only
	h.size += int64(len(piece))
	return h.Loop().RunInExecutor(func() (any, error) {
		return h.file.Write(piece)
	})
}

// Put runs once the whole body has arrived (Request.Body is nil).
func (h *UploadHandler) Put() error {
	name := h.file.Name()
	if err := h.file.Close(); err != nil {
		return err
	}
	return h.Write(fmt.Sprintf("stored %d bytes in %s", h.size, name))
}

// end

// guide: body-limit

// NoteHandler reads its body whole; its route accepts at most 16 KiB.
type NoteHandler struct{ web.RequestHandler }

func (h *NoteHandler) Post() error {
	return h.Write(fmt.Sprintf("%d bytes", len(h.Request.Body)))
}

var limitedRules = []web.Rule{
	{Pattern: "/note", Handler: &NoteHandler{}, MaxBodySize: 16 << 10},
	{Pattern: "/upload", Handler: &UploadHandler{}},
}

// end

// TestStreamingSample runs the guide's upload handler on the real server:
// the file holds the body, and the route limit answers 413.
func TestStreamingSample(t *testing.T) {
	app, err := web.NewApplication(limitedRules, web.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	srv := webtest.StartServer(t, app)
	body := strings.Repeat("0123456789", 100000) // 1 MB
	resp, got, err := srv.Fetch("PUT", "/upload", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var name string
	var n int
	if _, err := fmt.Sscanf(string(got), "stored %d bytes in %s", &n, &name); resp.StatusCode != 200 || err != nil || n != len(body) {
		t.Fatalf("PUT /upload = %d %q", resp.StatusCode, got)
	}
	defer os.Remove(name)
	stored, err := os.ReadFile(name)
	if err != nil || string(stored) != body {
		t.Fatalf("the stored file differs from the body (%d bytes, %v)", len(stored), err)
	}
	resp, _, err = srv.Fetch("POST", "/note", strings.NewReader(strings.Repeat("c", 20<<10)))
	if err != nil || resp.StatusCode != 413 {
		t.Fatalf("POST /note over the limit = %v %v; want 413", resp, err)
	}
}
