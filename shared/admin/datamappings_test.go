package admin_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/secrets/memsecrets"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
)

const (
	tenant = "tn_acme"
	config = "sf-main"
)

var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// newService returns a Service on an in-memory store holding one Salesforce
// configuration, and the list of Changed calls it makes.
func newService(t *testing.T) (*admin.Service, *memory.Store, *[]string) {
	t.Helper()
	st := memory.New()
	var changed []string
	svc := &admin.Service{Store: st, Secrets: memsecrets.New(), Registry: drivers.Registry(),
		Now:     func() time.Time { return fixedNow },
		Changed: func(tenantID, configurationID string) { changed = append(changed, tenantID+"/"+configurationID) },
	}
	c := &store.Configuration{TenantID: tenant, ID: config, Name: "Salesforce", CRM: "salesforce",
		BaseURL: "https://acme.my.salesforce.com", SecretName: "crmflow/test/" + config}
	if err := st.PutConfiguration(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return svc, st, &changed
}

func taskMapping() admin.DataMappingInput {
	return admin.DataMappingInput{Entity: "Task", Fields: []store.FieldMapping{
		{Source: "cxoneContact.agentName", Target: "Subject", Template: "Call with {{agentName}}"},
		{Source: "callDurationInSeconds", Target: "CallDurationInSeconds"},
		{Source: "scriptVariables.orderId", Target: "Order_Number__c"},
		{Source: "Notes: {{ dispositionNotes }} ({{cxoneContact.direction}})", Target: "Description"},
		{Template: "{{tags}}", Target: "Tags__c"},
	}}
}

func TestPutDataMapping(t *testing.T) {
	ctx := context.Background()
	svc, st, changed := newService(t)
	m, err := svc.PutDataMapping(ctx, tenant, config, "call-summary", taskMapping())
	if err != nil {
		t.Fatal(err)
	}
	if m.Mode != crm.ModeCreate || m.Entity != "Task" || m.ID != "call-summary" || m.ConfigurationID != config || !m.Updated.Equal(fixedNow) {
		t.Errorf("PutDataMapping = %+v; want mode create (the default), entity Task, ids and time set", m)
	}
	// A source written as a template is stored as the template it is.
	if f := m.Fields[3]; f.Source != "" || f.Template != "Notes: {{ dispositionNotes }} ({{cxoneContact.direction}})" {
		t.Errorf("fields[3] = %+v; want the source moved into template", f)
	}
	got, err := svc.GetDataMapping(ctx, tenant, config, "call-summary")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Fields) != 5 || got.Fields[0] != m.Fields[0] {
		t.Errorf("GetDataMapping = %+v; want what was put", got)
	}
	w, err := st.GetWorkflow(ctx, tenant, config, admin.MemorializeWorkflowID("call-summary"))
	if err != nil {
		t.Fatalf("the mapping's workflow: %v", err)
	}
	if w.Action != store.ActionDataMemorialization || w.DataMappingID != "call-summary" || w.Entity != "Task" || !w.BuiltIn {
		t.Errorf("workflow = %+v; want a built-in datamemorialization workflow on the mapping", w)
	}

	// Replacing keeps one workflow and changes the mapping.
	in := taskMapping()
	in.Mode, in.Entity = crm.ModeUpdate, "Case"
	if _, err := svc.PutDataMapping(ctx, tenant, config, "call-summary", in); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.GetDataMapping(ctx, tenant, config, "call-summary"); got.Mode != crm.ModeUpdate || got.Entity != "Case" {
		t.Errorf("after replace: %+v; want mode update on Case", got)
	}
	if w, _ := st.GetWorkflow(ctx, tenant, config, admin.MemorializeWorkflowID("call-summary")); w.Entity != "Case" {
		t.Errorf("after replace the workflow names entity %q, want Case", w.Entity)
	}
	if want := []string{tenant + "/" + config, tenant + "/" + config}; strings.Join(*changed, ",") != strings.Join(want, ",") {
		t.Errorf("Changed calls = %v, want %v", *changed, want)
	}
}

func TestPutDataMappingBadInput(t *testing.T) {
	long := strings.Repeat("a", 117)
	with := func(edit func(*admin.DataMappingInput)) admin.DataMappingInput {
		in := taskMapping()
		in.Fields = append([]store.FieldMapping(nil), in.Fields...)
		edit(&in)
		return in
	}
	tooMany := make([]store.FieldMapping, 101)
	for i := range tooMany {
		tooMany[i] = store.FieldMapping{Source: "agentName", Target: "F" + strings.Repeat("x", i)}
	}
	tests := []struct {
		name      string
		config    string
		id        string
		in        admin.DataMappingInput
		kind      apperr.Kind
		field     string
		inMessage string
	}{
		{"unknown configuration", "nope", "m1", taskMapping(), apperr.NotFound, "configurationId", "configuration not found"},
		{"bad id", config, "a/b", taskMapping(), apperr.Invalid, "dataMappingId", "1-116 characters"},
		{"id too long for its workflow", config, long, taskMapping(), apperr.Invalid, "dataMappingId", ""},
		{"no entity", config, "m1", with(func(in *admin.DataMappingInput) { in.Entity = "" }), apperr.Invalid, "entity", ""},
		{"entity with a quote", config, "m1", with(func(in *admin.DataMappingInput) { in.Entity = "Task'" }), apperr.Invalid, "entity", ""},
		{"unknown mode", config, "m1", with(func(in *admin.DataMappingInput) { in.Mode = "upsert" }), apperr.Invalid, "mode", "create or update"},
		{"no fields", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields = nil }), apperr.Invalid, "fields", "1 to 100"},
		{"too many fields", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields = tooMany }), apperr.Invalid, "fields", "1 to 100"},
		{"unknown source", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields[2].Source = "cxoneContact.agentEmail" }),
			apperr.Invalid, "fields[2].source", `unknown cxoneContact field "cxoneContact.agentEmail"`},
		{"unknown source without prefix", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields[1].Source = "duration" }),
			apperr.Invalid, "fields[1].source", "known: agentId"},
		{"empty script variable", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields[0].Source = "scriptVariables." }),
			apperr.Invalid, "fields[0].source", ""},
		{"neither source nor template", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields[4].Template = "" }),
			apperr.Invalid, "fields[4].source", "is required"},
		{"template naming an unknown field", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields[0].Template = "Call with {{agent}}" }),
			apperr.Invalid, "fields[0].template", "{{agent}}"},
		{"unclosed template", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields[4].Template = "{{tags" }),
			apperr.Invalid, "fields[4].template", "without }}"},
		{"template in source naming an unknown field", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields[3].Source = "{{notes}}" }),
			apperr.Invalid, "fields[3].source", "{{notes}}"},
		{"no target", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields[1].Target = " " }), apperr.Invalid, "fields[1].target", ""},
		{"target with a space", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields[2].Target = "Order Number" }),
			apperr.Invalid, "fields[2].target", ""},
		{"target mapped twice", config, "m1", with(func(in *admin.DataMappingInput) { in.Fields[4].Target = "Subject" }),
			apperr.Invalid, "fields[4].target", "already mapped by fields[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			svc, st, changed := newService(t)
			_, err := svc.PutDataMapping(context.Background(), tenant, tc.config, tc.id, tc.in)
			e, ok := apperr.As(err)
			if !ok {
				t.Fatalf("PutDataMapping error = %v, want an apperr", err)
			}
			if e.Kind != tc.kind || e.Field != tc.field || !strings.Contains(e.Message, tc.inMessage) {
				t.Errorf("error = %s %q %q; want %s on %q containing %q", e.Kind, e.Field, e.Message, tc.kind, tc.field, tc.inMessage)
			}
			if _, err := st.GetDataMapping(context.Background(), tenant, config, tc.id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("a refused mapping was stored (%v)", err)
			}
			if len(*changed) != 0 {
				t.Errorf("Changed called %v for a refused mapping", *changed)
			}
		})
	}
}

func TestDataMappingOfAnotherTenant(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	if _, err := svc.PutDataMapping(ctx, tenant, config, "m1", taskMapping()); err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		name string
		call func() error
	}{
		{"put", func() error { _, err := svc.PutDataMapping(ctx, "tn_other", config, "m1", taskMapping()); return err }},
		{"get", func() error { _, err := svc.GetDataMapping(ctx, "tn_other", config, "m1"); return err }},
		{"delete", func() error { return svc.DeleteDataMapping(ctx, "tn_other", config, "m1") }},
	}
	for _, c := range calls {
		e, ok := apperr.As(c.call())
		if !ok || e.Kind != apperr.NotFound || e.Field != "configurationId" {
			t.Errorf("%s from another tenant = %v; want 404 on configurationId", c.name, e)
		}
	}
}

func TestDeleteDataMapping(t *testing.T) {
	ctx := context.Background()
	svc, st, changed := newService(t)
	if _, err := svc.PutDataMapping(ctx, tenant, config, "m1", taskMapping()); err != nil {
		t.Fatal(err)
	}
	// An admin-defined workflow on the mapping holds it.
	if _, err := svc.PutWorkflow(ctx, tenant, config, "wrap-up", admin.WorkflowInput{
		Action: store.ActionDataMemorialization, Name: "Wrap-up", DataMappingID: "m1"}); err != nil {
		t.Fatal(err)
	}
	e, ok := apperr.As(svc.DeleteDataMapping(ctx, tenant, config, "m1"))
	if !ok || e.Kind != apperr.Conflict || !strings.Contains(e.Message, "wrap-up") {
		t.Fatalf("delete of a mapping in use = %v; want 409 naming workflow wrap-up", e)
	}
	if err := svc.DeleteWorkflow(ctx, tenant, config, "wrap-up"); err != nil {
		t.Fatal(err)
	}
	*changed = nil
	if err := svc.DeleteDataMapping(ctx, tenant, config, "m1"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetDataMapping(ctx, tenant, config, "m1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("mapping still there after delete: %v", err)
	}
	if _, err := st.GetWorkflow(ctx, tenant, config, admin.MemorializeWorkflowID("m1")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the mapping's workflow still there after delete: %v", err)
	}
	if len(*changed) != 1 {
		t.Errorf("Changed calls = %v, want one", *changed)
	}
	for name, err := range map[string]error{
		"get":    func() error { _, err := svc.GetDataMapping(ctx, tenant, config, "m1"); return err }(),
		"delete": svc.DeleteDataMapping(ctx, tenant, config, "m1"),
	} {
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.NotFound || e.Field != "dataMappingId" {
			t.Errorf("%s of a deleted mapping = %v; want 404 on dataMappingId", name, err)
		}
	}
}

func TestPutDataMappingWorkflowIDTaken(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	if _, err := svc.PutDataMapping(ctx, tenant, config, "other", taskMapping()); err != nil {
		t.Fatal(err)
	}
	// An admin workflow squatting on the id the mapping's workflow would get.
	if _, err := svc.PutWorkflow(ctx, tenant, config, admin.MemorializeWorkflowID("m1"), admin.WorkflowInput{
		Action: store.ActionDataMemorialization, Name: "Squatter", DataMappingID: "other"}); err != nil {
		t.Fatal(err)
	}
	e, ok := apperr.As(func() error { _, err := svc.PutDataMapping(ctx, tenant, config, "m1", taskMapping()); return err }())
	if !ok || e.Kind != apperr.Conflict {
		t.Errorf("PutDataMapping over another mapping's workflow id = %v; want 409", e)
	}
}
