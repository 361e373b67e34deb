package jobs_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/jobs"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/workflow"
)

// addHelpdesk adds a second configuration, "help", on a CRM of its own
// (another Salesforce org), with a create mapping "dm-1" like sf-main's.
func (e *env) addHelpdesk() *sfsandbox.Server {
	e.t.Helper()
	sf := sfsandbox.New(sfsandbox.Options{ClientID: sfClientID, ClientSecret: sfSecret})
	srv := httptest.NewServer(sf.Handler())
	e.t.Cleanup(srv.Close)
	ctx := context.Background()
	_, _, err := e.adm.PutConfiguration(ctx, tenant, "help", admin.ConfigurationInput{
		Name: "Helpdesk", CRM: crm.Salesforce, BaseURL: srv.URL, APIVersion: "v62.0",
		Auth:        crm.Auth{Type: crm.AuthClientCredentials, TokenURL: srv.URL + "/services/oauth2/token", ClientID: sfClientID},
		Credentials: &crm.Credentials{ClientSecret: sfSecret},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	m := store.DataMapping{TenantID: tenant, ConfigurationID: "help", ID: "dm-1", Entity: "Task", Mode: crm.ModeCreate,
		Fields: []store.FieldMapping{{Source: "cxoneContact.dispositionNotes", Target: "Subject"}}}
	if err := e.store.PutDataMapping(ctx, m); err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.PutWorkflows(ctx, store.Workflow{TenantID: tenant, ConfigurationID: "help", ID: "memo_dm-1",
		Action: store.ActionDataMemorialization, Kind: store.KindMemorialize, Name: "Memorialize dm-1", DataMappingID: "dm-1"}); err != nil {
		e.t.Fatal(err)
	}
	return sf
}

// TestFanOutMemorialization: one request naming two configurations queues a
// job for each, each written exactly once to its own CRM (the card's
// configuration linked to the pinned record, the other without links), each
// with its own status on the card; the same request again adds nothing.
func TestFanOutMemorialization(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	e.putMapping(store.DataMapping{ID: "dm-1", Entity: "Task", Mode: crm.ModeCreate,
		Fields: []store.FieldMapping{{Source: "cxoneContact.dispositionNotes", Target: "Subject"}}})
	help := e.addHelpdesk()

	req := memoReq("dm-1")
	req.ConfigurationID, req.ConfigurationIDs = "", []string{"sf-main", "help"}
	res, err := e.svc.Enqueue(context.Background(), tenant, store.ActionDataMemorialization, req)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		jobs.JobID(tenant, "sf-main", contactID, store.ActionDataMemorialization, "dm-1"),
		jobs.JobID(tenant, "help", contactID, store.ActionDataMemorialization, "dm-1"),
	}
	if len(res.Jobs) != 2 || res.Jobs[0].JobID != want[0] || res.Jobs[1].JobID != want[1] {
		t.Fatalf("Enqueue = %+v, want jobs %v", res, want)
	}
	// The same request again (Studio's retry) finds the same two jobs.
	again, err := e.svc.Enqueue(context.Background(), tenant, store.ActionDataMemorialization, req)
	if err != nil || len(again.Jobs) != 2 || again.Jobs[0].JobID != want[0] || again.Jobs[1].JobID != want[1] {
		t.Fatalf("Enqueue again = %+v, %v", again, err)
	}
	for range 3 {
		e.consume(e.svc, store.ActionDataMemorialization)
	}
	for _, id := range want {
		if j := e.job(id); j.Status != store.JobSucceeded {
			t.Errorf("job %s = %+v", id, j)
		}
	}
	main := e.wantOneTask(want[0])
	if main["WhoId"] != e.jane || main["Subject"] != "Printer fixed" {
		t.Errorf("sf-main Task = %v", main)
	}
	var other []map[string]any
	for _, task := range help.Records("Task") {
		if task["CallObject"] == want[1] {
			other = append(other, task)
		}
	}
	if len(other) != 1 || other[0]["Subject"] != "Printer fixed" || (other[0]["WhoId"] != nil && other[0]["WhoId"] != "") {
		t.Errorf("helpdesk Tasks = %v, want one, unlinked", other)
	}
	if n := len(e.tasks(want[1])); n != 0 {
		t.Errorf("the helpdesk job wrote %d Tasks to sf-main", n)
	}
	card, err := e.store.GetCard(context.Background(), tenant, contactID)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]string{}
	for _, j := range card.Jobs {
		statuses[j.JobID] = j.Status
	}
	if statuses[want[0]] != store.JobSucceeded || statuses[want[1]] != store.JobSucceeded {
		t.Errorf("card jobs = %+v", card.Jobs)
	}
}

// TestFanOutRefusals: a fan-out one configuration cannot take queues
// nothing and names the configuration.
func TestFanOutRefusals(t *testing.T) {
	e := newEnv(t)
	e.pinJane()
	e.putMapping(store.DataMapping{ID: "dm-1", Entity: "Task", Mode: crm.ModeCreate,
		Fields: []store.FieldMapping{{Source: "cxoneContact.dispositionNotes", Target: "Subject"}}})
	e.putMapping(store.DataMapping{ID: "dm-case", Entity: "Case", Mode: crm.ModeUpdate,
		Fields: []store.FieldMapping{{Source: "cxoneContact.dispositionNotes", Target: "Description"}}})
	e.putMapping(store.DataMapping{ID: "dm-2", Entity: "Task", Mode: crm.ModeCreate,
		Fields: []store.FieldMapping{{Source: "cxoneContact.agentName", Target: "Subject"}}})
	e.addHelpdesk()
	fan := func(f func(*workflow.ExecRequest)) workflow.ExecRequest {
		r := memoReq("dm-1")
		r.ConfigurationID, r.ConfigurationIDs = "", []string{"sf-main", "help"}
		f(&r)
		return r
	}
	for _, c := range []struct {
		name   string
		action store.Action
		req    workflow.ExecRequest
		kind   apperr.Kind
		field  string
	}{
		{"timeline", store.ActionTimeline, fan(func(r *workflow.ExecRequest) { r.WorkflowID = "timeline_activity" }), apperr.Invalid, "configurationIds"},
		{"too many", store.ActionDataMemorialization, fan(func(r *workflow.ExecRequest) {
			r.ConfigurationIDs = []string{"a", "b", "c", "d", "e", "f"}
		}), apperr.Invalid, "configurationIds"},
		{"twice", store.ActionDataMemorialization, fan(func(r *workflow.ExecRequest) { r.ConfigurationIDs = []string{"help", "help"} }), apperr.Invalid, "configurationIds[1]"},
		{"bad id", store.ActionDataMemorialization, fan(func(r *workflow.ExecRequest) { r.ConfigurationIDs = []string{"sf-main", "a/b"} }), apperr.Invalid, "configurationIds[1]"},
		{"unknown configuration", store.ActionDataMemorialization, fan(func(r *workflow.ExecRequest) { r.ConfigurationIDs = []string{"sf-main", "nope"} }), apperr.NotFound, "configurationIds[1]"},
		{"records", store.ActionDataMemorialization, fan(func(r *workflow.ExecRequest) { r.Records = []crm.Ref{{Entity: "Contact", ID: e.jane}} }), apperr.Invalid, "records"},
		{"configurationId elsewhere", store.ActionDataMemorialization, fan(func(r *workflow.ExecRequest) { r.ConfigurationID = "other" }), apperr.Invalid, "configurationId"},
		{"no contact", store.ActionDataMemorialization, fan(func(r *workflow.ExecRequest) { r.ContactID = "" }), apperr.Invalid, "contactId"},
		// An update mapping needs a linked record of its entity: the card
		// links Jane (a Contact), no Case.
		{"update without its record", store.ActionDataMemorialization, fan(func(r *workflow.ExecRequest) { r.WorkflowID = "memo_dm-case" }), apperr.Invalid, "configurationIds[0]"},
		// help has no dm-2 mapping: its workflow is unknown there.
		{"mapping missing in one", store.ActionDataMemorialization, fan(func(r *workflow.ExecRequest) { r.WorkflowID = "memo_dm-2" }), apperr.NotFound, "configurationIds[1]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.Enqueue(context.Background(), tenant, c.action, c.req)
			ae, ok := apperr.As(err)
			if !ok || ae.Kind != c.kind || ae.Field != c.field {
				t.Fatalf("err = %v, want %s on %s", err, c.kind, c.field)
			}
		})
	}
	if e.queue.len() != 0 {
		t.Errorf("%d messages queued by refused fan-outs", e.queue.len())
	}
}
