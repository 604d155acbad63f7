package slug_test

import (
	"context"
	"fmt"

	"github.com/tornago/tornago/examples/blog/internal/slug"
)

func ExampleMake() {
	fmt.Println(slug.Make("Crème Brûlée: a recipe!"))
	fmt.Println(slug.Make("日本語"))
	// Output:
	// creme-brulee-a-recipe
	// entry
}

func ExampleUnique() {
	existing := map[string]bool{"hello": true, "hello-2": true}
	taken := func(_ context.Context, s string) (bool, error) { return existing[s], nil }
	s, _ := slug.Unique(context.Background(), slug.Make("Hello!"), taken)
	fmt.Println(s)
	// Output: hello-3
}
