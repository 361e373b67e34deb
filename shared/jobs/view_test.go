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

// TestStuckJobSettles: a job whose consumer died on the message's last
// receive becomes deadlettered on its own record and its card summary the
// first time anyone looks (the job, the list, the card), not only in the
// view; a job still under its lease is left alone.
func TestStuckJobSettles(t *testing.T) {
	ctx := t.Context()
	st := memory.New()
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	now := start
	s := New(Options{Store: st, MaxReceiveCount: 2, Now: func() time.Time { return now }})
	put := func(id, contact string) {
		t.Helper()
		if _, err := st.PutJobIfAbsent(ctx, store.Job{TenantID: "t1", ID: id, ContactID: contact, Action: store.ActionTimeline,
			Status: store.JobQueued, Created: start, Updated: start}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // two receives, each consumer dying under its lease
			if _, err := st.ClaimJob(ctx, "t1", id, "consumer", now, time.Minute); err != nil {
				t.Fatal(err)
			}
			now = now.Add(2 * time.Minute)
		}
	}
	put("j-get", "c1")
	put("j-list", "c2")
	put("j-card", "c3")

	v, err := s.Job(ctx, "t1", "j-get")
	if err != nil || v.Status != store.JobDeadlettered || v.LastError != StuckReason {
		t.Fatalf("Job = %+v, %v", v, err)
	}
	page, err := s.List(ctx, "t1", store.JobRunning, "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range page.Jobs {
		if v.Status != store.JobDeadlettered {
			t.Errorf("listed %s as %s", v.JobID, v.Status)
		}
	}
	card, err := st.GetCard(ctx, "t1", "c3")
	if err != nil {
		t.Fatal(err)
	}
	s.SettleCard(ctx, "t1", &card)
	if len(card.Jobs) != 1 || card.Jobs[0].Status != store.JobDeadlettered || card.Jobs[0].Error != StuckReason {
		t.Errorf("settled card jobs = %+v", card.Jobs)
	}
	for _, id := range []string{"j-get", "j-list", "j-card"} {
		j, err := st.GetJob(ctx, "t1", id)
		if err != nil || j.Status != store.JobDeadlettered || j.LeaseOwner != "" {
			t.Errorf("stored %s = %+v, %v: want deadlettered on the record", id, j, err)
		}
	}
	for _, c := range []string{"c1", "c2", "c3"} {
		card, err := st.GetCard(ctx, "t1", c)
		if err != nil || len(card.Jobs) != 1 || card.Jobs[0].Status != store.JobDeadlettered {
			t.Errorf("stored card %s jobs = %+v, %v", c, card.Jobs, err)
		}
	}
	page, err = s.List(ctx, "t1", store.JobDeadlettered, "", "")
	if err != nil || len(page.Jobs) != 3 {
		t.Errorf("deadlettered list = %+v, %v", page, err)
	}

	// Under a live lease: running, on the record and the card.
	if _, err := st.PutJobIfAbsent(ctx, store.Job{TenantID: "t1", ID: "j-live", ContactID: "c4", Action: store.ActionTimeline,
		Status: store.JobQueued, Created: now, Updated: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ClaimJob(ctx, "t1", "j-live", "consumer", now, time.Minute); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Job(ctx, "t1", "j-live"); err != nil || v.Status != store.JobRunning {
		t.Errorf("live job = %+v, %v", v, err)
	}
}
