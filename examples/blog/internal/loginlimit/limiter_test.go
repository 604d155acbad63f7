package loginlimit

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTest(perAddr, perEmail int) (*Limiter, *clock) {
	c := &clock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	return New(Config{PerAddress: perAddr, PerEmail: perEmail, Window: 10 * time.Minute, Now: c.now}), c
}

func mustAllow(t *testing.T, l *Limiter, addr, email string) {
	t.Helper()
	if ok, wait := l.Check(addr, email); !ok {
		t.Fatalf("Check(%q, %q) refused (wait %v), want allowed", addr, email, wait)
	}
}

func mustRefuse(t *testing.T, l *Limiter, addr, email string, wantWait time.Duration) {
	t.Helper()
	ok, wait := l.Check(addr, email)
	if ok || wait != wantWait {
		t.Fatalf("Check(%q, %q) = %v, %v; want refused for %v", addr, email, ok, wait, wantWait)
	}
}

func TestPerAddress(t *testing.T) {
	l, c := newTest(3, 100)
	for i := range 3 {
		mustAllow(t, l, "192.0.2.1", "")
		l.Failed("192.0.2.1", fmt.Sprintf("u%d@example.com", i))
		c.advance(time.Minute)
	}
	// Failures at 0, 1 and 2 minutes; now is 3 minutes: the first leaves
	// the window at 10 minutes.
	mustRefuse(t, l, "192.0.2.1", "other@example.com", 7*time.Minute)
	mustAllow(t, l, "192.0.2.2", "other@example.com")
	c.advance(7*time.Minute - time.Nanosecond)
	mustRefuse(t, l, "192.0.2.1", "", time.Nanosecond)
	c.advance(time.Nanosecond)
	mustAllow(t, l, "192.0.2.1", "")
	// Sliding: one more failure blocks again until the second-oldest leaves.
	l.Failed("192.0.2.1", "")
	mustRefuse(t, l, "192.0.2.1", "", time.Minute)
}

func TestPerEmailAcrossAddresses(t *testing.T) {
	l, c := newTest(100, 2)
	l.Failed("192.0.2.1", "Ann@Example.com")
	c.advance(time.Second)
	l.Failed("198.51.100.7", " ann@example.com ")
	mustRefuse(t, l, "203.0.113.9", "ANN@example.com", 10*time.Minute-time.Second)
	mustAllow(t, l, "203.0.113.9", "bob@example.com")
	l.Succeeded("203.0.113.9", "ann@example.com")
	mustAllow(t, l, "203.0.113.9", "ann@example.com")
}

func TestSucceededKeepsAddressCount(t *testing.T) {
	l, _ := newTest(2, 100)
	l.Failed("192.0.2.1", "a@example.com")
	l.Failed("192.0.2.1", "b@example.com")
	l.Succeeded("192.0.2.1", "c@example.com")
	mustRefuse(t, l, "192.0.2.1", "c@example.com", 10*time.Minute)
}

func TestAddressGrouping(t *testing.T) {
	l, _ := newTest(2, 100)
	// One IPv6 /64 is one subscriber.
	l.Failed("2001:db8:1:2::1", "")
	l.Failed("2001:db8:1:2:ffff::9", "")
	mustRefuse(t, l, "2001:db8:1:2:abcd::1", "", 10*time.Minute)
	mustAllow(t, l, "2001:db8:1:3::1", "")
	// IPv4-mapped IPv6 is the IPv4 address.
	l.Failed("::ffff:192.0.2.1", "")
	l.Failed("192.0.2.1", "")
	mustRefuse(t, l, "192.0.2.1", "", 10*time.Minute)
	// Anything else counts as itself.
	l.Failed("unix-socket", "")
	l.Failed("unix-socket", "")
	mustRefuse(t, l, "unix-socket", "", 10*time.Minute)
}

func TestMemoryIsBounded(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := New(Config{PerAddress: 3, PerEmail: 3, Window: time.Hour, MaxKeys: 100, Now: c.now})
	for i := range 1000 {
		l.Failed(fmt.Sprintf("10.0.%d.%d", i/256, i%256), fmt.Sprintf("u%d@example.com", i))
		c.advance(time.Millisecond)
	}
	if a, e := l.Len(); a != 100 || e != 100 {
		t.Fatalf("after 1000 distinct failures, tracking %d addresses and %d emails; want 100 each", a, e)
	}
	// The most recent keys are the ones kept.
	for range 2 {
		l.Failed("10.0.3.231", "") // i = 999
	}
	mustRefuse(t, l, "10.0.3.231", "", time.Hour-time.Millisecond)
	// Records whose failures left the window are dropped.
	c.advance(2 * time.Hour)
	l.Failed("192.0.2.1", "x@example.com")
	if a, e := l.Len(); a != 1 || e != 1 {
		t.Fatalf("after the window passed, tracking %d addresses and %d emails; want 1 each", a, e)
	}
	// A long email is bounded.
	long := make([]byte, 10000)
	for i := range long {
		long[i] = 'a'
	}
	l.Failed("192.0.2.1", string(long))
	for el := l.emails.order.Front(); el != nil; el = el.Next() {
		if k := el.Value.(*record).key; len(k) > maxKeyLength {
			t.Fatalf("stored a key of %d bytes", len(k))
		}
	}
}

func TestDefaults(t *testing.T) {
	l := New(Config{})
	for range DefaultPerEmail {
		l.Failed("192.0.2.1", "a@example.com")
	}
	if ok, wait := l.Check("192.0.2.99", "a@example.com"); ok || wait <= 0 || wait > DefaultWindow {
		t.Fatalf("after %d failures Check = %v, %v", DefaultPerEmail, ok, wait)
	}
	if ok, _ := l.Check("192.0.2.1", "b@example.com"); !ok {
		t.Fatalf("address blocked after %d < %d failures", DefaultPerEmail, DefaultPerAddress)
	}
}

func TestConcurrent(t *testing.T) {
	l := New(Config{PerAddress: 1000, PerEmail: 1000})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				addr := fmt.Sprintf("10.0.%d.%d", g, i%10)
				l.Check(addr, "a@example.com")
				l.Failed(addr, "a@example.com")
				if i%50 == 0 {
					l.Succeeded(addr, "a@example.com")
				}
			}
		})
	}
	wg.Wait()
	if a, e := l.Len(); a != 80 || e != 1 {
		t.Fatalf("tracking %d addresses and %d emails; want 80 and 1", a, e)
	}
}
