// Package cache is a small TTL cache with one load in flight per key. Warm
// Lambdas keep configurations, workflows, mappings and connectors here so a
// warm request reads nothing from DynamoDB or Secrets Manager; the bounded TTL
// is how changes made through the admin API reach every warm Lambda.
package cache

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Cache maps keys to values that expire after TTL. The zero TTL disables caching.
type Cache[K comparable, V any] struct {
	TTL time.Duration
	// LoadTimeout bounds one load (DefaultLoadTimeout when 0). A load runs
	// detached from the caller that started it, so that caller going away
	// fails only its own wait, never the callers waiting on the same load.
	LoadTimeout time.Duration
	Now         func() time.Time

	mu      sync.Mutex
	entries map[K]*entry[V]
}

type entry[V any] struct {
	val     V
	expires time.Time
	ready   chan struct{}
	err     error
}

// DefaultLoadTimeout bounds a load when LoadTimeout is 0.
const DefaultLoadTimeout = 10 * time.Second

// New returns a cache with the given TTL.
func New[K comparable, V any](ttl time.Duration) *Cache[K, V] {
	return &Cache[K, V]{TTL: ttl}
}

func (c *Cache[K, V]) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Get returns the cached value for k, or calls load once for all concurrent
// callers. prev is the expired value (if any) so load can reuse parts of it.
// Errors are not cached.
func (c *Cache[K, V]) Get(ctx context.Context, k K, load func(ctx context.Context, prev V, hadPrev bool) (V, error)) (V, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[K]*entry[V]{}
	}
	e, ok := c.entries[k]
	if ok {
		select {
		case <-e.ready:
			if e.err == nil && c.now().Before(e.expires) {
				c.mu.Unlock()
				return e.val, nil
			}
		default:
			c.mu.Unlock()
			return c.wait(ctx, e)
		}
	}
	var prev V
	hadPrev := ok && e.err == nil
	if hadPrev {
		prev = e.val
	}
	ne := &entry[V]{ready: make(chan struct{})}
	c.entries[k] = ne
	c.mu.Unlock()

	timeout := c.LoadTimeout
	if timeout <= 0 {
		timeout = DefaultLoadTimeout
	}
	// The load keeps ctx's values (request ids for its log lines) but not
	// its cancellation or deadline.
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	go func() {
		defer cancel()
		v, err := safeLoad(lctx, load, prev, hadPrev)
		c.mu.Lock()
		ne.val, ne.err, ne.expires = v, err, c.now().Add(c.TTL)
		if err != nil && c.entries[k] == ne {
			delete(c.entries, k)
		}
		c.mu.Unlock()
		close(ne.ready)
	}()
	return c.wait(ctx, ne)
}

// safeLoad turns a panicking load into an error: it runs on its own
// goroutine, where a panic would end the process.
func safeLoad[V any](ctx context.Context, load func(context.Context, V, bool) (V, error), prev V, had bool) (v V, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cache load panicked: %v", p)
		}
	}()
	return load(ctx, prev, had)
}

func (c *Cache[K, V]) wait(ctx context.Context, e *entry[V]) (V, error) {
	select {
	case <-e.ready:
		return e.val, e.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// Delete drops k, so the next Get loads it again.
func (c *Cache[K, V]) Delete(k K) {
	c.mu.Lock()
	delete(c.entries, k)
	c.mu.Unlock()
}
