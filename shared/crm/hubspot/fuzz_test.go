package hubspot

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	hssandbox "github.com/crmflow/crmflow/shared/sandbox/hubspot"
)

// FuzzCompileFilter: whatever the field, operator and value, the compiled
// filter is either refused by the driver (InvalidArgument) or, sent as the
// driver sends a search body, accepted by the sandbox's strict search parser
// as filters on that field whose values arrive unchanged — JSON keeps each
// value one string, and no value reaches CONTAINS_TOKEN with a wildcard.
func FuzzCompileFilter(f *testing.F) {
	f.Add("email", uint8(0), "a@b.com", 0.0, false)
	f.Add("lastname", uint8(1), `x" OR "1"="1`, 1.0, false)
	f.Add("subject", uint8(2), "printer on *fire*", 2.0, false)
	f.Add("subject", uint8(2), "line\nbreak\ttab\r\x00 </script>", 2.0, false)
	f.Add("firstname", uint8(3), "jane", 3.0, false)
	f.Add("amount", uint8(4), "", -12.75, true)
	f.Add("amount", uint8(5), "", 1e300, true)
	f.Add("hs_ticket_priority", uint8(8), "HIGH", 0.0, false)
	f.Add("associations.contact", uint8(0), "123", 0.0, false)
	f.Add("company.name", uint8(0), "Acme", 0.0, false)
	f.Add("email", uint8(0), "\xff\xfe", 0.0, false)
	f.Fuzz(func(t *testing.T, field string, opIndex uint8, s string, n float64, useNumber bool) {
		cond := crmtest.FuzzCondition(field, opIndex, s, n, useNumber)
		op, value := cond.Op, cond.Value
		if cond.Validate() != nil {
			return // callers validate first
		}
		groups, err := compileFilter(cond)
		if crmtest.Refused(t, err) {
			return
		}
		body, err := crmhttp.MarshalUnescaped(searchBody{FilterGroups: groups, Properties: []string{"hs_object_id"}, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		req, err := hssandbox.ParseSearch(body)
		if err != nil {
			t.Fatalf("sandbox refused %s: %v", body, err)
		}
		var want []string
		if op == crm.OpIn {
			for _, v := range value.([]any) {
				want = append(want, mustText(t, v))
			}
		} else {
			want = []string{mustText(t, value)}
		}
		var got []string
		for _, g := range req.FilterGroups {
			if len(g.Filters) != 1 {
				t.Fatalf("%s: group of %d filters", body, len(g.Filters))
			}
			flt := g.Filters[0]
			if flt.PropertyName != field {
				t.Fatalf("%s: property %q, want %q", body, flt.PropertyName, field)
			}
			switch flt.Operator {
			case "IN":
				got = append(got, flt.Values...)
			case "CONTAINS_TOKEN":
				if op != crm.OpContains {
					t.Fatalf("%s: CONTAINS_TOKEN for %s", body, op)
				}
				got = append(got, flt.Value)
			default:
				if op != crm.OpIn && flt.Operator != operators[op] {
					t.Fatalf("%s: operator %s for %s", body, flt.Operator, op)
				}
				got = append(got, flt.Value)
			}
		}
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

func mustText(t *testing.T, v any) string {
	s, err := valueText(v)
	if err != nil {
		t.Fatalf("value %v: %v", v, err)
	}
	return s
}
