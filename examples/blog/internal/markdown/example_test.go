package markdown_test

import (
	"fmt"

	"github.com/tornago/tornago/examples/blog/internal/markdown"
)

func ExampleRender() {
	fmt.Print(markdown.Render("Hello *world* <script>alert(1)</script>"))
	// Output:
	// <p>Hello <em>world</em> <!-- raw HTML omitted -->alert(1)<!-- raw HTML omitted --></p>
}
