// Package templates holds the templates and static files of tornago's
// example programs, built into their binaries so they run from any
// directory.
//
// FS has one folder per example (blog/: Tornado's blog demo's templates)
// and static/ with their static files (static/blog/blog.css). An example
// run with -debug reads this folder from disk instead, so an edit shows on
// the next reload:
//
//	files := fs.FS(templates.FS)
//	if debug {
//		files = os.DirFS("templates")
//	}
//	loader := template.NewFSLoader(sub(files, "blog"))
package templates

import "embed"

// FS is the templates (blog/...) and static files (static/...) as they
// were when the binary was built.
//
//go:embed blog chat static
var FS embed.FS
