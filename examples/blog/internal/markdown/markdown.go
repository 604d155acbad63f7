// Package markdown renders the blog's Markdown to HTML with
// github.com/yuin/goldmark (CommonMark and GitHub's extensions), safe to
// embed raw in a page and in an Atom feed's XHTML content.
//
// Raw HTML in the source is never copied to the output (goldmark writes a
// "raw HTML omitted" comment instead), javascript:, vbscript:, file: and
// data: links lose their target, and such images become their alt text, so
// an author cannot inject script. The output is well-formed XHTML: void
// elements are self-closed, entity references are resolved to characters
// and characters XML forbids are replaced, so encoding/xml reads it.
//
//	html := markdown.Render("Hello *world* <script>alert(1)</script>")
//	// <p>Hello <em>world</em> <!-- raw HTML omitted -->alert(1)<!-- raw HTML omitted --></p>
package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// converter is shared: a goldmark.Markdown is safe for concurrent use.
var converter = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(unsafeImages{}, 0))),
	// html.WithUnsafe is deliberately absent: raw HTML is dropped.
	goldmark.WithRendererOptions(html.WithXHTML()),
)

// Render converts Markdown source to HTML.
func Render(source string) string {
	var b bytes.Buffer
	// Convert only fails when writing to b fails, which a bytes.Buffer
	// never does.
	_ = converter.Convert([]byte(source), &b)
	// Cleaned after rendering: character references such as &#11; also
	// produce characters XML forbids.
	return clean(b.String())
}

// clean makes s valid UTF-8 and replaces what XML 1.0 forbids (C0
// controls other than tab, newline and carriage return, U+FFFE, U+FFFF)
// with U+FFFD, so the HTML can go into the feed as XHTML. None of these is
// ever part of markup, so replacing them in the output is safe.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, s)
}

// unsafeImages replaces an image whose source is empty or dangerous by its
// alt text. goldmark would otherwise write <img src="">, which HTML5
// forbids.
type unsafeImages struct{}

func (unsafeImages) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var images []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			dest := util.URLEscape(img.Destination, true)
			if len(dest) == 0 || html.IsDangerousURL(dest) {
				images = append(images, img)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		parent := img.Parent()
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, img, c)
			c = next
		}
		parent.RemoveChild(parent, img)
	}
}
