package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

func job(tenantID, id, contactID string) store.Job {
	return store.Job{
		TenantID: tenantID, ID: id, Action: store.ActionTimeline, Status: store.JobQueued,
		ConfigurationID: "conf-1", ContactID: contactID, WorkflowID: "wf-timeline",
		Payload: json.RawMessage(`{"notes":"called back"}`), Created: start, Updated: start,
	}
}

func testJobPutIfAbsent(t *testing.T, h *harness) {
	ctx := context.Background()
	first := job(tenantA, "job-1", "contact-1")
	got, err := h.PutJobIfAbsent(ctx, first)
	must(t, err)
	if !reflect.DeepEqual(got, first) {
		t.Errorf("PutJobIfAbsent = %+v, want %+v", got, first)
	}

	again := first
	again.Status, again.Attempts = store.JobRunning, 3
	got, err = h.PutJobIfAbsent(ctx, again)
	wantErr(t, "PutJobIfAbsent of a taken id", err, store.ErrExists)
	if !reflect.DeepEqual(got, first) {
		t.Errorf("PutJobIfAbsent of a taken id returned %+v, want the stored job %+v", got, first)
	}

	got, err = h.GetJob(ctx, tenantA, "job-1")
	must(t, err)
	if !reflect.DeepEqual(got, first) {
		t.Errorf("GetJob = %+v, want %+v", got, first)
	}
	_, err = h.GetJob(ctx, tenantA, "job-unknown")
	wantErr(t, "GetJob of an unknown id", err, store.ErrNotFound)

	// The same id under another tenant is another job.
	_, err = h.PutJobIfAbsent(ctx, job(tenantB, "job-1", "contact-1"))
	must(t, err)
}

func testJobUpdateMirrorsCard(t *testing.T, h *harness) {
	ctx := context.Background()
	wantErr(t, "UpdateJob of an unknown job", h.UpdateJob(ctx, job(tenantA, "job-unknown", "contact-1")), store.ErrNotFound)

	j := job(tenantA, "job-1", "contact-1")
	_, err := h.PutJobIfAbsent(ctx, j)
	must(t, err)
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{{Record: cardRecord("Contact", "003A"), Section: store.SectionCurrent, Pinned: true}}))

	steps := []struct {
		status  string
		lastErr string
		ids     []crm.Ref
	}{
		{store.JobRunning, "", nil},
		{store.JobFailed, "crm: 503 Service Unavailable", nil},
		{store.JobSucceeded, "", []crm.Ref{{Entity: "Task", ID: "00T1"}}},
	}
	for _, s := range steps {
		h.advance(1e9)
		j.Status, j.LastError, j.CRMRecordIDs = s.status, s.lastErr, s.ids
		j.Attempts++
		j.Updated = h.clock.Now()
		must(t, h.UpdateJob(ctx, j))

		got, err := h.GetJob(ctx, tenantA, "job-1")
		must(t, err)
		if !reflect.DeepEqual(got, j) {
			t.Errorf("GetJob after UpdateJob(%s) = %+v, want %+v", s.status, got, j)
		}
		card, err := h.GetCard(ctx, tenantA, "contact-1")
		must(t, err)
		want := []store.JobSummary{{JobID: "job-1", Action: store.ActionTimeline, Status: s.status, CRMRecordIDs: s.ids, Error: s.lastErr}}
		if !reflect.DeepEqual(card.Jobs, want) {
			t.Errorf("card jobs after UpdateJob(%s) = %+v, want %+v", s.status, card.Jobs, want)
		}
		if len(card.Current) != 1 {
			t.Errorf("card current after UpdateJob = %v, want the record written before", refs(card.Current))
		}
	}
}

// testJobClaim walks the idempotency ledger: claim, lease, lapse, finish.
func testJobClaim(t *testing.T, h *harness) {
	ctx := context.Background()
	const lease = 90 * time.Second
	_, err := h.ClaimJob(ctx, tenantA, "job-unknown", "a", start, lease)
	wantErr(t, "ClaimJob of an unknown job", err, store.ErrNotFound)
	_, err = h.PutJobIfAbsent(ctx, job(tenantA, "job-1", "contact-1"))
	must(t, err)
	_, err = h.ClaimJob(ctx, tenantB, "job-1", "a", start, lease)
	wantErr(t, "ClaimJob of another tenant's job", err, store.ErrNotFound)

	got, err := h.ClaimJob(ctx, tenantA, "job-1", "a", start, lease)
	must(t, err)
	if got.Status != store.JobRunning || got.Attempts != 1 || got.LeaseOwner != "a" || got.LeaseUntilMs != start.Add(lease).UnixMilli() || !got.Updated.Equal(start) {
		t.Errorf("ClaimJob = %+v, want running, attempt 1, leased to a until start+lease", got)
	}
	held, err := h.ClaimJob(ctx, tenantA, "job-1", "b", start.Add(lease-time.Millisecond), lease)
	wantErr(t, "ClaimJob under a live lease", err, store.ErrLeased)
	if held.LeaseOwner != "a" {
		t.Errorf("ClaimJob under a live lease returned %+v, want the stored job", held)
	}

	// a's lease lapses (a crashed); b takes the job over.
	later := start.Add(lease + time.Millisecond)
	got, err = h.ClaimJob(ctx, tenantA, "job-1", "b", later, lease)
	must(t, err)
	if got.Attempts != 2 || got.LeaseOwner != "b" {
		t.Errorf("ClaimJob after the lease lapsed = %+v, want attempt 2 leased to b", got)
	}
	done := got
	done.Status, done.CRMRecordIDs, done.Updated = store.JobSucceeded, []crm.Ref{{Entity: "Task", ID: "00T1"}}, later
	wantErr(t, "FinishJob by the lapsed owner", h.FinishJob(ctx, done, "a"), store.ErrLeaseLost)
	must(t, h.FinishJob(ctx, done, "b"))
	wantErr(t, "FinishJob twice", h.FinishJob(ctx, done, "b"), store.ErrLeaseLost)

	stored, err := h.GetJob(ctx, tenantA, "job-1")
	must(t, err)
	done.LeaseOwner, done.LeaseUntilMs = "", 0
	if !reflect.DeepEqual(stored, done) {
		t.Errorf("GetJob after FinishJob = %+v, want %+v", stored, done)
	}
	card, err := h.GetCard(ctx, tenantA, "contact-1")
	must(t, err)
	want := []store.JobSummary{{JobID: "job-1", Action: store.ActionTimeline, Status: store.JobSucceeded, CRMRecordIDs: done.CRMRecordIDs}}
	if !reflect.DeepEqual(card.Jobs, want) {
		t.Errorf("card jobs after FinishJob = %+v, want %+v", card.Jobs, want)
	}
	_, err = h.ClaimJob(ctx, tenantA, "job-1", "c", later.Add(time.Hour), lease)
	wantErr(t, "ClaimJob of a succeeded job", err, store.ErrJobDone)
}

// testJobClaimRequeue: an attempt that ends queued (retry) or dead-lettered
// (redrive) leaves the job claimable at once; a failed one does not.
func testJobClaimRequeue(t *testing.T, h *harness) {
	ctx := context.Background()
	_, err := h.PutJobIfAbsent(ctx, job(tenantA, "job-1", "contact-1"))
	must(t, err)
	for i, status := range []string{store.JobQueued, store.JobDeadlettered, store.JobFailed} {
		j, err := h.ClaimJob(ctx, tenantA, "job-1", "a", start, time.Minute)
		must(t, err)
		if j.Attempts != i+1 {
			t.Errorf("attempt %d: Attempts = %d", i+1, j.Attempts)
		}
		j.Status, j.LastError = status, "crm: 503 Service Unavailable"
		must(t, h.FinishJob(ctx, j, "a"))
	}
	_, err = h.ClaimJob(ctx, tenantA, "job-1", "a", start, time.Minute)
	wantErr(t, "ClaimJob of a failed job", err, store.ErrJobDone)
}

// testJobClaimRace: of consumers claiming one job at once, exactly one wins.
func testJobClaimRace(t *testing.T, h *harness) {
	ctx := context.Background()
	_, err := h.PutJobIfAbsent(ctx, job(tenantA, "job-1", "contact-1"))
	must(t, err)
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, err := h.ClaimJob(ctx, tenantA, "job-1", fmt.Sprint("owner-", i), start, time.Minute)
			errs <- err
		}()
	}
	won := 0
	for range n {
		switch err := <-errs; {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrLeased):
			t.Errorf("racing claim: %v, want nil or ErrLeased", err)
		}
	}
	if won != 1 {
		t.Errorf("%d claims won, want exactly 1", won)
	}
}

// testJobRequeue: a redrive puts back a dead-lettered job and one whose
// consumer died under a lease that has lapsed, never one under a live lease
// or a finished one, and the card follows.
func testJobRequeue(t *testing.T, h *harness) {
	ctx := context.Background()
	const lease = time.Minute
	_, err := h.RequeueJob(ctx, tenantA, "job-unknown", start)
	wantErr(t, "RequeueJob of an unknown job", err, store.ErrNotFound)
	_, err = h.PutJobIfAbsent(ctx, job(tenantA, "job-1", "contact-1"))
	must(t, err)
	_, err = h.RequeueJob(ctx, tenantB, "job-1", start)
	wantErr(t, "RequeueJob of another tenant's job", err, store.ErrNotFound)

	// Running under a live lease: left alone.
	j, err := h.ClaimJob(ctx, tenantA, "job-1", "a", start, lease)
	must(t, err)
	held, err := h.RequeueJob(ctx, tenantA, "job-1", start.Add(lease/2))
	wantErr(t, "RequeueJob under a live lease", err, store.ErrLeased)
	if held.LeaseOwner != "a" {
		t.Errorf("RequeueJob under a live lease returned %+v", held)
	}
	// The consumer died: its lease lapses, and the redrive puts the job back.
	later := start.Add(lease + time.Second)
	got, err := h.RequeueJob(ctx, tenantA, "job-1", later)
	must(t, err)
	if got.Status != store.JobQueued || got.LeaseOwner != "" || got.Attempts != j.Attempts {
		t.Errorf("RequeueJob of a lapsed lease = %+v", got)
	}
	wantErr(t, "FinishJob by the dead owner", h.FinishJob(ctx, j, "a"), store.ErrLeaseLost)
	card, err := h.GetCard(ctx, tenantA, "contact-1")
	must(t, err)
	if len(card.Jobs) != 1 || card.Jobs[0].Status != store.JobQueued {
		t.Errorf("card jobs after RequeueJob = %+v", card.Jobs)
	}

	// Dead-lettered: put back. Succeeded: refused.
	j, err = h.ClaimJob(ctx, tenantA, "job-1", "b", later, lease)
	must(t, err)
	j.Status = store.JobDeadlettered
	must(t, h.FinishJob(ctx, j, "b"))
	got, err = h.RequeueJob(ctx, tenantA, "job-1", later)
	must(t, err)
	if got.Status != store.JobQueued {
		t.Errorf("RequeueJob of a dead-lettered job = %+v", got)
	}
	j, err = h.ClaimJob(ctx, tenantA, "job-1", "c", later, lease)
	must(t, err)
	j.Status = store.JobSucceeded
	must(t, h.FinishJob(ctx, j, "c"))
	_, err = h.RequeueJob(ctx, tenantA, "job-1", later.Add(time.Hour))
	wantErr(t, "RequeueJob of a succeeded job", err, store.ErrJobDone)
	_, err = h.RetryJob(ctx, tenantA, "job-1", later.Add(time.Hour))
	wantErr(t, "RetryJob of a succeeded job", err, store.ErrJobDone)
}

// testJobRetry: an operator's retry takes a failed job back (a redrive does
// not), like a dead-lettered one, and the card follows; never a succeeded one
// or one under a live lease.
func testJobRetry(t *testing.T, h *harness) {
	ctx := context.Background()
	const lease = time.Minute
	_, err := h.PutJobIfAbsent(ctx, job(tenantA, "job-2", "contact-2"))
	must(t, err)
	j, err := h.ClaimJob(ctx, tenantA, "job-2", "a", start, lease)
	must(t, err)
	_, err = h.RetryJob(ctx, tenantA, "job-2", start.Add(lease/2))
	wantErr(t, "RetryJob under a live lease", err, store.ErrLeased)
	j.Status, j.LastError = store.JobFailed, "400 REQUIRED_FIELD_MISSING"
	must(t, h.FinishJob(ctx, j, "a"))
	_, err = h.RequeueJob(ctx, tenantA, "job-2", start)
	wantErr(t, "RequeueJob of a failed job", err, store.ErrJobDone)
	_, err = h.RetryJob(ctx, tenantB, "job-2", start)
	wantErr(t, "RetryJob of another tenant's job", err, store.ErrNotFound)
	got, err := h.RetryJob(ctx, tenantA, "job-2", start)
	must(t, err)
	if got.Status != store.JobQueued || got.Attempts != 1 {
		t.Errorf("RetryJob of a failed job = %+v", got)
	}
	card, err := h.GetCard(ctx, tenantA, "contact-2")
	must(t, err)
	if len(card.Jobs) != 1 || card.Jobs[0].Status != store.JobQueued {
		t.Errorf("card jobs after RetryJob = %+v", card.Jobs)
	}
	if _, err := h.ClaimJob(ctx, tenantA, "job-2", "b", start, lease); err != nil {
		t.Errorf("a retried job cannot be claimed: %v", err)
	}
}

// testJobDeadletter: a job whose consumer died under a lease that has
// lapsed becomes deadlettered on its record and its card; never one under a
// live lease, one claimed since it was read, a finished one, or another
// tenant's.
func testJobDeadletter(t *testing.T, h *harness) {
	ctx := context.Background()
	const lease = time.Minute
	const why = "retries exhausted"
	_, err := h.DeadletterJob(ctx, job(tenantA, "job-unknown", "contact-3"), start, why)
	wantErr(t, "DeadletterJob of an unknown job", err, store.ErrNotFound)
	_, err = h.PutJobIfAbsent(ctx, job(tenantA, "job-3", "contact-3"))
	must(t, err)
	read, err := h.ClaimJob(ctx, tenantA, "job-3", "a", start, lease)
	must(t, err)
	_, err = h.DeadletterJob(ctx, read, start.Add(lease/2), why)
	wantErr(t, "DeadletterJob under a live lease", err, store.ErrLeased)
	other := read
	other.TenantID = tenantB
	_, err = h.DeadletterJob(ctx, other, start.Add(2*lease), why)
	wantErr(t, "DeadletterJob of another tenant's job", err, store.ErrNotFound)

	// A claim after the read wins over the stale view.
	later := start.Add(lease + time.Second)
	again, err := h.ClaimJob(ctx, tenantA, "job-3", "b", later, lease)
	must(t, err)
	cur, err := h.DeadletterJob(ctx, read, later.Add(2*lease), why)
	wantErr(t, "DeadletterJob of a job claimed since it was read", err, store.ErrLeased)
	if cur.LeaseOwner != "b" {
		t.Errorf("DeadletterJob of a job claimed since = %+v, want the stored job", cur)
	}

	// The lease lapsed and nothing claimed it since: the record and the
	// card say so.
	dead := later.Add(2 * lease)
	got, err := h.DeadletterJob(ctx, again, dead, why)
	must(t, err)
	if got.Status != store.JobDeadlettered || got.LastError != why || got.LeaseOwner != "" || got.Attempts != again.Attempts {
		t.Errorf("DeadletterJob = %+v", got)
	}
	stored, err := h.GetJob(ctx, tenantA, "job-3")
	must(t, err)
	if stored.Status != store.JobDeadlettered {
		t.Errorf("stored job after DeadletterJob = %+v", stored)
	}
	wantErr(t, "FinishJob by the dead owner", h.FinishJob(ctx, again, "b"), store.ErrLeaseLost)
	card, err := h.GetCard(ctx, tenantA, "contact-3")
	must(t, err)
	if len(card.Jobs) != 1 || card.Jobs[0].Status != store.JobDeadlettered || card.Jobs[0].Error != why {
		t.Errorf("card jobs after DeadletterJob = %+v", card.Jobs)
	}
	// A redrive takes it back; a finished job is left alone.
	_, err = h.RequeueJob(ctx, tenantA, "job-3", dead)
	must(t, err)
	j, err := h.ClaimJob(ctx, tenantA, "job-3", "c", dead, lease)
	must(t, err)
	j.Status = store.JobSucceeded
	must(t, h.FinishJob(ctx, j, "c"))
	_, err = h.DeadletterJob(ctx, j, dead.Add(time.Hour), why)
	wantErr(t, "DeadletterJob of a succeeded job", err, store.ErrJobDone)
}

func testJobList(t *testing.T, h *harness) {
	ctx := context.Background()
	var want []string
	for i := range 5 {
		j := job(tenantA, fmt.Sprintf("job-%d", i), "contact-1")
		j.Status, j.Updated = store.JobFailed, start.Add(time.Duration(i)*time.Second)
		_, err := h.PutJobIfAbsent(ctx, j)
		must(t, err)
		want = append([]string{j.ID}, want...) // newest first
	}
	_, err := h.PutJobIfAbsent(ctx, job(tenantA, "job-queued", "contact-1"))
	must(t, err)
	other := job(tenantB, "job-b", "contact-1")
	other.Status = store.JobFailed
	_, err = h.PutJobIfAbsent(ctx, other)
	must(t, err)

	var got []string
	cursor, pages := "", 0
	for {
		page, err := h.ListJobs(ctx, tenantA, store.JobFailed, 2, cursor)
		must(t, err)
		pages++
		for _, j := range page.Jobs {
			if j.TenantID != tenantA || j.Status != store.JobFailed {
				t.Fatalf("listed %+v", j)
			}
			got = append(got, j.ID)
		}
		if page.Next == "" {
			break
		}
		if pages > 5 {
			t.Fatal("the list never ends")
		}
		cursor = page.Next
	}
	if !reflect.DeepEqual(got, want) || pages != 3 {
		t.Errorf("failed jobs by pages of 2: %v in %d pages, want %v in 3", got, pages, want)
	}
	all, err := h.ListJobs(ctx, tenantA, store.JobFailed, 5, "")
	must(t, err)
	if len(all.Jobs) != 5 || all.Next != "" {
		t.Errorf("a page exactly as long as the list: %d jobs, next %q", len(all.Jobs), all.Next)
	}

	// A claim moves the job to the running list.
	_, err = h.ClaimJob(ctx, tenantA, "job-queued", "owner-1", start, time.Minute)
	must(t, err)
	running, err := h.ListJobs(ctx, tenantA, store.JobRunning, 10, "")
	must(t, err)
	queued, err := h.ListJobs(ctx, tenantA, store.JobQueued, 10, "")
	must(t, err)
	if len(running.Jobs) != 1 || running.Jobs[0].ID != "job-queued" || len(queued.Jobs) != 0 {
		t.Errorf("after a claim: running %+v, queued %+v", running.Jobs, queued.Jobs)
	}

	// Another tenant sees only its own.
	b, err := h.ListJobs(ctx, tenantB, store.JobFailed, 10, "")
	must(t, err)
	if len(b.Jobs) != 1 || b.Jobs[0].ID != "job-b" {
		t.Errorf("tenant B lists %+v", b.Jobs)
	}
	for _, bad := range []string{"%%%", "bm90IGEgY3Vyc29y", store.JobCursor(store.Job{ID: "a#b", Updated: start})} {
		_, err := h.ListJobs(ctx, tenantA, store.JobFailed, 2, bad)
		wantErr(t, "ListJobs with cursor "+bad, err, store.ErrBadCursor)
	}
}
