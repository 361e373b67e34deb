package sandbox

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestIndexLag(t *testing.T) {
	var clock atomic.Int64
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	tick := func(d time.Duration) { clock.Add(int64(d)) }
	x := NewIndex(10*time.Second, now)

	// New: not found until the lag has passed.
	v1 := map[string]any{"phone": "+14155550100"}
	x.Put("a", v1)
	if _, ok := x.Searchable("a", v1); ok {
		t.Error("a new record is searchable at once")
	}
	tick(10 * time.Second)
	if rec, ok := x.Searchable("a", v1); !ok || rec["phone"] != "+14155550100" {
		t.Errorf("after the lag: %v %v", rec, ok)
	}

	// Changed: the old values until the lag has passed.
	v2 := map[string]any{"phone": "+442079460958"}
	x.Put("a", v2)
	tick(5 * time.Second)
	if rec, ok := x.Searchable("a", v2); !ok || rec["phone"] != "+14155550100" {
		t.Errorf("changed within the lag: %v %v, want the old version", rec, ok)
	}
	v1["phone"] = "changed after Put"
	tick(5 * time.Second)
	if rec, ok := x.Searchable("a", v2); !ok || rec["phone"] != "+442079460958" {
		t.Errorf("changed after the lag: %v %v", rec, ok)
	}

	// Deleted: still found until the lag has passed.
	x.Put("b", map[string]any{"n": 1})
	tick(10 * time.Second)
	x.Delete("b")
	if d := x.Deleted(); d["b"]["n"] != 1 {
		t.Errorf("deleted within the lag: %v", d)
	}
	tick(10 * time.Second)
	if d := x.Deleted(); len(d) != 0 {
		t.Errorf("deleted after the lag: %v", d)
	}

	// Lag 0: at once, no history.
	x.SetLag(0)
	x.Put("c", map[string]any{"n": 2})
	if rec, ok := x.Searchable("c", map[string]any{"n": 2}); !ok || rec["n"] != 2 {
		t.Errorf("lag 0: %v %v", rec, ok)
	}
	// A lag switched on later hides a change behind the version before it.
	x.SetLag(10 * time.Second)
	x.Put("c", map[string]any{"n": 3})
	if rec, ok := x.Searchable("c", map[string]any{"n": 3}); !ok || rec["n"] != 2 {
		t.Errorf("changed after the lag came on: %v %v, want the version written at lag 0", rec, ok)
	}
	if _, ok := x.Searchable("gone", nil); ok {
		t.Error("a record with no current version and no history is searchable")
	}
}
