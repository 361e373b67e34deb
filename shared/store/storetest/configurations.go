package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/store"
)

func configuration(tenantID, id string) store.Configuration {
	return store.Configuration{
		TenantID: tenantID, ID: id, Name: "Sales " + id, CRM: crm.Salesforce,
		BaseURL: "https://example.my.salesforce.com", APIVersion: "v62.0",
		Auth:            crm.Auth{Type: crm.AuthClientCredentials, TokenURL: "https://login.example.com/token", ClientID: "client"},
		CredentialNames: []string{"clientSecret"},
		SecretName:      "crmflow/" + tenantID + "/" + id,
		TimeoutMs:       4000, Created: start, Updated: start,
	}
}

func testConfigurationVersions(t *testing.T, h *harness) {
	ctx := context.Background()
	c := configuration(tenantA, "conf-1")
	c.Version = 41 // the caller's version is ignored
	for want := int64(1); want <= 3; want++ {
		c.Name = fmt.Sprintf("name %d", want)
		must(t, h.PutConfiguration(ctx, &c))
		if c.Version != want {
			t.Fatalf("PutConfiguration #%d set Version = %d, want %d", want, c.Version, want)
		}
		got, err := h.GetConfiguration(ctx, tenantA, "conf-1")
		must(t, err)
		if !reflect.DeepEqual(got, c) {
			t.Errorf("GetConfiguration = %+v, want %+v", got, c)
		}
	}
	// Deleting and recreating starts over.
	must(t, h.DeleteConfiguration(ctx, tenantA, "conf-1"))
	must(t, h.PutConfiguration(ctx, &c))
	if c.Version != 1 {
		t.Errorf("Version after delete and put = %d, want 1", c.Version)
	}
}

func testListConfigurations(t *testing.T, h *harness) {
	ctx := context.Background()
	got, err := h.ListConfigurations(ctx, tenantA)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("ListConfigurations of a new tenant = %d items, want none", len(got))
	}
	var want []store.Configuration
	for _, id := range []string{"conf-b", "conf-a", "conf-c"} {
		c := configuration(tenantA, id)
		must(t, h.PutConfiguration(ctx, &c))
		want = append(want, c)
	}
	other := configuration(tenantB, "conf-z")
	must(t, h.PutConfiguration(ctx, &other))

	got, err = h.ListConfigurations(ctx, tenantA)
	must(t, err)
	byID := func(a, b store.Configuration) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(got, byID)
	slices.SortFunc(want, byID)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListConfigurations = %+v,\nwant %+v", got, want)
	}
}

func workflow(tenantID, confID, id string) store.Workflow {
	return store.Workflow{
		TenantID: tenantID, ConfigurationID: confID, ID: id, Action: store.ActionSearch,
		Kind: store.KindPhone, Name: "Search for ANI " + id, Entity: "Contact", BuiltIn: true,
	}
}

func dataMapping(tenantID, confID, id string) store.DataMapping {
	return store.DataMapping{
		TenantID: tenantID, ConfigurationID: confID, ID: id, Entity: "Task", Mode: crm.ModeCreate,
		Fields: []store.FieldMapping{
			{Source: "contact.ani", Target: "Phone"},
			{Source: "contact.notes", Target: "Description", Template: "Call notes: {{.}}"},
		},
		Updated: start,
	}
}

func dynamicDataMapping(tenantID, confID, id string) store.DynamicDataMapping {
	return store.DynamicDataMapping{
		TenantID: tenantID, ConfigurationID: confID, ID: id, Updated: start,
		Entities: []store.EntityMapping{{
			Entity: "Contact", SearchFields: []string{"Phone", "MobilePhone"},
			DisplayFields: []store.DisplayField{{Name: "Name", Label: "Name"}, {Name: "Email"}},
		}},
	}
}

func testDeleteConfigurationCascade(t *testing.T, h *harness) {
	ctx := context.Background()
	// conf-1 and conf-10 share a prefix: deleting one must not touch the other.
	const gone, kept = "conf-1", "conf-10"
	const many = 30 // more than one DynamoDB batch
	for _, id := range []string{gone, kept} {
		c := configuration(tenantA, id)
		must(t, h.PutConfiguration(ctx, &c))
		var ws []store.Workflow
		for i := range many {
			ws = append(ws, workflow(tenantA, id, fmt.Sprintf("wf-%02d", i)))
		}
		must(t, h.PutWorkflows(ctx, ws...))
		must(t, h.PutDataMapping(ctx, dataMapping(tenantA, id, "dm-1")))
		must(t, h.PutDynamicDataMapping(ctx, dynamicDataMapping(tenantA, id, "ddm-1")))
	}

	must(t, h.DeleteConfiguration(ctx, tenantA, gone))

	_, err := h.GetConfiguration(ctx, tenantA, gone)
	wantErr(t, "GetConfiguration after delete", err, store.ErrNotFound)
	_, err = h.GetWorkflow(ctx, tenantA, gone, "wf-07")
	wantErr(t, "GetWorkflow after delete", err, store.ErrNotFound)
	ws, err := h.ListWorkflows(ctx, tenantA, gone)
	must(t, err)
	if len(ws) != 0 {
		t.Errorf("ListWorkflows after delete = %d workflows, want none", len(ws))
	}
	_, err = h.GetDataMapping(ctx, tenantA, gone, "dm-1")
	wantErr(t, "GetDataMapping after delete", err, store.ErrNotFound)
	_, err = h.GetDynamicDataMapping(ctx, tenantA, gone, "ddm-1")
	wantErr(t, "GetDynamicDataMapping after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteConfiguration twice", h.DeleteConfiguration(ctx, tenantA, gone), store.ErrNotFound)

	_, err = h.GetConfiguration(ctx, tenantA, kept)
	must(t, err)
	ws, err = h.ListWorkflows(ctx, tenantA, kept)
	must(t, err)
	if len(ws) != many {
		t.Errorf("ListWorkflows of the other configuration = %d, want %d", len(ws), many)
	}
	_, err = h.GetDataMapping(ctx, tenantA, kept, "dm-1")
	must(t, err)
	_, err = h.GetDynamicDataMapping(ctx, tenantA, kept, "ddm-1")
	must(t, err)
}

func testWorkflows(t *testing.T, h *harness) {
	ctx := context.Background()
	must(t, h.PutWorkflows(ctx)) // nothing to write is fine
	var want []store.Workflow
	for i := range 27 {
		want = append(want, workflow(tenantA, "conf-1", fmt.Sprintf("wf-%02d", i)))
	}
	must(t, h.PutWorkflows(ctx, want...))

	got, err := h.ListWorkflows(ctx, tenantA, "conf-1")
	must(t, err)
	byID := func(a, b store.Workflow) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(got, byID)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListWorkflows = %+v,\nwant %+v", got, want)
	}

	changed := want[3]
	changed.Name, changed.BuiltIn, changed.DataMappingID = "renamed", false, "dm-1"
	must(t, h.PutWorkflows(ctx, changed))
	w, err := h.GetWorkflow(ctx, tenantA, "conf-1", changed.ID)
	must(t, err)
	if !reflect.DeepEqual(w, changed) {
		t.Errorf("GetWorkflow after replace = %+v, want %+v", w, changed)
	}

	must(t, h.DeleteWorkflow(ctx, tenantA, "conf-1", changed.ID))
	_, err = h.GetWorkflow(ctx, tenantA, "conf-1", changed.ID)
	wantErr(t, "GetWorkflow after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteWorkflow twice", h.DeleteWorkflow(ctx, tenantA, "conf-1", changed.ID), store.ErrNotFound)
	_, err = h.GetWorkflow(ctx, tenantA, "conf-2", want[0].ID)
	wantErr(t, "GetWorkflow under another configuration", err, store.ErrNotFound)
}

func testDataMappings(t *testing.T, h *harness) {
	ctx := context.Background()
	m := dataMapping(tenantA, "conf-1", "dm-1")
	must(t, h.PutDataMapping(ctx, m))
	m.Fields = m.Fields[:1]
	m.Mode = crm.ModeUpdate
	must(t, h.PutDataMapping(ctx, m)) // replaces
	got, err := h.GetDataMapping(ctx, tenantA, "conf-1", "dm-1")
	must(t, err)
	if !reflect.DeepEqual(got, m) {
		t.Errorf("GetDataMapping = %+v, want %+v", got, m)
	}
	_, err = h.GetDataMapping(ctx, tenantA, "conf-2", "dm-1")
	wantErr(t, "GetDataMapping under another configuration", err, store.ErrNotFound)
	// Listing: by id, only this tenant's and this configuration's.
	must(t, h.PutDataMapping(ctx, dataMapping(tenantA, "conf-1", "dm-0")))
	must(t, h.PutDataMapping(ctx, dataMapping(tenantA, "conf-10", "dm-2")))
	must(t, h.PutDataMapping(ctx, dataMapping(tenantB, "conf-1", "dm-3")))
	list, err := h.ListDataMappings(ctx, tenantA, "conf-1")
	must(t, err)
	if len(list) != 2 || list[0].ID != "dm-0" || list[1].ID != "dm-1" || !reflect.DeepEqual(list[1], m) {
		t.Errorf("ListDataMappings = %+v, want dm-0 then dm-1", list)
	}
	must(t, h.DeleteDataMapping(ctx, tenantA, "conf-1", "dm-0"))
	must(t, h.DeleteDataMapping(ctx, tenantA, "conf-1", "dm-1"))
	_, err = h.GetDataMapping(ctx, tenantA, "conf-1", "dm-1")
	wantErr(t, "GetDataMapping after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteDataMapping twice", h.DeleteDataMapping(ctx, tenantA, "conf-1", "dm-1"), store.ErrNotFound)
}

func testDynamicDataMappings(t *testing.T, h *harness) {
	ctx := context.Background()
	m := dynamicDataMapping(tenantA, "conf-1", "ddm-1")
	must(t, h.PutDynamicDataMapping(ctx, m))
	m.Entities = append(m.Entities, store.EntityMapping{Entity: "Case", SearchFields: []string{"CaseNumber"}})
	must(t, h.PutDynamicDataMapping(ctx, m)) // replaces
	got, err := h.GetDynamicDataMapping(ctx, tenantA, "conf-1", "ddm-1")
	must(t, err)
	if !reflect.DeepEqual(got, m) {
		t.Errorf("GetDynamicDataMapping = %+v, want %+v", got, m)
	}
	must(t, h.PutDynamicDataMapping(ctx, dynamicDataMapping(tenantA, "conf-1", "ddm-0")))
	must(t, h.PutDynamicDataMapping(ctx, dynamicDataMapping(tenantA, "conf-10", "ddm-2")))
	must(t, h.PutDynamicDataMapping(ctx, dynamicDataMapping(tenantB, "conf-1", "ddm-3")))
	list, err := h.ListDynamicDataMappings(ctx, tenantA, "conf-1")
	must(t, err)
	if len(list) != 2 || list[0].ID != "ddm-0" || list[1].ID != "ddm-1" || !reflect.DeepEqual(list[1], m) {
		t.Errorf("ListDynamicDataMappings = %+v, want ddm-0 then ddm-1", list)
	}
	if list, err := h.ListDynamicDataMappings(ctx, tenantA, "conf-9"); err != nil || len(list) != 0 {
		t.Errorf("ListDynamicDataMappings of a configuration without any = %+v, %v", list, err)
	}
	must(t, h.DeleteDynamicDataMapping(ctx, tenantA, "conf-1", "ddm-0"))
	must(t, h.DeleteDynamicDataMapping(ctx, tenantA, "conf-1", "ddm-1"))
	_, err = h.GetDynamicDataMapping(ctx, tenantA, "conf-1", "ddm-1")
	wantErr(t, "GetDynamicDataMapping after delete", err, store.ErrNotFound)
	wantErr(t, "DeleteDynamicDataMapping twice", h.DeleteDynamicDataMapping(ctx, tenantA, "conf-1", "ddm-1"), store.ErrNotFound)
}
