package oracle

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
)

func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "statusWithType.statusType.id", Op: crm.OpNe, Value: 2.0},
		{Any: []crm.Filter{{Field: "subject", Op: crm.OpContains, Value: "printer's fire"},
			{All: []crm.Filter{{Field: "severity.id", Op: crm.OpLte, Value: 2.0}, {Field: "channel.id", Op: crm.OpIn, Value: []any{1.0, 3.0}}}}}},
	}}
	crmtest.BenchCompile(b, compileFilter, f)
}

// BenchmarkSearchByPhone measures the hot path of an inbound call against
// the sandbox: one ROQL query over rawNumber and number.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, osvcsandbox.Options{})
	c.pageSize = defaultPageSize
	crmtest.BenchSearchByPhone(b, c, crm.PhoneSearch{Variants: crmtest.USPhoneForms, Limit: 10}, -1)
}
