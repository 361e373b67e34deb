package jobs_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/workflow"
)

// putMapping stores a data mapping and its datamemorialization workflow, as
// the admin routes do.
func (e *env) putMapping(m store.DataMapping) {
	e.t.Helper()
	m.TenantID, m.ConfigurationID = tenant, "sf-main"
	ctx := context.Background()
	if err := e.store.PutDataMapping(ctx, m); err != nil {
		e.t.Fatal(err)
	}
	err := e.store.PutWorkflows(ctx, store.Workflow{TenantID: tenant, ConfigurationID: "sf-main", ID: "memo_" + m.ID,
		Action: store.ActionDataMemorialization, Kind: store.KindMemorialize, Name: "Memorialize " + m.ID, DataMappingID: m.ID})
	if err != nil {
		e.t.Fatal(err)
	}
}

func memoReq(mappingID string) workflow.ExecRequest {
	r := timelineReq()
	r.WorkflowID = "memo_" + mappingID
	return r
}

func TestEnqueueBadInput(t *testing.T) {
	e := newEnv(t)
	e.putMapping(store.DataMapping{ID: "dm-case", Entity: "Case", Mode: crm.ModeUpdate,
		Fields: []store.FieldMapping{{Source: "cxoneContact.dispositionNotes", Target: "Description"}}})
	with := func(f func(*workflow.ExecRequest)) workflow.ExecRequest {
		r := timelineReq()
		r.Records = []crm.Ref{{Entity: "Contact", ID: "003000000000001"}}
		f(&r)
		return r
	}
	cases := []struct {
		name   string
		action store.Action
		req    workflow.ExecRequest
		kind   apperr.Kind
		field  string
	}{
		{"no configuration", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.ConfigurationID = "" }), apperr.Invalid, "configurationId"},
		{"unknown configuration", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.ConfigurationID = "nope" }), apperr.NotFound, "configurationId"},
		{"unknown workflow", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.WorkflowID = "nope" }), apperr.NotFound, "workflowId"},
		{"bad contact id", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.ContactID = "a/b" }), apperr.Invalid, "contactId"},
		{"wrong action", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.WorkflowID = "search_phone" }), apperr.Unprocessable, "workflowId"},
		{"wrong route", store.ActionDataMemorialization, with(func(r *workflow.ExecRequest) {}), apperr.Unprocessable, "workflowId"},
		{"no records, nothing pinned", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.Records = nil }), apperr.Invalid, "records"},
		{"record without entity", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.Records = []crm.Ref{{ID: "003"}} }), apperr.Invalid, "records[0].entity"},
		{"record with a bad id", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.Records = []crm.Ref{{Entity: "Contact", ID: "x'--"}} }), apperr.Invalid, "records[0].id"},
		{"bad media type", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.CxoneContact = json.RawMessage(`{"mediaType":"fax"}`) }), apperr.Invalid, "cxoneContact.mediaType"},
		{"duration as text", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.CxoneContact = json.RawMessage(`{"callDurationInSeconds":"ten"}`) }), apperr.Invalid, "cxoneContact.callDurationInSeconds"},
		{"bad time", store.ActionTimeline, with(func(r *workflow.ExecRequest) { r.CxoneContact = json.RawMessage(`{"startTime":"yesterday"}`) }), apperr.Invalid, "cxoneContact"},
		{"unknown data mapping", store.ActionDataMemorialization, with(func(r *workflow.ExecRequest) { r.WorkflowID = "memo_dm-case"; r.DataMappingID = "dm-other" }), apperr.Invalid, "dataMappingId"},
		{"update with no record of its entity", store.ActionDataMemorialization, with(func(r *workflow.ExecRequest) { r.WorkflowID = "memo_dm-case" }), apperr.Invalid, "records"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.Enqueue(context.Background(), tenant, c.action, c.req)
			ae, ok := apperr.As(err)
			if !ok || ae.Kind != c.kind || ae.Field != c.field {
				t.Fatalf("err = %v, want %s on %s", err, c.kind, c.field)
			}
		})
	}
	if e.queue.len() != 0 {
		t.Errorf("%d messages queued by refused requests", e.queue.len())
	}
}

// TestUnknownDataMapping: a workflow whose mapping is gone is a 404 naming
// dataMappingId.
func TestUnknownDataMapping(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	e.putMapping(store.DataMapping{ID: "dm-1", Entity: "Task", Fields: []store.FieldMapping{{Source: "agentName", Target: "Subject"}}})
	if err := e.store.DeleteDataMapping(context.Background(), tenant, "sf-main", "dm-1"); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Enqueue(context.Background(), tenant, store.ActionDataMemorialization, memoReq("dm-1"))
	if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.NotFound || ae.Field != "dataMappingId" || !strings.Contains(ae.Message, "dm-1") {
		t.Fatalf("err = %v, want 404 naming dataMappingId dm-1", err)
	}
}

func TestMemorializeTask(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	e.putMapping(store.DataMapping{ID: "dm-1", Entity: "Task", Mode: crm.ModeCreate, Fields: []store.FieldMapping{
		{Source: "cxoneContact.agentName", Target: "Subject", Template: "Call with {{agentName}} " + strings.Repeat("x", 300)},
		{Source: "cxoneContact.dispositionNotes", Target: "Description"},
		{Source: "cxoneContact.callDurationInSeconds", Target: "CallDurationInSeconds"},
		{Source: "cxoneContact.startTime", Target: "ActivityDate"},
		{Source: "cxoneContact.skillName", Target: "CallDisposition"}, // empty: left out
	}})
	ref := e.enqueue(store.ActionDataMemorialization, memoReq("dm-1"))
	if ref.JobID != jobs.JobID(tenant, "sf-main", contactID, store.ActionDataMemorialization, "dm-1") {
		t.Errorf("jobId %s is not keyed on the mapping", ref.JobID)
	}
	if retry := e.consume(e.svc, store.ActionDataMemorialization); len(retry) != 0 {
		t.Fatalf("retry = %v (job %+v)", retry, e.job(ref.JobID))
	}
	task := e.wantOneTask(ref.JobID)
	subj := task["Subject"].(string)
	if len([]rune(subj)) != 255 || !strings.HasPrefix(subj, "Call with Sam Agent x") {
		t.Errorf("Subject %q (%d runes), want the template cut to 255", subj, len([]rune(subj)))
	}
	if task["Description"] != "Printer fixed" || task["CallDurationInSeconds"] != 240.0 || task["ActivityDate"] != "2026-01-15" || task["WhoId"] != e.jane {
		t.Errorf("Task = %v", task)
	}
	if _, ok := task["CallDisposition"]; ok && task["CallDisposition"] != nil {
		t.Errorf("empty source written: CallDisposition = %v", task["CallDisposition"])
	}
}

// TestMemorializeUpdate writes mapped fields into the linked Case.
func TestMemorializeUpdate(t *testing.T) {
	e := newEnv(t)
	var caseID string
	for _, c := range e.sf.Records("Case") {
		caseID = c["Id"].(string)
		break
	}
	e.putMapping(store.DataMapping{ID: "dm-case", Entity: "Case", Mode: crm.ModeUpdate,
		Fields: []store.FieldMapping{{Source: "dispositionNotes", Target: "Description"}}})
	req := memoReq("dm-case")
	req.Records = []crm.Ref{{Entity: "Case", ID: caseID}, {Entity: "Contact", ID: e.jane}}
	ref := e.enqueue(store.ActionDataMemorialization, req)
	if retry := e.consume(e.svc, store.ActionDataMemorialization); len(retry) != 0 {
		t.Fatalf("retry = %v (job %+v)", retry, e.job(ref.JobID))
	}
	j := e.job(ref.JobID)
	if j.Status != store.JobSucceeded || len(j.CRMRecordIDs) != 1 || j.CRMRecordIDs[0].ID != caseID {
		t.Fatalf("job = %+v", j)
	}
	for _, c := range e.sf.Records("Case") {
		if c["Id"] == caseID && c["Description"] != "Printer fixed" {
			t.Errorf("Case = %v", c)
		}
	}
}

// TestMappingBrokenAtRenderTime: a mapping that names an unknown field (it
// slipped past validation, or changed after the job was queued) fails the
// job with the reason, once.
func TestMappingBrokenAtRenderTime(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	e.putMapping(store.DataMapping{ID: "dm-1", Entity: "Task", Fields: []store.FieldMapping{{Source: "agentName", Target: "Subject"}}})
	ref := e.enqueue(store.ActionDataMemorialization, memoReq("dm-1"))
	e.putMapping(store.DataMapping{ID: "dm-1", Entity: "Task", Fields: []store.FieldMapping{{Source: "cxoneContact.shoeSize", Target: "Subject"}}})
	if retry := e.consume(e.svc, store.ActionDataMemorialization); len(retry) != 0 {
		t.Fatalf("retry = %v", retry)
	}
	j := e.job(ref.JobID)
	if j.Status != store.JobFailed || !strings.Contains(j.LastError, `source "cxoneContact.shoeSize" is not a cxoneContact field`) {
		t.Errorf("job = %+v", j)
	}
	if n := e.sf.CallsPrefix("POST /services/data"); n != 0 {
		t.Errorf("%d CRM writes for a broken mapping", n)
	}
}
