package servicenow

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "active", Op: crm.OpEq, Value: true},
		{Any: []crm.Filter{{Field: "short_description", Op: crm.OpContains, Value: "printer^fire"},
			{All: []crm.Filter{{Field: "priority", Op: crm.OpLte, Value: 2.0}, {Field: "state", Op: crm.OpIn, Value: []any{"1", "2"}}}}}},
	}}
	for b.Loop() {
		if _, err := compileFilter(f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchByPhone measures the hot path of an inbound call against
// the sandbox: both person tables, every phone form.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, snsandbox.Options{})
	s := crm.PhoneSearch{Variants: []string{"+14155550100", "14155550100", "4155550100", "(415) 555-0100", "415-555-0100"}, Limit: 10}
	for b.Loop() {
		if _, err := c.SearchByPhone(ctx(b), s); err != nil {
			b.Fatal(err)
		}
	}
}
