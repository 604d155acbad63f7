package nexturl_test

import (
	"fmt"

	"github.com/tornago/tornago/examples/blog/internal/nexturl"
)

func ExampleParse() {
	for _, next := range []string{"", "/compose", "//evil.com", "/\\evil.com", "https://evil.com"} {
		v, err := nexturl.Parse(next, "/")
		fmt.Printf("%q -> %q %v\n", next, v, err)
	}
	// Output:
	// "" -> "/" <nil>
	// "/compose" -> "/compose" <nil>
	// "//evil.com" -> "" nexturl: not a local path
	// "/\\evil.com" -> "" nexturl: not a local path
	// "https://evil.com" -> "" nexturl: not a local path
}
