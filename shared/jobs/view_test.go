package jobs

import (
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/store"
)

func TestStuck(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	lease := func(d time.Duration) int64 { return now.Add(d).UnixMilli() }
	for _, tc := range []struct {
		name string
		j    store.Job
		want bool
	}{
		{"running under a live lease", store.Job{Status: store.JobRunning, Attempts: 5, LeaseUntilMs: lease(time.Minute)}, false},
		{"lease lapsed, receives left", store.Job{Status: store.JobRunning, Attempts: 2, LeaseUntilMs: lease(-time.Minute)}, false},
		{"lease lapsed on the last receive", store.Job{Status: store.JobRunning, Attempts: 5, LeaseUntilMs: lease(-time.Second)}, true},
		{"lease lapsed long ago", store.Job{Status: store.JobRunning, Attempts: 2, LeaseUntilMs: lease(-StuckAfter - time.Second)}, true},
		{"queued", store.Job{Status: store.JobQueued, Attempts: 5}, false},
		{"succeeded", store.Job{Status: store.JobSucceeded, Attempts: 5}, false},
	} {
		if got := stuck(tc.j, now, 5); got != tc.want {
			t.Errorf("%s: stuck = %v", tc.name, got)
		}
	}
}
