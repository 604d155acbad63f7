package ioloop_test

import (
	"fmt"
	"time"

	"github.com/tornago/tornago/ioloop"
)

func Example() {
	loop, err := ioloop.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer loop.Close()

	loop.CallLater(20*time.Millisecond, func() { fmt.Println("second: a timer"); loop.Stop() })
	loop.AddCallback(func() { fmt.Println("first: a callback") })
	if err := loop.Start(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// first: a callback
	// second: a timer
}

func ExampleIOLoop_RunInExecutor() {
	loop, _ := ioloop.New()
	defer loop.Close()
	v, err := loop.RunSync(func() *ioloop.Future {
		// The function runs on a worker goroutine; the future resolves on
		// the loop.
		return loop.RunInExecutor(func() (any, error) { return 6 * 7, nil })
	}, time.Second)
	fmt.Println(v, err)
	// Output: 42 <nil>
}

func ExampleTimer() {
	loop, _ := ioloop.New()
	defer loop.Close()

	// A connection's idle timeout: armed once, moved on every request,
	// never allocating.
	var idle ioloop.Timer
	idle.Init(func() { fmt.Println("idle: closing"); loop.Stop() })
	loop.AddCallback(func() {
		loop.ScheduleAfter(&idle, time.Hour)           // connection opened
		loop.ScheduleAfter(&idle, 10*time.Millisecond) // a request came in: re-arm
		fmt.Println("pending:", idle.Pending())
	})
	loop.Start()
	// Output:
	// pending: true
	// idle: closing
}

func ExamplePeriodicCallback() {
	loop, _ := ioloop.New()
	defer loop.Close()
	n := 0
	var pc *ioloop.PeriodicCallback
	pc = ioloop.NewPeriodicCallback(loop, func() {
		n++
		fmt.Println("tick", n)
		if n == 3 {
			pc.Stop()
			loop.Stop()
		}
	}, 5*time.Millisecond, 0)
	loop.AddCallback(pc.Start)
	loop.Start()
	// Output:
	// tick 1
	// tick 2
	// tick 3
}
