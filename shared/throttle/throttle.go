// Package throttle is a keyed token bucket: each key (a tenant) may make
// Burst requests at once and Rate requests per second after that, whatever
// the other keys do, so one tenant cannot starve the others.
//
// It holds its buckets in memory: in AWS that is per warm Lambda instance,
// so a tenant's effective limit is Rate × the instances serving it (see
// docs/deploy.md, "Per-tenant throttling").
package throttle

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// Defaults of the Studio routes' per-tenant limit (infra context tenantRate
// and tenantBurst; env CRMFLOW_TENANT_RATE and CRMFLOW_TENANT_BURST).
const (
	DefaultRate  = 10.0
	DefaultBurst = 20
)

// Options configure a Limiter.
type Options struct {
	// Rate is the steady requests per second of each key; 0 or less
	// disables the limiter.
	Rate float64
	// Burst is how many requests a key may make at once (at least 1).
	Burst int
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Limiter is a token bucket per key. A nil *Limiter allows everything. It is
// safe for concurrent use.
type Limiter struct {
	rate  float64
	burst float64
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was right
}

// New returns a Limiter, or nil (allow everything) when o.Rate is not positive.
func New(o Options) *Limiter {
	if o.Rate <= 0 {
		return nil
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Limiter{rate: o.Rate, burst: float64(max(o.Burst, 1)), now: o.Now, buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket. When the bucket is empty it takes
// nothing and says how long until a token is there.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b, found := l.buckets[key]
	if !found {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.fill(now, l.rate, l.burst)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

func (b *bucket) fill(now time.Time, rate, burst float64) {
	if el := now.Sub(b.at); el > 0 {
		b.tokens = math.Min(burst, b.tokens+el.Seconds()*rate)
	}
	b.at = now
}

// sweep forgets buckets that are full again: a full bucket is the same as
// none, so memory stays bounded by the keys active in the last refill time.
// It runs at most once per refill time; mu must be held.
func (l *Limiter) sweep(now time.Time) {
	refill := time.Duration(l.burst / l.rate * float64(time.Second))
	if now.Sub(l.lastSweep) < refill {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// Len is how many keys hold a bucket (for tests and metrics).
func (l *Limiter) Len() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// LimitError is the refusal of a request over its key's limit.
type LimitError struct {
	RetryAfter time.Duration
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("this tenant's request rate limit was reached: retry in %ds", e.Seconds())
}

// Seconds is RetryAfter in whole seconds, rounded up, at least 1.
func (e *LimitError) Seconds() int {
	return int(max(1, math.Ceil(e.RetryAfter.Seconds())))
}

// Check is Allow as an error: nil, or a *LimitError.
func (l *Limiter) Check(key string) error {
	if ok, wait := l.Allow(key); !ok {
		return &LimitError{RetryAfter: wait}
	}
	return nil
}
