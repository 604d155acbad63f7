package hardening

import (
	"io"
	"net"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestSlowloris trickles 1,000 request heads, one byte a second, into a
// target with a 5 s header timeout. The timeout is one deadline from the
// head's first byte, not an idle timer each byte resets, so every one of
// them is closed about 5 s after it started. Meanwhile a normal client's
// p99 latency stays within twice that of a quiet run.
func TestSlowloris(t *testing.T) {
	const (
		attackers     = 1000
		headerTimeout = 5 * time.Second
		// closeSlack covers the 1 s byte interval (the close is only
		// seen once the reader wakes), timer granularity and a loaded
		// two-core machine.
		closeSlack = 2500 * time.Millisecond
	)
	tg := startTarget(t, nil, "-header-timeout", headerTimeout.String(), "-backlog", "1024")
	base := tg.stats()

	quiet := probeLatency(t, tg.addr, 2*time.Second)

	type loris struct {
		c       net.Conn
		start   time.Time
		closed  time.Duration // since start; 0 while open
		gotResp bool
	}
	lorises := make([]*loris, 0, attackers)
	var mu sync.Mutex // guards closed and gotResp
	var readers sync.WaitGroup
	for range attackers {
		c, err := net.DialTimeout("tcp", tg.addr, ioTimeout)
		if err != nil {
			t.Fatalf("slowloris connection %d: %v", len(lorises), err)
		}
		l := &loris{c: c, start: time.Now()}
		c.Write([]byte("G"))
		lorises = append(lorises, l)
		readers.Go(func() {
			defer c.Close()
			c.SetReadDeadline(l.start.Add(headerTimeout + 3*closeSlack))
			n, _ := io.Copy(io.Discard, c) // the 408, then EOF (or RST)
			mu.Lock()
			l.closed = time.Since(l.start)
			l.gotResp = n > 0
			mu.Unlock()
		})
	}
	// One goroutine feeds them all a byte a second, until each closes.
	head := []byte("ET / HTTP/1.1\r\nHost: t\r\nX-Slow: " + string(make([]byte, 64)))
	for i := range head {
		if head[i] == 0 {
			head[i] = 'a'
		}
	}
	stopFeed := make(chan struct{})
	var feeder sync.WaitGroup
	feeder.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for i := 0; i < len(head); i++ {
			select {
			case <-stopFeed:
				return
			case <-tick.C:
			}
			for _, l := range lorises {
				l.c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
				l.c.Write(head[i : i+1]) // fails once closed; ignored
			}
		}
	})

	// The normal client, during the attack (it ends before the timeout).
	attack := probeLatency(t, tg.addr, headerTimeout-time.Second)

	readers.Wait()
	close(stopFeed)
	feeder.Wait()

	var closes []time.Duration
	open, noResp := 0, 0
	for _, l := range lorises {
		if l.closed == 0 || l.closed >= headerTimeout+3*closeSlack {
			open++
			continue
		}
		if !l.gotResp {
			noResp++
		}
		closes = append(closes, l.closed)
	}
	slices.Sort(closes)
	if open > 0 {
		t.Fatalf("%d of %d slowloris connections still open after %v", open, attackers, headerTimeout+3*closeSlack)
	}
	first, last := closes[0], closes[len(closes)-1]
	t.Logf("slowloris: %d closed between %v and %v after their first byte (%d without a 408)", len(closes), first.Round(time.Millisecond), last.Round(time.Millisecond), noResp)
	if first < headerTimeout-100*time.Millisecond {
		t.Errorf("a connection closed after %v, before the %v header timeout", first, headerTimeout)
	}
	if last > headerTimeout+slack(closeSlack) {
		t.Errorf("a connection closed only after %v; header timeout %v", last, headerTimeout)
	}

	// Latency: p99 under attack within 2x quiet. A quiet loopback p99 is
	// well under a millisecond, where scheduler noise on two shared cores
	// (our own 1,000 attacker goroutines included) dwarfs 2x; so the bound
	// is max(2x quiet, quiet + 20 ms): a server that serialised the normal
	// client behind the slow heads would cost seconds, not milliseconds.
	qp, ap := p99(quiet), p99(attack)
	limit := max(2*qp, qp+slack(20*time.Millisecond))
	t.Logf("normal client p99: quiet %v (%d requests), under attack %v (%d requests), limit %v", qp, len(quiet), ap, len(attack), limit)
	if ap > limit {
		t.Errorf("p99 under slowloris %v > %v", ap, limit)
	}

	if st, ok := tg.waitBaseline(base, 7*time.Second); !ok {
		t.Errorf("not back to baseline: %+v, started at %+v", st, base)
	}
	if code := tg.stop(5 * time.Second); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// probeLatency does sequential requests, each on a new connection (the
// path slowloris competes for), one every 10 ms, for d.
func probeLatency(t *testing.T, addr string, d time.Duration) []time.Duration {
	t.Helper()
	var lat []time.Duration
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		start := time.Now()
		status, body, err := get(addr, "/")
		if err != nil || status != 200 || string(body) != "ok" {
			t.Fatalf("normal client: %d %q %v", status, body, err)
		}
		lat = append(lat, time.Since(start))
		time.Sleep(10 * time.Millisecond)
	}
	return lat
}

func p99(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*99/100)]
}
