package web

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWatchExe drives the watcher on a file of its own with a fake exec: no
// restart while the file is unchanged, a restart (Shutdown, then exec with
// the same arguments) once it changed and stayed unchanged for a poll.
func TestWatchExe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prog")
	if err := os.WriteFile(path, []byte("v1"), 0o755); err != nil {
		t.Fatal(err)
	}
	app, err := NewApplication(nil, Settings{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	st, err := statExe(path)
	if err != nil {
		t.Fatal(err)
	}
	execd := make(chan []string, 1)
	fake := func(p string, args, env []string) error {
		select {
		case <-app.Done():
		default:
			t.Error("exec before Shutdown")
		}
		if p != path {
			t.Errorf("exec %q, want %q", p, path)
		}
		execd <- args
		return nil
	}
	const tick = 20 * time.Millisecond
	done := make(chan struct{})
	go func() {
		app.watchExe(path, st, AutoreloadOptions{Interval: tick, ShutdownTimeout: time.Second}, fake)
		close(done)
	}()
	time.Sleep(5 * tick)
	select {
	case <-execd:
		t.Fatal("restarted without a change")
	default:
	}
	if err := os.WriteFile(path, []byte("version 2"), 0o755); err != nil {
		t.Fatal(err)
	}
	select {
	case args := <-execd:
		if len(args) != len(os.Args) || args[0] != os.Args[0] {
			t.Errorf("args %q, want %q", args, os.Args)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no restart after the change")
	}
	<-done
}

// TestAutoreloadOnce: a second Autoreload of the same application does not
// start a second watcher, and Shutdown stops the first.
func TestAutoreloadOnce(t *testing.T) {
	app, err := NewApplication(nil, Settings{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	never := func(string, []string, []string) error { t.Error("exec"); return nil }
	for range 2 {
		if err := app.autoreload(never, AutoreloadOptions{Interval: time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	if !app.reloading {
		t.Fatal("not started")
	}
	if err := app.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
}
