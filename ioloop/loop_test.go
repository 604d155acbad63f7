package ioloop

import (
	"sync"
	"testing"
	"time"
)

func newTestLoop(t *testing.T, opts ...Option) *IOLoop {
	t.Helper()
	l, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestTimersFireInOrder(t *testing.T) {
	l := newTestLoop(t)
	var got []int
	for _, d := range []int{30, 10, 20, 10, 0} {
		l.CallLater(time.Duration(d)*time.Millisecond, func() { got = append(got, d) })
	}
	l.CallLater(50*time.Millisecond, l.Stop)
	if err := l.Start(); err != nil {
		t.Fatal(err)
	}
	want := []int{0, 10, 10, 20, 30}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestAddCallbackFromGoroutines(t *testing.T) {
	l := newTestLoop(t)
	const G, N = 8, 1000
	count := 0
	var wg sync.WaitGroup
	for range G {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range N {
				l.AddCallback(func() {
					count++
					if count == G*N {
						l.Stop()
					}
				})
			}
		}()
	}
	done := make(chan error)
	go func() { done <- l.Start() }()
	wg.Wait()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("loop did not stop")
	}
	if count != G*N {
		t.Fatalf("ran %d callbacks, want %d", count, G*N)
	}
}
