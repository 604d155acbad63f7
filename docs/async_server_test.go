package docs_test

import (
	"testing"

	"github.com/tornago/tornago/webtest"
)

// TestFetchTitle runs the guide's HTTP client sample against the guide's
// story application on a real socket.
func TestFetchTitle(t *testing.T) {
	app, err := storyApp()
	if err != nil {
		t.Fatal(err)
	}
	srv := webtest.StartServer(t, app)
	got, err := fetchTitle(srv.URLFor("/story/1"))
	if err != nil || got != "Tornado in Go at /story/1" {
		t.Fatalf("fetchTitle = %q, %v", got, err)
	}
	if _, err := fetchTitle(srv.URLFor("/story/9")); err == nil {
		t.Fatal("a 404 is not an error")
	}
}
