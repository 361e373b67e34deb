package dynamics

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

// BenchmarkSearchByPhone measures the hot path of a live call: one $filter
// request per table with a warm token, against the sandbox on loopback.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, dvsandbox.Options{})
	crmtest.BenchSearchByPhone(b, c, crm.PhoneSearch{Variants: crmtest.JaneVariants(b), Limit: 10}, 1)
}

// BenchmarkCompileFilter measures building a custom search's $filter.
func BenchmarkCompileFilter(b *testing.B) {
	f := crm.Filter{All: []crm.Filter{
		{Field: "lastname", Op: crm.OpEq, Value: "O'Brian"},
		{Any: []crm.Filter{{Field: "emailaddress1", Op: crm.OpStartsWith, Value: "jane_"}, {Field: "statuscode", Op: crm.OpIn, Value: []any{1.0, 2.0}}}},
		{Field: "createdon", Op: crm.OpGte, Value: "2026-01-01T00:00:00Z"},
	}}
	crmtest.BenchCompile(b, compileFilter, f)
}
