package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseFlags(t *testing.T) {
	c, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := config{port: 8888, data: "./blog-data", logging: "info"}
	if c != want {
		t.Errorf("defaults = %+v, want %+v", c, want)
	}
	c, err = parseFlags(strings.Fields("-port 9001 -address 127.0.0.1 -db postgres://u@h/db -data /var/blog -debug -xheaders -cookie_secret s3cr3t-s3cr3t-s3cr3t --logging=warning"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = config{port: 9001, address: "127.0.0.1", db: "postgres://u@h/db", data: "/var/blog", debug: true, xheaders: true, cookieSecret: "s3cr3t-s3cr3t-s3cr3t", logging: "warning"}
	if c != want {
		t.Errorf("parsed %+v, want %+v", c, want)
	}
	for _, bad := range []string{"-port 70000", "-port x", "-logging loud", "-nosuchflag", "extra"} {
		if _, err := parseFlags(strings.Fields(bad), io.Discard); err == nil {
			t.Errorf("parseFlags(%q) succeeded", bad)
		}
	}
}

func TestLogLevel(t *testing.T) {
	for name, want := range map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "WARNING": slog.LevelWarn, "error": slog.LevelError, "none": levelNone} {
		if got, err := logLevel(name); err != nil || got != want {
			t.Errorf("logLevel(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
}

func TestSiteFiles(t *testing.T) {
	embedded, err := siteFiles(false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"blog/base.html", "blog/home.html", "blog/entry.html", "blog/archive.html", "blog/compose.html",
		"blog/delete.html", "blog/create_author.html", "blog/login.html", "blog/feed.xml", "blog/modules/entry.html",
		"static/blog/blog.css"}
	if err := fstest.TestFS(embedded, want...); err != nil {
		t.Errorf("embedded files: %v", err)
	}

	// -debug reads ./templates, and says clearly when it is missing.
	wd, _ := os.Getwd()
	t.Chdir(t.TempDir())
	if _, err := siteFiles(true); err == nil || !strings.Contains(err.Error(), "run from the repository root") {
		t.Errorf("siteFiles(debug) without ./templates: %v", err)
	}
	t.Chdir(filepath.Join(wd, "..", ".."))
	disk, err := siteFiles(true)
	if err != nil {
		t.Fatalf("siteFiles(debug) from the repository root: %v", err)
	}
	if err := fstest.TestFS(disk, want...); err != nil {
		t.Errorf("files on disk: %v", err)
	}
}
