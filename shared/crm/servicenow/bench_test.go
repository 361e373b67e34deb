package servicenow

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "active", Op: crm.OpEq, Value: true},
		{Any: []crm.Filter{{Field: "short_description", Op: crm.OpContains, Value: "printer^fire"},
			{All: []crm.Filter{{Field: "priority", Op: crm.OpLte, Value: 2.0}, {Field: "state", Op: crm.OpIn, Value: []any{"1", "2"}}}}}},
	}}
	crmtest.BenchCompile(b, compileFilter, f)
}

// BenchmarkSearchByPhone measures the hot path of an inbound call against
// the sandbox: both person tables, every phone form.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, snsandbox.Options{})
	crmtest.BenchSearchByPhone(b, c, crm.PhoneSearch{Variants: crmtest.USPhoneForms, Limit: 10}, -1)
}
