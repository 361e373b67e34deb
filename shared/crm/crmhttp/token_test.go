package crmhttp

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestTokenCacheSingleFlight(t *testing.T) {
	var c TokenCache
	var calls atomic.Int32
	release := make(chan struct{})
	fetch := func(context.Context) (Token, error) {
		calls.Add(1)
		<-release
		return Token{Value: "t1", Expires: time.Now().Add(time.Hour)}, nil
	}
	var wg sync.WaitGroup
	got := make([]string, 20)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get(context.Background(), fetch)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("token requests = %d, want 1", calls.Load())
	}
	for _, v := range got {
		if v != "t1" {
			t.Fatalf("got %q", v)
		}
	}
}

func TestTokenCacheInvalidateOnlyStale(t *testing.T) {
	var c TokenCache
	n := 0
	fetch := func(context.Context) (Token, error) {
		n++
		return Token{Value: string(rune('a' + n))}, nil
	}
	first, _ := c.Get(context.Background(), fetch)
	c.Invalidate(first)
	second, _ := c.Get(context.Background(), fetch)
	if first == second {
		t.Fatal("token not refreshed after invalidate")
	}
	c.Invalidate(first) // a late failure with the old token must not drop the new one
	third, _ := c.Get(context.Background(), fetch)
	if third != second || c.Requests() != 2 {
		t.Fatalf("third=%q second=%q requests=%d", third, second, c.Requests())
	}
}

func TestTokenCacheRenewsBeforeExpiry(t *testing.T) {
	now := time.Unix(1000, 0)
	c := TokenCache{now: func() time.Time { return now }}
	n := 0
	fetch := func(context.Context) (Token, error) {
		n++
		return Token{Value: "v", Expires: now.Add(time.Minute)}, nil
	}
	c.Get(context.Background(), fetch)
	now = now.Add(31 * time.Second) // inside the refresh margin
	c.Get(context.Background(), fetch)
	if n != 2 {
		t.Fatalf("fetches = %d, want 2", n)
	}
}
