package hubspot

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

// compact renders groups as "(a AND b) OR (c)" for readable expectations.
func compact(groups []filterGroup) string {
	var gs []string
	for _, g := range groups {
		var fs []string
		for _, f := range g.Filters {
			switch {
			case f.Values != nil:
				fs = append(fs, fmt.Sprintf("%s %s %q", f.PropertyName, f.Operator, f.Values))
			case f.Value != nil:
				fs = append(fs, fmt.Sprintf("%s %s %q", f.PropertyName, f.Operator, *f.Value))
			default:
				fs = append(fs, f.PropertyName+" "+f.Operator)
			}
		}
		gs = append(gs, "("+strings.Join(fs, " AND ")+")")
	}
	return strings.Join(gs, " OR ")
}

func TestCompileFilter(t *testing.T) {
	cond := func(field string, op crm.Op, v any) crm.Filter { return crm.Filter{Field: field, Op: op, Value: v} }
	for _, tc := range []struct {
		name string
		in   crm.Filter
		want string
	}{
		{"eq", cond("email", crm.OpEq, "a@b.com"), `(email EQ "a@b.com")`},
		{"quotes stay values", cond("lastname", crm.OpEq, `x" OR "1"="1`), `(lastname EQ "x\" OR \"1\"=\"1")`},
		{"ne", cond("lastname", crm.OpNe, "Smith"), `(lastname NEQ "Smith")`},
		{"number", cond("amount", crm.OpGte, 1500.5), `(amount GTE "1500.5")`},
		{"big number in full", cond("amount", crm.OpLt, 1e21), `(amount LT "1000000000000000000000")`},
		{"bool", cond("hs_is_closed", crm.OpEq, true), `(hs_is_closed EQ "true")`},
		{"contains", cond("subject", crm.OpContains, "printer"), `(subject CONTAINS_TOKEN "printer")`},
		{"in lowercase", cond("firstname", crm.OpIn, []any{"jane", "john"}), `(firstname IN ["jane" "john"])`},
		{"in numbers", cond("hs_pipeline_stage", crm.OpIn, []any{1.0, 2.0}), `(hs_pipeline_stage IN ["1" "2"])`},
		{"in with capitals", cond("hs_ticket_priority", crm.OpIn, []any{"HIGH", "low"}),
			`(hs_ticket_priority EQ "HIGH") OR (hs_ticket_priority EQ "low")`},
		{"association", cond("associations.contact", crm.OpEq, "123"), `(associations.contact EQ "123")`},
		{"all", crm.Filter{All: []crm.Filter{cond("a", crm.OpEq, "1"), cond("b", crm.OpEq, "2")}}, `(a EQ "1" AND b EQ "2")`},
		{"any", crm.Filter{Any: []crm.Filter{cond("a", crm.OpEq, "1"), cond("b", crm.OpEq, "2")}}, `(a EQ "1") OR (b EQ "2")`},
		{"all of any distributes", crm.Filter{All: []crm.Filter{
			{Any: []crm.Filter{cond("a", crm.OpEq, "1"), cond("b", crm.OpEq, "2")}},
			{Any: []crm.Filter{cond("c", crm.OpEq, "3"), cond("d", crm.OpEq, "4")}},
		}}, `(a EQ "1" AND c EQ "3") OR (a EQ "1" AND d EQ "4") OR (b EQ "2" AND c EQ "3") OR (b EQ "2" AND d EQ "4")`},
		{"any of all", crm.Filter{Any: []crm.Filter{
			{All: []crm.Filter{cond("a", crm.OpEq, "1"), cond("b", crm.OpEq, "2")}}, cond("c", crm.OpEq, "3"),
		}}, `(a EQ "1" AND b EQ "2") OR (c EQ "3")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.in.Validate(); err != nil {
				t.Fatalf("invalid test filter: %v", err)
			}
			got, err := compileFilter(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if s := compact(got); s != tc.want {
				t.Fatalf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
}

func TestCompileFilterRefuses(t *testing.T) {
	cond := func(field string, op crm.Op, v any) crm.Filter { return crm.Filter{Field: field, Op: op, Value: v} }
	many := func(n int, group func([]crm.Filter) crm.Filter) crm.Filter {
		var list []crm.Filter
		for i := range n {
			list = append(list, cond(fmt.Sprintf("p%d", i), crm.OpEq, "x"))
		}
		return group(list)
	}
	all := func(l []crm.Filter) crm.Filter { return crm.Filter{All: l} }
	anyOf := func(l []crm.Filter) crm.Filter { return crm.Filter{Any: l} }
	for _, tc := range []struct {
		name string
		in   crm.Filter
		why  string
	}{
		{"startsWith", cond("email", crm.OpStartsWith, "jane"), "startsWith"},
		{"wildcard in contains", cond("email", crm.OpContains, "*@hubspot.com"), "wildcard"},
		{"dotted field", cond("company.name", crm.OpEq, "Acme"), "not a HubSpot property"},
		{"six groups", many(6, anyOf), "more than 5 OR-ed groups"},
		{"seven in a group", many(7, all), "more than 6 conditions"},
		{"too many in all", crm.Filter{Any: []crm.Filter{many(6, all), many(6, all), many(6, all), cond("x", crm.OpEq, "1")}}, "19 conditions"},
		{"blow-up", crm.Filter{All: []crm.Filter{many(3, anyOf), many(3, anyOf)}}, "more than 5 OR-ed groups"},
		{"in with capitals overflows", cond("s", crm.OpIn, []any{"A", "B", "C", "D", "E", "F"}), "6 OR-ed groups"},
		{"invalid UTF-8", cond("s", crm.OpEq, "\xff"), "UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := compileFilter(tc.in)
			e := wantCode(t, err, crm.InvalidArgument)
			if !strings.Contains(e.Message, tc.why) {
				t.Fatalf("message %q lacks %q", e.Message, tc.why)
			}
		})
	}
}

// An empty string is a value, not an absent one.
func TestCompileFilterKeepsEmptyValue(t *testing.T) {
	g, err := compileFilter(crm.Filter{Field: "lastname", Op: crm.OpEq, Value: ""})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(g)
	if string(b) != `[{"filters":[{"propertyName":"lastname","operator":"EQ","value":""}]}]` {
		t.Fatalf("%s", b)
	}
}

func TestChunkGroups(t *testing.T) {
	one := filterGroup{Filters: []searchFilter{{PropertyName: "p", Operator: "EQ"}}}
	six := filterGroup{Filters: make([]searchFilter, 6)}
	for _, tc := range []struct {
		in   []filterGroup
		want []int
	}{
		{[]filterGroup{one, one}, []int{2}},
		{[]filterGroup{one, one, one, one, one, one, one}, []int{5, 2}},
		{[]filterGroup{six, six, six, one}, []int{3, 1}},
	} {
		var got []int
		for _, c := range chunkGroups(tc.in) {
			if err := checkLimits(c); err != nil {
				t.Fatal(err)
			}
			got = append(got, len(c))
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("chunks %v, want %v", got, tc.want)
		}
	}
}
