package procfs_test

import (
	"fmt"

	"github.com/tornago/tornago/bench/internal/procfs"
)

func ExampleParseStatTicks() {
	// utime 1200 and stime 345 ticks, after a command name that holds a ')'.
	ticks, err := procfs.ParseStatTicks("4242 (a) b) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1200 345 0 0 20 0")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f CPU seconds\n", float64(ticks)/procfs.ClockTicks)
	// Output: 15.45 CPU seconds
}
