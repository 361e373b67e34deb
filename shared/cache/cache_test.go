package cache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCacheLoadsOnceAndExpires(t *testing.T) {
	now := time.Unix(0, 0)
	c := New[string, int](time.Minute)
	c.Now = func() time.Time { return now }
	var loads atomic.Int32
	load := func(ctx context.Context, prev int, had bool) (int, error) {
		n := loads.Add(1)
		if n == 2 && (!had || prev != 1) {
			t.Errorf("reload did not get the previous value: %d %v", prev, had)
		}
		return int(n), nil
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, _ := c.Get(context.Background(), "k", load); v != 1 {
				t.Errorf("v = %d", v)
			}
		}()
	}
	wg.Wait()
	if loads.Load() != 1 {
		t.Fatalf("loads = %d", loads.Load())
	}
	now = now.Add(2 * time.Minute)
	if v, _ := c.Get(context.Background(), "k", load); v != 2 {
		t.Fatalf("after expiry v = %d", v)
	}
}

func TestCacheDoesNotKeepErrors(t *testing.T) {
	c := New[string, int](time.Minute)
	fail := true
	load := func(context.Context, int, bool) (int, error) {
		if fail {
			return 0, errors.New("boom")
		}
		return 7, nil
	}
	if _, err := c.Get(context.Background(), "k", load); err == nil {
		t.Fatal("want error")
	}
	fail = false
	if v, err := c.Get(context.Background(), "k", load); err != nil || v != 7 {
		t.Fatalf("v=%d err=%v", v, err)
	}
}

func TestZeroTTLAlwaysLoads(t *testing.T) {
	c := New[string, int](0)
	n := 0
	load := func(context.Context, int, bool) (int, error) { n++; return n, nil }
	c.Get(context.Background(), "k", load)
	c.Get(context.Background(), "k", load)
	if n != 2 {
		t.Fatalf("loads = %d", n)
	}
}
