// Package breaker is a circuit breaker: after Failures transient failures in
// a row it opens and refuses every call for CoolDown, so callers fail fast
// instead of waiting on a dependency that is down; then it lets one probe
// through (half-open), and that probe's outcome closes it or opens it again.
//
// It knows nothing of what it guards: the caller says, per call, whether the
// outcome was a success, a failure that counts, or neither (Ignore).
package breaker

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// State is where a breaker stands.
type State int

const (
	Closed   State = iota // calls go through; failures are counted
	Open                  // calls are refused until the cool-down ends
	HalfOpen              // the cool-down ended: one probe goes through
)

func (s State) String() string {
	switch s {
	case Closed:
		return "closed"
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Outcome is what a call that went through tells the breaker.
type Outcome int

const (
	// Success: the dependency answered (even with a refusal of the request).
	Success Outcome = iota
	// Failure: the dependency failed in a way that counts towards opening.
	Failure
	// Ignore: the call says nothing about the dependency (e.g. the caller
	// gave up); a probe that ends so frees the half-open slot for another.
	Ignore
)

// Defaults of Options.
const (
	DefaultFailures = 5
	DefaultCoolDown = 30 * time.Second
)

// Options configure a Breaker. Zero values take the defaults.
type Options struct {
	// Failures is how many failures in a row open the breaker.
	Failures int
	// CoolDown is how long an open breaker refuses calls.
	CoolDown time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// OnChange, when set, is called (outside the lock) after each state change.
	OnChange func(from, to State)
}

// ErrOpen is matched by every *OpenError: errors.Is(err, breaker.ErrOpen).
var ErrOpen = errors.New("circuit breaker open")

// OpenError is the refusal of an open (or probing) breaker.
type OpenError struct {
	// RetryAfter is how long until the breaker may let a call through again.
	RetryAfter time.Duration
}

func (e *OpenError) Error() string {
	return fmt.Sprintf("circuit breaker open: retry in %ds", e.Seconds())
}

// Is makes errors.Is(err, ErrOpen) true.
func (e *OpenError) Is(target error) bool { return target == ErrOpen }

// Seconds is RetryAfter in whole seconds, rounded up, at least 1: the value
// of a Retry-After header.
func (e *OpenError) Seconds() int {
	return int(max(1, math.Ceil(e.RetryAfter.Seconds())))
}

// Breaker is one circuit breaker. It is safe for concurrent use.
type Breaker struct {
	failures int
	coolDown time.Duration
	now      func() time.Time
	onChange func(from, to State)

	mu       sync.Mutex
	state    State
	inARow   int       // failures in a row while closed
	openTill time.Time // while open
	probing  bool      // while half-open: the probe is out
	gen      int       // counts openings, so a late call of an earlier closed spell is not counted
}

// New returns a closed Breaker.
func New(o Options) *Breaker {
	if o.Failures <= 0 {
		o.Failures = DefaultFailures
	}
	if o.CoolDown <= 0 {
		o.CoolDown = DefaultCoolDown
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Breaker{failures: o.Failures, coolDown: o.CoolDown, now: o.Now, onChange: o.OnChange}
}

// State reports the current state; an open breaker whose cool-down is over
// reports HalfOpen.
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == Open && !b.now().Before(b.openTill) {
		return HalfOpen
	}
	return b.state
}

// Allow asks to make one call. When the call may go ahead it returns done,
// which must be called exactly once with the call's outcome; otherwise it
// returns an *OpenError saying how long to wait.
func (b *Breaker) Allow() (done func(Outcome), err error) {
	b.mu.Lock()
	now := b.now()
	from := b.state
	switch b.state {
	case Open:
		if now.Before(b.openTill) {
			wait := b.openTill.Sub(now)
			b.mu.Unlock()
			return nil, &OpenError{RetryAfter: wait}
		}
		b.state, b.probing = HalfOpen, false
		fallthrough
	case HalfOpen:
		if b.probing {
			b.mu.Unlock()
			// The probe decides: if it fails the breaker opens for a
			// cool-down, so that is the honest wait.
			return nil, &OpenError{RetryAfter: b.coolDown}
		}
		b.probing = true
		b.mu.Unlock()
		b.changed(from, HalfOpen)
		return b.once(b.probeDone), nil
	}
	gen := b.gen
	b.mu.Unlock()
	return b.once(func(out Outcome) { b.closedDone(gen, out) }), nil
}

// once keeps a done func from counting twice.
func (b *Breaker) once(f func(Outcome)) func(Outcome) {
	var o sync.Once
	return func(out Outcome) { o.Do(func() { f(out) }) }
}

func (b *Breaker) closedDone(gen int, out Outcome) {
	b.mu.Lock()
	if b.state != Closed || b.gen != gen {
		// A call from before the breaker opened: the probe decides now.
		b.mu.Unlock()
		return
	}
	switch out {
	case Success:
		b.inARow = 0
	case Failure:
		b.inARow++
		if b.inARow >= b.failures {
			b.open()
			b.mu.Unlock()
			b.changed(Closed, Open)
			return
		}
	}
	b.mu.Unlock()
}

func (b *Breaker) probeDone(out Outcome) {
	b.mu.Lock()
	if b.state != HalfOpen {
		b.mu.Unlock()
		return
	}
	b.probing = false
	switch out {
	case Success:
		b.state, b.inARow = Closed, 0
		b.mu.Unlock()
		b.changed(HalfOpen, Closed)
	case Failure:
		b.open()
		b.mu.Unlock()
		b.changed(HalfOpen, Open)
	default:
		b.mu.Unlock()
	}
}

// open must be called with mu held.
func (b *Breaker) open() {
	b.state, b.inARow, b.probing = Open, 0, false
	b.gen++
	b.openTill = b.now().Add(b.coolDown)
}

func (b *Breaker) changed(from, to State) {
	if b.onChange != nil && from != to {
		b.onChange(from, to)
	}
}
