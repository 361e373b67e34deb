package breaker_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/breaker"
)

// clock is a fake clock tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

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

func newBreaker(c *clock) *breaker.Breaker {
	return breaker.New(breaker.Options{Failures: 3, CoolDown: 10 * time.Second, Now: c.Now})
}

// call makes one call with outcome out; it reports whether the call went through.
func call(t *testing.T, b *breaker.Breaker, out breaker.Outcome) bool {
	t.Helper()
	done, err := b.Allow()
	if err != nil {
		if !errors.Is(err, breaker.ErrOpen) {
			t.Fatalf("Allow: %v, want ErrOpen", err)
		}
		return false
	}
	done(out)
	return true
}

func retryAfter(t *testing.T, b *breaker.Breaker) time.Duration {
	t.Helper()
	_, err := b.Allow()
	var oe *breaker.OpenError
	if !errors.As(err, &oe) {
		t.Fatalf("Allow: %v, want *OpenError", err)
	}
	return oe.RetryAfter
}

func TestOpensAfterFailuresInARow(t *testing.T) {
	c := newClock()
	b := newBreaker(c)
	for i, out := range []breaker.Outcome{breaker.Failure, breaker.Failure, breaker.Success, breaker.Failure, breaker.Ignore, breaker.Failure} {
		if !call(t, b, out) {
			t.Fatalf("call %d refused", i)
		}
	}
	if b.State() != breaker.Closed {
		t.Fatalf("state %v after a success broke the run, want closed", b.State())
	}
	call(t, b, breaker.Failure) // third in a row (Ignore does not break a run)
	if b.State() != breaker.Open {
		t.Fatalf("state %v, want open", b.State())
	}
	if got := retryAfter(t, b); got != 10*time.Second {
		t.Errorf("RetryAfter %v, want the whole cool-down", got)
	}
	c.Advance(4 * time.Second)
	if got := retryAfter(t, b); got != 6*time.Second {
		t.Errorf("RetryAfter %v, want the rest of the cool-down", got)
	}
}

func TestHalfOpenLetsOneProbeThrough(t *testing.T) {
	for _, tc := range []struct {
		probe breaker.Outcome
		want  breaker.State
	}{
		{breaker.Success, breaker.Closed},
		{breaker.Failure, breaker.Open},
		{breaker.Ignore, breaker.HalfOpen},
	} {
		t.Run(tc.want.String(), func(t *testing.T) {
			c := newClock()
			b := newBreaker(c)
			for range 3 {
				call(t, b, breaker.Failure)
			}
			c.Advance(10 * time.Second)
			if b.State() != breaker.HalfOpen {
				t.Fatalf("state %v after the cool-down, want half-open", b.State())
			}
			probe, err := b.Allow()
			if err != nil {
				t.Fatalf("probe refused: %v", err)
			}
			// While the probe is out everyone else waits a cool-down.
			if got := retryAfter(t, b); got != 10*time.Second {
				t.Errorf("RetryAfter during the probe %v, want the cool-down", got)
			}
			probe(tc.probe)
			probe(breaker.Failure) // a second report is ignored
			if b.State() != tc.want {
				t.Fatalf("state %v after the probe, want %v", b.State(), tc.want)
			}
			switch tc.want {
			case breaker.Closed:
				// A fresh count: two failures do not open it.
				call(t, b, breaker.Failure)
				call(t, b, breaker.Failure)
				if b.State() != breaker.Closed {
					t.Errorf("state %v, want closed", b.State())
				}
			case breaker.Open:
				if got := retryAfter(t, b); got != 10*time.Second {
					t.Errorf("RetryAfter %v, want a new cool-down", got)
				}
			case breaker.HalfOpen:
				if !call(t, b, breaker.Success) {
					t.Error("no new probe after an ignored one")
				}
			}
		})
	}
}

// TestLateCallsDoNotCount: calls that started before the breaker opened and
// end after it do not decide anything, even once it closed again.
func TestLateCallsDoNotCount(t *testing.T) {
	c := newClock()
	b := newBreaker(c)
	late := make([]func(breaker.Outcome), 3)
	for i := range late {
		late[i], _ = b.Allow()
	}
	for range 3 {
		call(t, b, breaker.Failure)
	}
	late[0](breaker.Success) // while open
	if b.State() != breaker.Open {
		t.Fatalf("state %v, want open", b.State())
	}
	c.Advance(10 * time.Second)
	call(t, b, breaker.Success) // the probe closes it
	late[1](breaker.Failure)
	late[2](breaker.Failure)
	call(t, b, breaker.Failure)
	if b.State() != breaker.Closed {
		t.Errorf("state %v: late failures counted", b.State())
	}
}

func TestOnChange(t *testing.T) {
	c := newClock()
	var got []string
	b := breaker.New(breaker.Options{Failures: 1, CoolDown: time.Second, Now: c.Now,
		OnChange: func(from, to breaker.State) { got = append(got, from.String()+">"+to.String()) }})
	call(t, b, breaker.Failure)
	c.Advance(time.Second)
	call(t, b, breaker.Failure)
	c.Advance(time.Second)
	call(t, b, breaker.Success)
	want := []string{"closed>open", "open>half-open", "half-open>open", "open>half-open", "half-open>closed"}
	if len(got) != len(want) {
		t.Fatalf("changes %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("changes %v, want %v", got, want)
		}
	}
}

func TestOpenErrorSeconds(t *testing.T) {
	for d, want := range map[time.Duration]int{0: 1, time.Millisecond: 1, time.Second: 1, 1500 * time.Millisecond: 2, 30 * time.Second: 30} {
		if got := (&breaker.OpenError{RetryAfter: d}).Seconds(); got != want {
			t.Errorf("Seconds(%v) = %d, want %d", d, got, want)
		}
	}
}

func TestDefaults(t *testing.T) {
	c := newClock()
	b := breaker.New(breaker.Options{Now: c.Now})
	for range breaker.DefaultFailures - 1 {
		call(t, b, breaker.Failure)
	}
	if b.State() != breaker.Closed {
		t.Fatal("opened too early")
	}
	call(t, b, breaker.Failure)
	if got := retryAfter(t, b); got != breaker.DefaultCoolDown {
		t.Errorf("RetryAfter %v, want %v", got, breaker.DefaultCoolDown)
	}
}

// TestConcurrent: under -race, many callers at once; exactly one probe gets
// through a half-open breaker.
func TestConcurrent(t *testing.T) {
	c := newClock()
	b := newBreaker(c)
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			if done, err := b.Allow(); err == nil {
				done(breaker.Outcome(i % 2))
			}
			_ = b.State()
		})
	}
	wg.Wait()

	for range 3 {
		if done, err := b.Allow(); err == nil {
			done(breaker.Failure)
		}
	}
	c.Advance(time.Minute)
	var mu sync.Mutex
	var probes []func(breaker.Outcome)
	for range 50 {
		wg.Go(func() {
			if done, err := b.Allow(); err == nil {
				mu.Lock()
				probes = append(probes, done)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(probes) != 1 {
		t.Fatalf("%d probes through a half-open breaker, want 1", len(probes))
	}
	probes[0](breaker.Success)
	if b.State() != breaker.Closed {
		t.Errorf("state %v, want closed", b.State())
	}
}

func BenchmarkAllowClosed(b *testing.B) {
	br := breaker.New(breaker.Options{})
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			done, _ := br.Allow()
			done(breaker.Success)
		}
	})
}
