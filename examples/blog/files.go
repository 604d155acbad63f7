package main

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/tornago/tornago/templates"
)

// debugTemplateDir is read instead of the embedded copy with -debug, so a
// template or CSS edit shows on reload. It is relative to the working
// directory: run the blog from the repository root.
const debugTemplateDir = "templates"

// siteFiles returns the folder holding blog/ (templates) and static/: the
// copy built into the binary, or with debug the one on disk.
func siteFiles(debug bool) (fs.FS, error) {
	if !debug {
		return templates.FS, nil
	}
	if _, err := os.Stat(debugTemplateDir + "/blog/base.html"); err != nil {
		wd, _ := os.Getwd()
		return nil, fmt.Errorf("-debug reads templates from ./%s/blog, but %s has none (%v): run from the repository root, or without -debug to use the built-in templates",
			debugTemplateDir, wd, err)
	}
	return os.DirFS(debugTemplateDir), nil
}
