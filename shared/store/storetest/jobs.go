package storetest

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

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
