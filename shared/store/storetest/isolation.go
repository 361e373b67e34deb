package storetest

import (
	"context"
	"testing"

	"github.com/crmflow/crmflow/shared/store"
)

// testTenantIsolation gives tenant A one of everything and checks that tenant
// B, naming A's ids, finds nothing and changes nothing.
func testTenantIsolation(t *testing.T, h *harness) {
	ctx := context.Background()
	must(t, h.PutTenant(ctx, store.Tenant{ID: tenantA, Name: "A", Created: start}))
	must(t, h.PutKey(ctx, apiKey(tenantA, "key-1", "hash-1")))
	c := configuration(tenantA, "conf-1")
	must(t, h.PutConfiguration(ctx, &c))
	must(t, h.PutWorkflows(ctx, workflow(tenantA, "conf-1", "wf-1")))
	must(t, h.PutDataMapping(ctx, dataMapping(tenantA, "conf-1", "dm-1")))
	must(t, h.PutDynamicDataMapping(ctx, dynamicDataMapping(tenantA, "conf-1", "ddm-1")))
	rec := cardRecord("Contact", "003A")
	must(t, h.WriteCard(ctx, tenantA, "contact-1", "conf-1", []store.CardWrite{{Record: rec, Section: store.SectionRelated}}))
	j := job(tenantA, "job-1", "contact-1")
	_, err := h.PutJobIfAbsent(ctx, j)
	must(t, err)

	probes := []struct {
		name string
		call func() error
	}{
		{"GetTenant", func() error { _, err := h.GetTenant(ctx, tenantB); return err }},
		{"DeleteKey", func() error { return h.DeleteKey(ctx, tenantB, "key-1") }},
		{"GetConfiguration", func() error { _, err := h.GetConfiguration(ctx, tenantB, "conf-1"); return err }},
		{"DeleteConfiguration", func() error { return h.DeleteConfiguration(ctx, tenantB, "conf-1") }},
		{"GetWorkflow", func() error { _, err := h.GetWorkflow(ctx, tenantB, "conf-1", "wf-1"); return err }},
		{"DeleteWorkflow", func() error { return h.DeleteWorkflow(ctx, tenantB, "conf-1", "wf-1") }},
		{"GetDataMapping", func() error { _, err := h.GetDataMapping(ctx, tenantB, "conf-1", "dm-1"); return err }},
		{"DeleteDataMapping", func() error { return h.DeleteDataMapping(ctx, tenantB, "conf-1", "dm-1") }},
		{"GetDynamicDataMapping", func() error { _, err := h.GetDynamicDataMapping(ctx, tenantB, "conf-1", "ddm-1"); return err }},
		{"DeleteDynamicDataMapping", func() error { return h.DeleteDynamicDataMapping(ctx, tenantB, "conf-1", "ddm-1") }},
		{"GetCard", func() error { _, err := h.GetCard(ctx, tenantB, "contact-1"); return err }},
		{"SetPinned", func() error { return h.SetPinned(ctx, tenantB, "contact-1", rec.Ref(), true) }},
		{"GetJob", func() error { _, err := h.GetJob(ctx, tenantB, "job-1"); return err }},
		{"UpdateJob", func() error {
			other := j
			other.TenantID, other.Status = tenantB, store.JobFailed
			return h.UpdateJob(ctx, other)
		}},
	}
	for _, p := range probes {
		wantErr(t, p.name+" as another tenant", p.call(), store.ErrNotFound)
	}
	list, err := h.ListConfigurations(ctx, tenantB)
	must(t, err)
	ws, err := h.ListWorkflows(ctx, tenantB, "conf-1")
	must(t, err)
	if len(list) != 0 || len(ws) != 0 {
		t.Errorf("tenant B lists %d configurations and %d workflows of tenant A", len(list), len(ws))
	}

	// Tenant A still has all of it, unchanged.
	for name, call := range map[string]func() error{
		"GetTenant":             func() error { _, err := h.GetTenant(ctx, tenantA); return err },
		"KeyByHash":             func() error { _, err := h.KeyByHash(ctx, "hash-1"); return err },
		"GetConfiguration":      func() error { _, err := h.GetConfiguration(ctx, tenantA, "conf-1"); return err },
		"GetWorkflow":           func() error { _, err := h.GetWorkflow(ctx, tenantA, "conf-1", "wf-1"); return err },
		"GetDataMapping":        func() error { _, err := h.GetDataMapping(ctx, tenantA, "conf-1", "dm-1"); return err },
		"GetDynamicDataMapping": func() error { _, err := h.GetDynamicDataMapping(ctx, tenantA, "conf-1", "ddm-1"); return err },
	} {
		if err := call(); err != nil {
			t.Errorf("%s of tenant A after tenant B's probes: %v", name, err)
		}
	}
	card, err := h.GetCard(ctx, tenantA, "contact-1")
	must(t, err)
	if got := refs(card.Related); len(got) != 1 || len(card.Current) != 0 {
		t.Errorf("tenant A's card after tenant B's probes: current %v, related %v; want related [%v]", refs(card.Current), got, rec.Ref())
	}
	got, err := h.GetJob(ctx, tenantA, "job-1")
	must(t, err)
	if got.Status != store.JobQueued {
		t.Errorf("tenant A's job status = %q after tenant B's UpdateJob, want %q", got.Status, store.JobQueued)
	}
}
