package main

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tornago/tornago/web"
	"github.com/tornago/tornago/webtest"
)

// TestHelloworld serves the demo's routes over a real socket.
func TestHelloworld(t *testing.T) {
	app, err := web.NewApplication(rules(), web.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	srv := webtest.StartServer(t, app)
	for _, tc := range []struct{ path, body string }{
		{"/", "Hello, world"},
		{"/json", `{"message":"Hello, World!"}`},
	} {
		resp, body, err := srv.Get(tc.path)
		if err != nil || resp.StatusCode != 200 || string(body) != tc.body {
			t.Errorf("GET %s = %v %q %v, want 200 %q", tc.path, resp, body, err, tc.body)
		}
	}
}

// TestFlags checks the flags Tornado's helloworld has, listed by -h.
func TestFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	cmd := exec.Command("go", "run", ".", "-h")
	cmd.WaitDelay = 30 * time.Second
	out, _ := cmd.CombinedOutput()
	for _, flag := range []string{"-port", "-address", "-loops", "-logging"} {
		if !strings.Contains(string(out), flag) {
			t.Errorf("-h does not list %s:\n%s", flag, out)
		}
	}
}
