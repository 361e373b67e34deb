// Package crmhttp holds what every CRM driver needs around net/http: the shared
// client with its timeouts, a token cache with one refresh in flight, and
// bounded body reading.
package crmhttp

import (
	"context"
	"github.com/crmflow/crmflow/shared/metrics"
	"sync"
	"time"
)

// Token is an access token and when it stops being good.
type Token struct {
	Value   string
	Expires time.Time // zero: until the CRM refuses it
}

// TokenCache keeps one token per configuration and makes sure concurrent callers
// share a single token request (single flight).
type TokenCache struct {
	mu       sync.Mutex
	tok      Token
	inflight *flight
	now      func() time.Time
	// Requests counts token requests made, for tests and benchmarks.
	requests int64
}

type flight struct {
	done chan struct{}
	tok  Token
	err  error
}

// refreshMargin renews a token slightly before it expires so a request does
// not start with a token that dies on the way.
const refreshMargin = 30 * time.Second

// Get returns a cached token or fetches one; concurrent callers wait for the same fetch.
func (c *TokenCache) Get(ctx context.Context, fetch func(context.Context) (Token, error)) (string, error) {
	c.mu.Lock()
	now := time.Now
	if c.now != nil {
		now = c.now
	}
	if c.tok.Value != "" && (c.tok.Expires.IsZero() || now().Add(refreshMargin).Before(c.tok.Expires)) {
		v := c.tok.Value
		c.mu.Unlock()
		return v, nil
	}
	f := c.inflight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		c.inflight = f
		c.requests++
		metrics.AddCRM(ctx, metrics.TokenFetches, metrics.Count, 1)
		// The fetch must not die with the first caller's context: others wait on it.
		go func() {
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			tok, err := fetch(fctx)
			c.mu.Lock()
			f.tok, f.err = tok, err
			if err == nil {
				c.tok = tok
			}
			c.inflight = nil
			c.mu.Unlock()
			close(f.done)
		}()
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.tok.Value, f.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Invalidate drops the cached token if it is still the one that was refused, so
// that of many requests failing with the same stale token only one refreshes.
func (c *TokenCache) Invalidate(refused string) {
	c.mu.Lock()
	if c.tok.Value == refused {
		c.tok = Token{}
	}
	c.mu.Unlock()
}

// Requests reports how many token requests this cache has made.
func (c *TokenCache) Requests() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests
}
