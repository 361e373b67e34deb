package hubspot

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "lastname", Op: crm.OpEq, Value: "Doe"},
		{Any: []crm.Filter{{Field: "firstname", Op: crm.OpIn, Value: []any{"Jane", "Janet"}}, {Field: "email", Op: crm.OpContains, Value: "jane"}}},
	}}
	for b.Loop() {
		if _, err := compileFilter(f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchByPhone is the hot path of an inbound call: the ANI
// searched across contacts and companies of a sandbox on loopback.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, hssandbox.Options{})
	v, _ := phone.Variants(crmtest.JaneANI)
	for b.Loop() {
		if _, err := c.SearchByPhone(ctx(b), crm.PhoneSearch{Variants: v, Limit: 10}); err != nil {
			b.Fatal(err)
		}
	}
}
