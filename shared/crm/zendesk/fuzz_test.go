package zendesk

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

// FuzzCompileFilter: whatever the value, every compiled query is one
// Zendesk's syntax reads (as the sandbox parses it), starts with the type,
// and holds at most one term per condition: a value never adds a term, a
// type or an operator of its own. Zendesk's phrases have no escape, so a
// value reaches the index as its words (the phrase term carries exactly the
// driver's folded form of the value) and arrives unchanged at the driver's
// check of the results: a record holding exactly the value matches eq, in,
// contains, startsWith, gte and lte, and fails ne.
func FuzzCompileFilter(f *testing.F) {
	for _, s := range []string{"jane", `x" OR "1"="1`, `type:ticket`, `a" -name:"b`, `\`, `\"`, "%", "*", "", "-", "a b",
		"status<solved", "line\nbreak", "\x00", "ünï cödé", `""`, "requester:1 x", "2026-01-01", "1e5", "0x1p-2"} {
		for op := range crmtest.FuzzOps {
			f.Add(s, uint8(op))
		}
	}
	f.Fuzz(func(t *testing.T, value string, opIndex uint8) {
		op, v := crmtest.FuzzValue(opIndex, value)
		filter := crm.Filter{All: []crm.Filter{{Field: "name", Op: op, Value: v}, {Field: "role", Op: crm.OpEq, Value: "agent"}}}
		if filter.Validate() != nil {
			return
		}
		queries, err := compileFilter("user", filter)
		if err != nil {
			t.Fatalf("%s %q refused: %v", op, value, err)
		}
		for _, q := range queries {
			terms, err := zdsandbox.ParseQuery(q)
			if err != nil {
				t.Fatalf("query %q does not parse: %v", q, err)
			}
			if len(terms) < 2 || len(terms) > 3 || terms[0].Keyword != "type" || terms[0].Value != "user" {
				t.Fatalf("query %q parsed into %+v", q, terms)
			}
			for _, tm := range terms[1:] {
				if tm.Keyword != "name" && tm.Keyword != "role" {
					t.Fatalf("query %q: value made term %+v", q, tm)
				}
				if tm.Keyword == "role" && (tm.Value != "agent" || tm.Negate) {
					t.Fatalf("query %q: role term changed: %+v", q, tm)
				}
				if strings.ContainsAny(tm.Value, `"\`) {
					t.Fatalf("query %q: unescaped value %q", q, tm.Value)
				}
				if tm.Keyword == "name" && tm.Phrase {
					if folded, _ := quote(value); tm.Value != strings.Trim(folded, `"`) && (op != crm.OpIn || tm.Value != "other") {
						t.Fatalf("query %q: phrase %q, want the folded value %s", q, tm.Value, folded)
					}
				}
			}
		}
		rec := object{"name": value, "role": "agent"}
		want := true
		switch op {
		case crm.OpNe:
			want = false
		case crm.OpGt, crm.OpLt:
			return // strict comparisons of a value with itself hold for no record
		case crm.OpGte, crm.OpLte:
			if value == "" {
				return // an empty field is never ordered
			}
		}
		if got := matches(rec, filter); got != want {
			t.Fatalf("%s %q: a record named exactly %q matches = %v, want %v", op, value, value, got, want)
		}
	})
}
