package dynamics

import (
	"context"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

// BenchmarkSearchByPhone measures the hot path of a live call: one $filter
// request per table with a warm token, against the sandbox on loopback.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, dvsandbox.Options{})
	variants, err := phone.Variants(crmtest.JaneANI)
	if err != nil {
		b.Fatal(err)
	}
	s := crm.PhoneSearch{Variants: variants, Limit: 10}
	if _, err := c.SearchByPhone(context.Background(), s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		recs, err := c.SearchByPhone(context.Background(), s)
		if err != nil || len(recs) != 1 {
			b.Fatalf("%v %d", err, len(recs))
		}
	}
}

// BenchmarkCompileFilter measures building a custom search's $filter.
func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "lastname", Op: crm.OpEq, Value: "O'Brian"},
		{Any: []crm.Filter{{Field: "emailaddress1", Op: crm.OpStartsWith, Value: "jane_"}, {Field: "statuscode", Op: crm.OpIn, Value: []any{1.0, 2.0}}}},
		{Field: "createdon", Op: crm.OpGte, Value: "2026-01-01T00:00:00Z"},
	}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := compileFilter(f); err != nil {
			b.Fatal(err)
		}
	}
}
