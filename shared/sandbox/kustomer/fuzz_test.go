package kustomer

import (
	"encoding/json"
	"testing"
)

// FuzzParseSearch: any body is either refused with a bad_request or parsed
// into criteria whose attributes the sandbox knows and whose operators
// apply to them; it never panics.
func FuzzParseSearch(f *testing.F) {
	f.Add(`{"and":[{"customer_phone":{"equals":"+14155550100"}}],"queryContext":"customer"}`)
	f.Add(`{"or":[{"and":[{"customer_name":{"contains":"x"}}]}],"sort":[{"customer_updated_at":"desc"}]}`)
	f.Add(`{"and":[{"conversation_priority":{"gte":3}}],"queryContext":"conversation"}`)
	f.Add(`{"and":[{"customer_custom_tierStr":{"equals":"gold"}}]}`)
	f.Add(`{"and":[{"or":[{"or":[{"or":[{"or":[{"or":[{"or":[{"customer_name":{"equals":"x"}}]}]}]}]}]}]}]}`)
	f.Add(`{"and":[{"customer_name":{"equals":null}}]}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		req, err := ParseSearch([]byte(body))
		if err != nil {
			if e, ok := err.(*apiError); !ok || e.status != 400 || e.code != "bad_request" {
				t.Fatalf("refusal %v", err)
			}
			return
		}
		var walk func([]Criterion)
		walk = func(cs []Criterion) {
			for _, c := range cs {
				walk(c.And)
				walk(c.Or)
				if c.And != nil || c.Or != nil {
					continue
				}
				typ, ok := attrTypeOf(c.Attribute, req.QueryContext)
				if !ok || checkSearchValue(typ, c.Value) != "" {
					t.Fatalf("%s: accepted %+v", body, c)
				}
			}
		}
		walk(req.And)
		walk(req.Or)
		if !json.Valid([]byte(body)) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
	})
}
