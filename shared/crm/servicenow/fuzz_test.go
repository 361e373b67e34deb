package servicenow

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

// FuzzCompileFilter: whatever the value, the compiled query is one the
// instance's parser reads, with the value as exactly one condition's value
// (no term injected, nothing lost), or the filter is refused for one of
// the documented reasons.
func FuzzCompileFilter(f *testing.F) {
	crmtest.SeedShapes(f, "jane", "x^ORactive=true", "a^^b", "^NQ", "", "=5", "a,b", "x^", "line\nbreak",
		"ORDERBYsys_id", "x^EQ", "%_*", "\xff", "ünï^cödé", "^", "^^")
	f.Fuzz(func(t *testing.T, value string, opIndex, shape uint8) {
		op, v := crmtest.FuzzValue(opIndex, value)
		filter, conditions := crmtest.Nest(crm.Filter{Field: "short_description", Op: op, Value: v}, shape,
			crm.Filter{Field: "active", Op: crm.OpEq, Value: true}, crm.Filter{Field: "number", Op: crm.OpEq, Value: "INC0010001"})
		if filter.Validate() != nil {
			return
		}
		q, err := compileFilter(filter)
		if err != nil {
			if !refusable(op, value) {
				t.Fatalf("%s %q refused without a documented reason: %v", op, value, err)
			}
			return
		}
		parsed, err := snsandbox.ParseEncodedQuery(q)
		if err != nil {
			t.Fatalf("compiled query %q does not parse: %v", q, err)
		}
		var seen []snsandbox.Condition
		for _, g := range parsed.Groups {
			for _, cl := range g {
				seen = append(seen, cl...)
			}
		}
		if len(seen) != conditions || len(parsed.OrderBy) != 0 {
			t.Fatalf("query %q parsed into %d conditions (%+v), want %d", q, len(seen), parsed, conditions)
		}
		want := value
		if op == crm.OpIn {
			want = value + ",other"
		}
		for _, c := range seen {
			if c.Field != "short_description" {
				continue
			}
			if value == "" && (op == crm.OpEq || op == crm.OpNe) {
				if c.Op != "ISEMPTY" && c.Op != "ISNOTEMPTY" {
					t.Fatalf("empty %s became %+v", op, c)
				}
				return
			}
			if c.Op != encodedOps[op] || c.Value != want {
				t.Fatalf("query %q: condition %+v, want %s with value %q", q, c, encodedOps[op], want)
			}
			return
		}
		t.Fatalf("query %q lost the condition", q)
	})
}

// refusable lists the documented reasons to refuse a value.
func refusable(op crm.Op, v string) bool {
	switch {
	case !utf8.ValidString(v), strings.HasSuffix(v, "^"):
		return true
	case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return true
	case op == crm.OpIn && (v == "" || strings.Contains(v, ",")):
		return true
	case v == "" && op != crm.OpEq && op != crm.OpNe:
		return true
	case (op == crm.OpGt || op == crm.OpGte || op == crm.OpLt || op == crm.OpLte) && strings.ContainsAny(v[:1], "=<>!@"):
		return true
	}
	return false
}
