// Package sandbox holds what every CRM sandbox shares: fault injection, call
// counting and latency. Each CRM's wire format lives in its own subpackage.
package sandbox

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault is an answer a sandbox gives instead of the real one.
type Fault struct {
	// Match selects requests by path prefix; empty matches every request.
	Match string
	// Method restricts the fault to one HTTP method; empty matches all.
	Method string
	// Times is how many matching requests get the fault; 0 means every one.
	Times int
	// Status, Header and Body form the answer. Status 0 with AfterWrite set
	// lets the real handler run and then drops the answer.
	Status int
	Header http.Header
	Body   string
	// Delay is waited before answering (or before the real handler runs).
	Delay time.Duration
	// AfterWrite runs the real handler (the CRM writes) and then answers Status
	// with Body: the "CRM wrote, the answer was lost" failure.
	AfterWrite bool
}

// Controls is embedded in every sandbox: faults, counters and base latency.
type Controls struct {
	mu      sync.Mutex
	faults  []*Fault
	calls   map[string]int
	latency time.Duration
}

// Inject adds a fault; faults are tried in the order they were added.
func (c *Controls) Inject(f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ff := f
	c.faults = append(c.faults, &ff)
}

// ClearFaults removes every fault.
func (c *Controls) ClearFaults() {
	c.mu.Lock()
	c.faults = nil
	c.mu.Unlock()
}

// SetLatency makes every request wait d before it is handled.
func (c *Controls) SetLatency(d time.Duration) {
	c.mu.Lock()
	c.latency = d
	c.mu.Unlock()
}

// Calls returns how many requests reached a route key ("POST /services/oauth2/token").
// Keys are METHOD plus the path with ids left in; use CallsPrefix for families.
func (c *Controls) Calls(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[key]
}

// CallsPrefix sums the calls whose key starts with prefix.
func (c *Controls) CallsPrefix(prefix string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, v := range c.calls {
		if strings.HasPrefix(k, prefix) {
			n += v
		}
	}
	return n
}

// TotalCalls is the number of requests served, faults included.
func (c *Controls) TotalCalls() int { return c.CallsPrefix("") }

// ResetCalls zeroes the counters.
func (c *Controls) ResetCalls() {
	c.mu.Lock()
	c.calls = nil
	c.mu.Unlock()
}

// take returns the fault for r, consuming one of its Times.
func (c *Controls) take(r *http.Request) (*Fault, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[r.Method+" "+r.URL.Path]++
	return c.match(r), c.latency
}

// SubFault is the fault for a request a sandbox serves inside another (a
// subrequest of a Salesforce composite request): faults apply to it as to
// a request of its own, but it is not counted, as the CRM counts the outer
// request only, and the base latency is the outer request's.
func (c *Controls) SubFault(r *http.Request) *Fault {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.match(r)
}

// match takes the first fault that matches r; c.mu is held.
func (c *Controls) match(r *http.Request) *Fault {
	for i, f := range c.faults {
		if f.Match != "" && !strings.HasPrefix(r.URL.Path, f.Match) {
			continue
		}
		if f.Method != "" && f.Method != r.Method {
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				c.faults = append(c.faults[:i:i], c.faults[i+1:]...)
			}
		}
		return f
	}
	return nil
}

// Wrap puts latency, counting and faults in front of a sandbox's real handler.
func (c *Controls) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, latency := c.take(r)
		if latency > 0 && !sleep(r, latency) {
			return
		}
		if f == nil {
			next.ServeHTTP(w, r)
			return
		}
		if f.Delay > 0 && !sleep(r, f.Delay) {
			return
		}
		if f.AfterWrite {
			next.ServeHTTP(discard{h: http.Header{}}, r)
		} else if f.Status == 0 {
			next.ServeHTTP(w, r)
			return
		}
		for k, vs := range f.Header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		if w.Header().Get("Content-Type") == "" && f.Body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(f.Body))
	})
}

func sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// discard is a ResponseWriter that throws the real answer away.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}
