package zendesk

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "status", Op: crm.OpIn, Value: []any{"open", "pending"}},
		{Any: []crm.Filter{{Field: "subject", Op: crm.OpContains, Value: `printer "fire"`}, {Field: "priority", Op: crm.OpGte, Value: "high"}}},
	}}
	for b.Loop() {
		if _, err := compileFilter("ticket", f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchByPhone measures the hot path of an inbound call against the sandbox.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, zdsandbox.Options{})
	s := crm.PhoneSearch{Variants: []string{"+14155550100", "14155550100", "4155550100", "(415) 555-0100", "415-555-0100"}, Limit: 10}
	for b.Loop() {
		if _, err := c.SearchByPhone(ctx(b), s); err != nil {
			b.Fatal(err)
		}
	}
}
