package loginlimit_test

import (
	"fmt"
	"time"

	"github.com/tornago/tornago/examples/blog/internal/loginlimit"
)

func Example() {
	now := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	l := loginlimit.New(loginlimit.Config{PerAddress: 3, Window: 10 * time.Minute, Now: func() time.Time { return now }})
	for range 3 {
		l.Failed("192.0.2.1", "ann@example.com")
		now = now.Add(time.Minute)
	}
	fmt.Println(l.Check("192.0.2.1", "ann@example.com"))
	fmt.Println(l.Check("198.51.100.2", "bob@example.com"))
	// Output:
	// false 7m0s
	// true 0s
}
