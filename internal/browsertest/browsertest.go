// Package browsertest starts headless Chromium for the examples' browser
// tests, with the flags this project's machines need: as root, no sandbox;
// with a closed network, no background networking, component updates or
// sync (Chromium's own connections are otherwise refused many at a time).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// Path finds the browser. The test skips without one, unless CI=true, where
// a missing browser fails it.
func Path(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH but CI=true: the browser test must run in CI")
	}
	t.Skip("browser test skipped: no chromium on PATH")
	return ""
}

// Allocator starts the browser at path with a fresh profile; extra options
// (a window size, say) follow the common ones. Cancel stops the browser.
func Allocator(t *testing.T, path string, extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc) {
	t.Helper()
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	}, extra...)
	return chromedp.NewExecAllocator(context.Background(), opts...)
}
