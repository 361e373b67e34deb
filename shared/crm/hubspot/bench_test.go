package hubspot

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "lastname", Op: crm.OpEq, Value: "Doe"},
		{Any: []crm.Filter{{Field: "firstname", Op: crm.OpIn, Value: []any{"Jane", "Janet"}}, {Field: "email", Op: crm.OpContains, Value: "jane"}}},
	}}
	crmtest.BenchCompile(b, compileFilter, f)
}

// BenchmarkSearchByPhone is the hot path of an inbound call: the ANI
// searched across contacts and companies of a sandbox on loopback.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, hssandbox.Options{})
	crmtest.BenchSearchByPhone(b, c, crm.PhoneSearch{Variants: crmtest.JaneVariants(b), Limit: 10}, -1)
}
