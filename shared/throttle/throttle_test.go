package throttle_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/throttle"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func TestBurstThenRate(t *testing.T) {
	c := newClock()
	l := throttle.New(throttle.Options{Rate: 2, Burst: 3, Now: c.Now})
	for i := range 3 {
		if ok, _ := l.Allow("acme"); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	ok, wait := l.Allow("acme")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("over the burst: ok=%v wait=%v, want refused for 500ms", ok, wait)
	}
	c.Advance(250 * time.Millisecond)
	if ok, wait := l.Allow("acme"); ok || wait != 250*time.Millisecond {
		t.Fatalf("half a token later: ok=%v wait=%v", ok, wait)
	}
	c.Advance(250 * time.Millisecond)
	if ok, _ := l.Allow("acme"); !ok {
		t.Fatal("refused once a token was back")
	}
	// A long pause refills to the burst, not beyond.
	c.Advance(time.Hour)
	for i := range 3 {
		if ok, _ := l.Allow("acme"); !ok {
			t.Fatalf("request %d after a pause refused", i)
		}
	}
	if ok, _ := l.Allow("acme"); ok {
		t.Fatal("bucket grew beyond its burst")
	}
}

// TestTenantsAreIndependent: one tenant over its limit does not slow another.
func TestTenantsAreIndependent(t *testing.T) {
	c := newClock()
	l := throttle.New(throttle.Options{Rate: 1, Burst: 2, Now: c.Now})
	for range 10 {
		l.Allow("noisy")
	}
	for i := range 2 {
		if ok, _ := l.Allow("quiet"); !ok {
			t.Fatalf("quiet tenant refused on request %d", i)
		}
	}
}

func TestDisabled(t *testing.T) {
	var nilLimiter *throttle.Limiter
	for _, l := range []*throttle.Limiter{nilLimiter, throttle.New(throttle.Options{Rate: 0, Burst: 5}), throttle.New(throttle.Options{Rate: -1})} {
		if l != nil {
			t.Fatalf("New with no rate = %v, want nil", l)
		}
		for range 100 {
			if err := l.Check("t"); err != nil {
				t.Fatal(err)
			}
		}
		if l.Len() != 0 {
			t.Fatal("disabled limiter holds buckets")
		}
	}
}

func TestCheck(t *testing.T) {
	c := newClock()
	l := throttle.New(throttle.Options{Rate: 0.5, Burst: 0, Now: c.Now}) // Burst 0 counts as 1
	if err := l.Check("t"); err != nil {
		t.Fatal(err)
	}
	err := l.Check("t")
	var le *throttle.LimitError
	if !errors.As(err, &le) || le.RetryAfter != 2*time.Second || le.Seconds() != 2 {
		t.Fatalf("Check = %v, want a LimitError of 2s", err)
	}
	if (&throttle.LimitError{RetryAfter: time.Millisecond}).Seconds() != 1 {
		t.Error("Seconds rounds below 1")
	}
}

// TestSweep: idle tenants' buckets are forgotten, so memory follows the
// tenants active within one refill time, not every tenant ever seen.
func TestSweep(t *testing.T) {
	c := newClock()
	l := throttle.New(throttle.Options{Rate: 10, Burst: 10, Now: c.Now})
	for i := range 1000 {
		l.Allow(fmt.Sprint("tenant-", i))
	}
	if l.Len() != 1000 {
		t.Fatalf("Len = %d", l.Len())
	}
	c.Advance(time.Second) // every bucket full again
	l.Allow("busy")
	if l.Len() != 1 {
		t.Fatalf("Len after a refill time = %d, want 1", l.Len())
	}
}

func TestConcurrent(t *testing.T) {
	c := newClock()
	l := throttle.New(throttle.Options{Rate: 1, Burst: 50, Now: c.Now})
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for i := range 400 {
		wg.Go(func() {
			if ok, _ := l.Allow(fmt.Sprint("t", i%4)); ok {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 4*50 {
		t.Errorf("allowed %d, want 200 (4 tenants × burst 50)", allowed.Load())
	}
}

func BenchmarkAllow(b *testing.B) {
	l := throttle.New(throttle.Options{Rate: 1e9, Burst: 1 << 30})
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.Allow(fmt.Sprint("t", i%16))
			i++
		}
	})
}
