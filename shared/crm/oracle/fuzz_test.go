package oracle

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
)

// FuzzCompileFilter: whatever the value, the compiled condition is one the
// site's ROQL parser reads, with the value as exactly one condition's value
// (no term injected, nothing lost), or the filter is refused for one of the
// documented reasons.
func FuzzCompileFilter(f *testing.F) {
	crmtest.SeedShapes(f, "jane", "O'Brien", "x' OR 'a'='a", `a\' OR id != '`, `x" OR "1"="1`, "''", "'", "a;b",
		"100%", "a_b", "", "line\nbreak", "\xff", "ünï'cödé", "-5", ")", "NULL")
	f.Fuzz(func(t *testing.T, value string, opIndex, shape uint8) {
		op, v := crmtest.FuzzValue(opIndex, value)
		filter, conditions := crmtest.Nest(crm.Filter{Field: "subject", Op: op, Value: v}, shape,
			crm.Filter{Field: "severity.id", Op: crm.OpEq, Value: 1.0}, crm.Filter{Field: "referenceNumber", Op: crm.OpEq, Value: "x"})
		if filter.Validate() != nil {
			return
		}
		where, err := compileFilter(filter)
		if err != nil {
			if !refusable(op, value) {
				t.Fatalf("%s %q refused without a documented reason: %v", op, value, err)
			}
			return
		}
		q, err := osvcsandbox.ParseROQL("SELECT id FROM incidents WHERE " + where)
		if err != nil {
			t.Fatalf("compiled condition %q does not parse: %v", where, err)
		}
		var seen []*osvcsandbox.Cond
		var walk func(osvcsandbox.Expr)
		walk = func(e osvcsandbox.Expr) {
			switch x := e.(type) {
			case *osvcsandbox.Logic:
				for _, t := range x.Terms {
					walk(t)
				}
			case *osvcsandbox.Not:
				walk(x.X)
			case *osvcsandbox.Cond:
				seen = append(seen, x)
			}
		}
		walk(q.Where)
		if len(seen) != conditions || q.Limit != -1 || len(q.OrderBy) != 0 {
			t.Fatalf("condition %q parsed into %d conditions, want %d", where, len(seen), conditions)
		}
		for _, c := range seen {
			if c.Path.String() != "subject" {
				continue
			}
			if value == "" && (op == crm.OpEq || op == crm.OpNe) {
				if c.Op != "ISNULL" {
					t.Fatalf("empty %s became %+v", op, c)
				}
				return
			}
			want := value
			switch op {
			case crm.OpContains:
				want = "%" + value + "%"
			case crm.OpStartsWith:
				want = value + "%"
			}
			if c.Values[0].Text != want || c.Values[0].Number {
				t.Fatalf("condition %q: value %q, want %q", where, c.Values[0].Text, want)
			}
			if op == crm.OpIn && (len(c.Values) != 2 || c.Values[1].Text != "other") {
				t.Fatalf("in list %+v", c.Values)
			}
			return
		}
		t.Fatalf("condition %q lost the value", where)
	})
}

// refusable lists the documented reasons to refuse a value.
func refusable(op crm.Op, v string) bool {
	switch {
	case !utf8.ValidString(v), strings.Contains(v, ";"):
		return true
	case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return true
	case (op == crm.OpContains || op == crm.OpStartsWith) && (v == "" || strings.ContainsAny(v, "%_")):
		return true
	case v == "" && op != crm.OpEq && op != crm.OpNe && op != crm.OpIn:
		return true
	}
	return false
}
