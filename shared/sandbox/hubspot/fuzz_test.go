package hubspot

import (
	"testing"
)

// FuzzParseSearch: any body is either a parsed request within HubSpot's
// limits or a 400 VALIDATION_ERROR, never a panic.
func FuzzParseSearch(f *testing.F) {
	f.Add([]byte(`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"a@b.com"}]}],"limit":10}`))
	f.Add([]byte(`{"filterGroups":[{"filters":[{"propertyName":"p","operator":"IN","values":["a",1,true]}]}],"after":"5"}`))
	f.Add([]byte(`{"sorts":["-createdate"],"query":"x","filters":[{"propertyName":"p","operator":"BETWEEN","value":1,"highValue":2}]}`))
	f.Add([]byte(`{"filterGroups":[{"filters":[]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseSearch(body)
		if err != nil {
			if ae, ok := err.(*apiError); !ok || ae.status != 400 || ae.category != catValidation {
				t.Fatalf("error %v", err)
			}
			return
		}
		total := 0
		for _, g := range req.FilterGroups {
			if len(g.Filters) == 0 || len(g.Filters) > MaxGroupFilters {
				t.Fatalf("group of %d filters", len(g.Filters))
			}
			total += len(g.Filters)
		}
		if len(req.FilterGroups) > MaxFilterGroups+1 || total > MaxFilters || req.Limit > maxSearchPage || req.After+req.Limit > maxSearchTotal {
			t.Fatalf("limits passed: %+v", req)
		}
	})
}
