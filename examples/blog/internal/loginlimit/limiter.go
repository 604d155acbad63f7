// Package loginlimit limits failed sign-ins per client address and per
// email, so nobody can guess a password by trying many, and bcrypt's
// deliberate cost per attempt cannot be turned into a CPU flood.
//
// Each key keeps the times of its recent failures (a sliding window log):
// an attempt is refused while the key has Limit failures within the last
// Window, and allowed again as soon as the oldest of them leaves the window.
// Memory is bounded: at most MaxKeys keys of each kind are kept, the key
// whose last failure is oldest going first, and keys with no failure in the
// window are dropped as the limiter is used.
//
//	l := loginlimit.New(loginlimit.Config{})
//	if ok, wait := l.Check(ip, email); !ok {
//		// "too many failed sign-ins, try again in" wait
//	}
//	if passwordOK { l.Succeeded(ip, email) } else { l.Failed(ip, email) }
package loginlimit

import (
	"container/list"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Defaults for a zero Config.
const (
	// DefaultPerAddress failures from one address in DefaultWindow block
	// it: enough for a person mistyping a few times, too few to guess a
	// password (or to make bcrypt cost more than a second of CPU a minute).
	DefaultPerAddress = 20
	// DefaultPerEmail failures for one email in DefaultWindow block
	// sign-ins as that author from anywhere: it stops a guesser spread over
	// many addresses, at the price of locking the author out for at most
	// DefaultWindow while attacked.
	DefaultPerEmail = 10
	// DefaultWindow is how long a failure counts.
	DefaultWindow = 15 * time.Minute
	// DefaultMaxKeys bounds the addresses and the emails tracked (each),
	// so a flood from many addresses costs at most about 2 × 10,000 × 200
	// bytes.
	DefaultMaxKeys = 10000
	// maxKeyLength bounds a stored key; a longer email cannot belong to
	// an author (the column holds 100 characters).
	maxKeyLength = 256
	// ipv6Prefix groups IPv6 addresses: one subscriber usually holds a
	// whole /64, so counting single addresses would be no limit at all.
	ipv6Prefix = 64
)

// Config sets a Limiter's limits; zero fields take the defaults.
type Config struct {
	PerAddress int              // failures allowed per address within Window
	PerEmail   int              // failures allowed per email within Window
	Window     time.Duration    // how long a failure counts
	MaxKeys    int              // addresses, and emails, tracked at most
	Now        func() time.Time // the clock; time.Now when nil
}

// A Limiter counts failed sign-ins. It is safe for concurrent use.
type Limiter struct {
	mu     sync.Mutex
	window time.Duration
	now    func() time.Time
	addrs  *keys
	emails *keys
}

// New returns a Limiter with cfg's limits.
func New(cfg Config) *Limiter {
	if cfg.PerAddress <= 0 {
		cfg.PerAddress = DefaultPerAddress
	}
	if cfg.PerEmail <= 0 {
		cfg.PerEmail = DefaultPerEmail
	}
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = DefaultMaxKeys
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Limiter{
		window: cfg.Window,
		now:    cfg.Now,
		addrs:  newKeys(cfg.PerAddress, cfg.MaxKeys),
		emails: newKeys(cfg.PerEmail, cfg.MaxKeys),
	}
}

// Check reports whether a sign-in from addr as email may be tried now, and
// if not, how long until it may. Call it before checking the password.
func (l *Limiter) Check(addr, email string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	wait := l.addrs.wait(addrKey(addr), now, l.window)
	if e := emailKey(email); e != "" {
		wait = max(wait, l.emails.wait(e, now, l.window))
	}
	return wait == 0, wait
}

// Failed records a failed sign-in (an unknown email or a wrong password)
// from addr as email.
func (l *Limiter) Failed(addr, email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.addrs.fail(addrKey(addr), now, l.window)
	if e := emailKey(email); e != "" {
		l.emails.fail(e, now, l.window)
	}
}

// Succeeded records a successful sign-in: the email's failures are
// forgotten. The address's are not, so one valid account cannot be used to
// reset an address's count.
func (l *Limiter) Succeeded(addr, email string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := emailKey(email); e != "" {
		l.emails.forget(e)
	}
}

// Len returns how many addresses and emails are tracked.
func (l *Limiter) Len() (addrs, emails int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.addrs.byKey), len(l.emails.byKey)
}

// addrKey is the client address, IPv4-mapped IPv6 unmapped, IPv6 cut to
// its /64; an address that does not parse counts as itself.
func addrKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return bound(addr)
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(ipv6Prefix)
		return p.String()
	}
	return ip.String()
}

// emailKey is the email as the store would find it, case-folded so that
// changing case does not buy more attempts.
func emailKey(email string) string {
	return bound(strings.ToLower(strings.TrimSpace(email)))
}

func bound(s string) string {
	if len(s) > maxKeyLength {
		return s[:maxKeyLength]
	}
	return s
}

// keys is one kind of key (addresses or emails) with its failure logs, in
// order of last failure (front: most recent).
type keys struct {
	limit   int
	maxKeys int
	byKey   map[string]*list.Element // of *record
	order   *list.List
}

// record is one key's failure log: the times (Unix nanoseconds) of its
// most recent failures, at most limit of them, oldest first.
type record struct {
	key   string
	times []int64
}

func newKeys(limit, maxKeys int) *keys {
	return &keys{limit: limit, maxKeys: maxKeys, byKey: map[string]*list.Element{}, order: list.New()}
}

// wait returns how long key must wait before its next attempt: zero unless
// limit failures lie within the window.
func (k *keys) wait(key string, now time.Time, window time.Duration) time.Duration {
	el, ok := k.byKey[key]
	if !ok {
		return 0
	}
	r := el.Value.(*record)
	if len(r.times) < k.limit {
		return 0
	}
	// The oldest of the last limit failures leaves the window at:
	free := time.Unix(0, r.times[0]).Add(window)
	if !now.Before(free) {
		return 0
	}
	return free.Sub(now)
}

// fail appends now to key's log, evicting the stalest keys when over
// maxKeys and any key whose last failure has left the window.
func (k *keys) fail(key string, now time.Time, window time.Duration) {
	k.prune(now, window)
	el, ok := k.byKey[key]
	if ok {
		k.order.MoveToFront(el)
	} else {
		if len(k.byKey) >= k.maxKeys {
			k.remove(k.order.Back())
		}
		el = k.order.PushFront(&record{key: key})
		k.byKey[key] = el
	}
	r := el.Value.(*record)
	if len(r.times) == k.limit {
		copy(r.times, r.times[1:])
		r.times = r.times[:k.limit-1]
	}
	r.times = append(r.times, now.UnixNano())
}

// prune drops keys whose newest failure is older than the window: they
// block nothing. The list is in order of last failure, so it stops at the
// first key still in the window.
func (k *keys) prune(now time.Time, window time.Duration) {
	cutoff := now.Add(-window).UnixNano()
	for el := k.order.Back(); el != nil; el = k.order.Back() {
		r := el.Value.(*record)
		if r.times[len(r.times)-1] > cutoff {
			return
		}
		k.remove(el)
	}
}

func (k *keys) forget(key string) {
	if el, ok := k.byKey[key]; ok {
		k.remove(el)
	}
}

func (k *keys) remove(el *list.Element) {
	delete(k.byKey, el.Value.(*record).key)
	k.order.Remove(el)
}
