package main

import (
	"testing"

	"github.com/tornago/tornago/webtest"
)

// TestHello serves the guide's first program over a real socket.
func TestHello(t *testing.T) {
	app, err := makeApp()
	if err != nil {
		t.Fatal(err)
	}
	srv := webtest.StartServer(t, app)
	resp, body, err := srv.Get("/")
	if err != nil || resp.StatusCode != 200 || string(body) != "Hello, world" {
		t.Fatalf("GET / = %v %q %v", resp, body, err)
	}
}
