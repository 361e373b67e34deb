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

// TestLoadOutlivesItsFirstCaller: the caller that started a load giving up
// fails only its own wait; the others get the value, and so does the next Get.
func TestLoadOutlivesItsFirstCaller(t *testing.T) {
	c := New[string, int](time.Minute)
	release := make(chan struct{})
	var loads atomic.Int32
	load := func(ctx context.Context, _ int, _ bool) (int, error) {
		loads.Add(1)
		select {
		case <-release:
			return 42, nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	first, cancel := context.WithCancel(context.Background())
	firstDone := make(chan error, 1)
	go func() { _, err := c.Get(first, "k", load); firstDone <- err }()
	for loads.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	second := make(chan int, 1)
	go func() { v, _ := c.Get(context.Background(), "k", load); second <- v }()
	cancel()
	if err := <-firstDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller: %v, want its own cancellation", err)
	}
	close(release)
	if v := <-second; v != 42 {
		t.Fatalf("second caller got %d, want 42 from the load the first one started", v)
	}
	if v, err := c.Get(context.Background(), "k", load); v != 42 || err != nil || loads.Load() != 1 {
		t.Fatalf("after: %d, %v, %d loads", v, err, loads.Load())
	}
}

func TestLoadTimeoutAndPanic(t *testing.T) {
	c := New[string, int](time.Minute)
	c.LoadTimeout = 20 * time.Millisecond
	_, err := c.Get(context.Background(), "slow", func(ctx context.Context, _ int, _ bool) (int, error) {
		<-ctx.Done()
		return 0, ctx.Err()
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow load: %v", err)
	}
	_, err = c.Get(context.Background(), "boom", func(context.Context, int, bool) (int, error) { panic("boom") })
	if err == nil {
		t.Fatal("a panicking load answered no error")
	}
}
