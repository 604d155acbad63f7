package docs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// markdownFiles are the documents whose Go samples must compile.
var markdownFiles = []string{"guide.md", "porting.md", "security.md", "../README.md"}

// goBlock matches a fenced Go block of a markdown file.
var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// region matches a sample region of a Go file: "// guide: name" up to
// "// end", each on a line of its own.
var region = regexp.MustCompile(`(?s)// guide: ([a-z-]+)\n\n(.*?)\n// end\n`)

// goSources reads every .go file under docs/ (this directory and its
// subdirectories, each of which has tests, so go test ./docs/... compiles
// them all).
func goSources(t *testing.T) map[string]string {
	t.Helper()
	srcs := map[string]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		srcs[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return srcs
}

// TestSamplesCompile checks that every ```go block of the documents appears
// verbatim in a Go file of docs/, so that it is compiled (and, where an
// Example or a test uses it, run) by go test ./docs/...
func TestSamplesCompile(t *testing.T) {
	srcs := goSources(t)
	total := 0
	for _, md := range markdownFiles {
		b, err := os.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goBlock.FindAllStringSubmatch(string(b), -1) {
			total++
			block := m[1]
			found := false
			for _, src := range srcs {
				if strings.Contains(src, block) {
					found = true
					break
				}
			}
			if !found {
				first, _, _ := strings.Cut(block, "\n")
				t.Errorf("%s: the Go block starting %q is in no .go file of docs/", md, first)
			}
		}
	}
	if total < 10 {
		t.Errorf("only %d Go blocks found in %v", total, markdownFiles)
	}
}

// TestRegionsUsed checks the other way: every sample region marked in a Go
// file is shown in the guide, so a sample is never tested but missing.
func TestRegionsUsed(t *testing.T) {
	guide, err := os.ReadFile("guide.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, src := range goSources(t) {
		for _, m := range region.FindAllStringSubmatch(src, -1) {
			n++
			if !strings.Contains(string(guide), "```go\n"+m[2]+"\n```") {
				t.Errorf("%s: region %q is not a Go block of guide.md", path, m[1])
			}
		}
	}
	if n == 0 {
		t.Error("no sample regions found")
	}
}
