package jobs

import (
	"fmt"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
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

func TestListRefusesBadInput(t *testing.T) {
	st := memory.New()
	s := New(Options{Store: st})
	for i := range 3 {
		_, err := st.PutJobIfAbsent(t.Context(), store.Job{TenantID: "t1", ID: fmt.Sprintf("j%d", i), Status: store.JobFailed,
			Updated: time.Date(2026, 12, 1, 10, i, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ status, limit, cursor, field string }{
		{"", "", "", "status"},
		{"broken", "", "", "status"},
		{store.JobFailed, "0", "", "limit"},
		{store.JobFailed, "201", "", "limit"},
		{store.JobFailed, "ten", "", "limit"},
		{store.JobFailed, "", "not-a-cursor", "cursor"},
	} {
		_, err := s.List(t.Context(), "t1", tc.status, tc.limit, tc.cursor)
		if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Invalid || ae.Field != tc.field {
			t.Errorf("List(%q, %q, %q) = %v, want a refusal naming %s", tc.status, tc.limit, tc.cursor, err, tc.field)
		}
	}
	page, err := s.List(t.Context(), "t1", store.JobFailed, "2", "")
	if err != nil || len(page.Jobs) != 2 || page.Jobs[0].JobID != "j2" || page.NextCursor == "" {
		t.Fatalf("first page: %+v %v", page, err)
	}
	page, err = s.List(t.Context(), "t1", store.JobFailed, "2", page.NextCursor)
	if err != nil || len(page.Jobs) != 1 || page.Jobs[0].JobID != "j0" || page.NextCursor != "" {
		t.Fatalf("last page: %+v %v", page, err)
	}
}
