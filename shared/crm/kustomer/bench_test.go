package kustomer

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "name", Op: crm.OpContains, Value: "Doe"},
		{Any: []crm.Filter{{Field: "custom.tierStr", Op: crm.OpIn, Value: []any{"gold", "platinum"}}, {Field: "email", Op: crm.OpEq, Value: "jane"}}},
	}}
	for b.Loop() {
		if _, err := compileFilter(entCustomer, f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchByPhone is the hot path of an inbound call: the ANI
// searched across customers of a sandbox on loopback.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, kussandbox.Options{})
	v, _ := phone.Variants(crmtest.JaneANI)
	for b.Loop() {
		if _, err := c.SearchByPhone(ctx(b), crm.PhoneSearch{Variants: v, Limit: 10}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMessageBody is the timeline write's mapping.
func BenchmarkMessageBody(b *testing.B) {
	a := crm.Activity{Key: "job-1", Description: "Asked about the printer", Direction: "inbound", MediaType: "voice",
		AgentName: "Agent Smith", Disposition: "Resolved", ContactID: "5001234", Duration: 125e9}
	for b.Loop() {
		_ = messageBody(a, testNow)
	}
}
