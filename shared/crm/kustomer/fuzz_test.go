package kustomer

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

var (
	fuzzOps    = []crm.Op{crm.OpEq, crm.OpNe, crm.OpContains, crm.OpIn, crm.OpStartsWith, crm.OpGt, crm.OpGte, crm.OpLt, crm.OpLte}
	fuzzFields = []string{"name", "email", "externalId", "custom.tierStr", "custom.notesTxt", "customer_locale"}
)

// FuzzCompileFilter: whatever the value, a compiled text condition is
// either refused by the driver (InvalidArgument) or, sent as the driver
// sends a search body, accepted by the sandbox's strict search parser as
// conditions on that attribute, with the operator the portable one maps to,
// whose values arrive unchanged (strings as strings, numbers as numbers) —
// JSON keeps each value one value, so no value becomes criteria syntax.
func FuzzCompileFilter(f *testing.F) {
	f.Add(uint8(0), uint8(0), "a@b.com")
	f.Add(uint8(1), uint8(1), `x" OR "1"="1`)
	f.Add(uint8(2), uint8(2), `"},{"customer_name":{"contains":""}}],"or":[{"`)
	f.Add(uint8(3), uint8(3), "line\nbreak\ttab\r\x00 </script>")
	f.Add(uint8(4), uint8(0), `\u0000\\"`)
	f.Add(uint8(5), uint8(4), "Ja")
	f.Add(uint8(0), uint8(2), "\xff\xfe")
	f.Add(uint8(1), uint8(0), "")
	f.Fuzz(func(t *testing.T, fieldIndex, opIndex uint8, s string) {
		field := fuzzFields[int(fieldIndex)%len(fuzzFields)]
		op := fuzzOps[int(opIndex)%len(fuzzOps)]
		var value any = s
		if op == crm.OpIn {
			value = []any{s, s + "'"}
		}
		cond := crm.Filter{Field: field, Op: op, Value: value}
		if cond.Validate() != nil {
			return // callers validate first
		}
		crit, err := compileFilter(entCustomer, cond)
		if err != nil {
			if crm.CodeOf(err) != crm.InvalidArgument {
				t.Fatalf("refusal with code %s: %v", crm.CodeOf(err), err)
			}
			return
		}
		body, err := crmhttp.MarshalUnescaped(searchBody{And: []criterion{crit}, QueryContext: entCustomer,
			Sort: []map[string]string{{"customer_updated_at": "desc"}}})
		if err != nil {
			t.Fatal(err)
		}
		req, err := kussandbox.ParseSearch(body)
		if err != nil {
			t.Fatalf("sandbox refused %s: %v", body, err)
		}
		want := []string{s}
		if op == crm.OpIn {
			want = []string{s, s + "'"}
		}
		attr, _ := searchAttribute(entCustomer, field)
		var got []string
		var walk func(cs []kussandbox.Criterion)
		walk = func(cs []kussandbox.Criterion) {
			for _, c := range cs {
				walk(c.And)
				walk(c.Or)
				if c.Attribute == "" {
					continue
				}
				if c.Attribute != attr {
					t.Fatalf("%s: attribute %q, want %q", body, c.Attribute, attr)
				}
				wantOp := operators[op]
				if op == crm.OpIn {
					wantOp = "equals"
				}
				if c.Operator != wantOp {
					t.Fatalf("%s: operator %q for %s, want %q", body, c.Operator, op, wantOp)
				}
				got = append(got, c.Value.(string))
			}
		}
		walk(req.And)
		walk(req.Or)
		if len(got) != len(want) {
			t.Fatalf("%s: values %q, want %q", body, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: value %q arrived as %q", body, want[i], got[i])
			}
		}
	})
}
