package secret

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestResolveGiven(t *testing.T) {
	dir := t.TempDir()
	got, err := Resolve("a-shared-secret-for-all-instances", dir)
	if err != nil || got != "a-shared-secret-for-all-instances" {
		t.Fatalf("Resolve(given) = %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !os.IsNotExist(err) {
		t.Errorf("Resolve with a given secret wrote a file: %v", err)
	}
	if _, err := Resolve("short", dir); !errors.Is(err, ErrTooShort) {
		t.Errorf("Resolve(short): %v, want ErrTooShort", err)
	}
}

func TestLoadGeneratesAndKeeps(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blog-data")
	first, err := Resolve("", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 43 || strings.ContainsAny(first, "+/=\n") {
		t.Errorf("generated secret %q: want 43 base64url characters", first)
	}
	info, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v, %v; want mode 0600", info, err)
	}
	if d, _ := os.Stat(dir); d.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode %v, want 0700", d.Mode().Perm())
	}
	again, err := Load(dir)
	if err != nil || again != first {
		t.Fatalf("second Load = %q, %v; want the kept %q", again, err, first)
	}
	other, _ := Load(t.TempDir())
	if other == first {
		t.Error("two data directories got the same secret")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data directory holds %d files, want only %s", len(entries), FileName)
	}
}

func TestLoadConcurrentStartsAgree(t *testing.T) {
	dir := t.TempDir()
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		got = map[string]int{}
	)
	for range 8 {
		wg.Go(func() {
			s, err := Load(dir)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			got[s]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(got) != 1 {
		t.Fatalf("concurrent Loads returned %d different secrets", len(got))
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	os.WriteFile(path, []byte("a-long-enough-secret-value\n"), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Errorf("Load of a 0644 file: %v, want refused", err)
	}
	os.Chmod(path, 0o600)
	if s, err := Load(dir); err != nil || s != "a-long-enough-secret-value" {
		t.Errorf("Load of a kept secret = %q, %v", s, err)
	}
	os.WriteFile(path, []byte("short\n"), 0o600)
	if _, err := Load(dir); !errors.Is(err, ErrTooShort) {
		t.Errorf("Load of a short secret: %v, want ErrTooShort", err)
	}
	if _, err := Load(""); err == nil {
		t.Error("Load with no directory succeeded")
	}
}
