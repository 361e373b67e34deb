package kustomer

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "name", Op: crm.OpContains, Value: "Doe"},
		{Any: []crm.Filter{{Field: "custom.tierStr", Op: crm.OpIn, Value: []any{"gold", "platinum"}}, {Field: "email", Op: crm.OpEq, Value: "jane"}}},
	}}
	crmtest.BenchCompile(b, func(f crm.Filter) (criterion, error) { return compileFilter(entCustomer, f) }, f)
}

// BenchmarkSearchByPhone is the hot path of an inbound call: the ANI
// searched across customers of a sandbox on loopback.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, kussandbox.Options{})
	crmtest.BenchSearchByPhone(b, c, crm.PhoneSearch{Variants: crmtest.JaneVariants(b), Limit: 10}, -1)
}

// BenchmarkMessageBody is the timeline write's mapping.
func BenchmarkMessageBody(b *testing.B) {
	a := crm.Activity{Key: "job-1", Description: "Asked about the printer", Direction: "inbound", MediaType: "voice",
		AgentName: "Agent Smith", Disposition: "Resolved", ContactID: "5001234", Duration: 125e9}
	for b.Loop() {
		_ = messageBody(a, testNow)
	}
}
