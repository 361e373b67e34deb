package zendesk

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "status", Op: crm.OpIn, Value: []any{"open", "pending"}},
		{Any: []crm.Filter{{Field: "subject", Op: crm.OpContains, Value: `printer "fire"`}, {Field: "priority", Op: crm.OpGte, Value: "high"}}},
	}}
	crmtest.BenchCompile(b, func(f crm.Filter) ([]string, error) { return compileFilter("ticket", f) }, f)
}

// BenchmarkSearchByPhone measures the hot path of an inbound call against the sandbox.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, zdsandbox.Options{})
	crmtest.BenchSearchByPhone(b, c, crm.PhoneSearch{Variants: crmtest.USPhoneForms, Limit: 10}, -1)
}
