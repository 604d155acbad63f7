package secret_test

import (
	"fmt"
	"os"

	"github.com/tornago/tornago/examples/blog/internal/secret"
)

func ExampleResolve() {
	dir, _ := os.MkdirTemp("", "blog-data")
	defer os.RemoveAll(dir)

	generated, _ := secret.Resolve("", dir) // first start: generated and kept
	kept, _ := secret.Resolve("", dir)      // restart: the same secret
	given, _ := secret.Resolve("one-secret-shared-by-all-instances", dir)
	fmt.Println(len(generated), kept == generated, given)
	// Output: 43 true one-secret-shared-by-all-instances
}
