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
//
// The quiet run is a second target, started alike and given no attack,
// which the normal client asks in turn with the attacked one, at the same
// moments: on two shared cores, noise from the machine (other test
// packages, the GC, our own 1,000 reader goroutines) is then the same for
// both series, and what differs is the attack alone.
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
	calm := startTarget(t, nil, "-header-timeout", headerTimeout.String(), "-backlog", "1024")
	base := tg.stats()

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
	// One goroutine feeds each a byte a second, until each closes. The
	// writes are spread over the second, as the heads of independent
	// attackers would be, not sent in one burst of 1,000.
	head := []byte("ET / HTTP/1.1\r\nHost: t\r\nX-Slow: " + string(make([]byte, 64)))
	for i := range head {
		if head[i] == 0 {
			head[i] = 'a'
		}
	}
	stopFeed := make(chan struct{})
	var feeder sync.WaitGroup
	feeder.Go(func() {
		start := time.Now()
		for i := 0; i < len(head); i++ {
			for k, l := range lorises {
				at := start.Add(time.Duration(i+1)*time.Second + time.Duration(k)*time.Second/attackers)
				select {
				case <-stopFeed:
					return
				case <-time.After(time.Until(at)):
				}
				l.c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
				l.c.Write(head[i : i+1]) // fails once closed; ignored
			}
		}
	})

	var stopOnce sync.Once
	stop := func() { stopOnce.Do(func() { close(stopFeed) }); feeder.Wait() }
	t.Cleanup(stop) // also when a check below ends the test early

	// The normal client, during the attack, asking the attacked target and
	// the calm one in turn. It ends half a second before the first
	// attacker's header timeout, however long the 1,000 dials took, so
	// that the wave of 408s and closes stays out of the window.
	window := time.Until(lorises[0].start.Add(headerTimeout - 500*time.Millisecond))
	if window < time.Second {
		t.Fatalf("dialling the attackers took %v: no time left to measure", time.Since(lorises[0].start))
	}
	attack, quiet := probeLatency(t, tg.addr, calm.addr, window)

	readers.Wait()
	stop()

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

	// Latency: p99 under attack within 2x that of the calm target, asked
	// at the same moments, plus latencyGrain: p99 of about 350 requests
	// is their fourth-slowest, and one scheduler stall of the attacked
	// process alone, not of the pair, moves it by that much.
	const latencyGrain = time.Millisecond
	qp, ap := p99(quiet), p99(attack)
	t.Logf("normal client p99: calm target %v, attacked target %v (%d requests each)", qp, ap, len(attack))
	if ap > 2*qp+slack(latencyGrain) {
		t.Errorf("p99 under slowloris %v > twice the calm target's %v (+%v)", ap, qp, slack(latencyGrain))
	}

	if st, ok := tg.waitBaseline(base, 7*time.Second); !ok {
		t.Errorf("not back to baseline: %+v, started at %+v", st, base)
	}
	if code := tg.stop(5 * time.Second); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// probeLatency does sequential requests, each on a new connection (the
// path slowloris competes for), to a and to b in turn (which one goes
// first alternates), a pair every 10 ms, for d. It returns the latencies
// of each.
func probeLatency(t *testing.T, a, b string, d time.Duration) (la, lb []time.Duration) {
	t.Helper()
	one := func(addr string) time.Duration {
		start := time.Now()
		status, body, err := get(addr, "/")
		if err != nil || status != 200 || string(body) != "ok" {
			t.Fatalf("normal client: %d %q %v", status, body, err)
		}
		return time.Since(start)
	}
	end := time.Now().Add(d)
	for i := 0; time.Now().Before(end); i++ {
		if i%2 == 0 {
			la = append(la, one(a))
			lb = append(lb, one(b))
		} else {
			lb = append(lb, one(b))
			la = append(la, one(a))
		}
		time.Sleep(10 * time.Millisecond)
	}
	return la, lb
}

func p99(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*99/100)]
}
