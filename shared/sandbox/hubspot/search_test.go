package hubspot

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func group(filters ...string) string { return `{"filters":[` + strings.Join(filters, ",") + `]}` }

func eq(prop, v string) string {
	return fmt.Sprintf(`{"propertyName":%q,"operator":"EQ","value":%q}`, prop, v)
}

func TestParseSearchRefuses(t *testing.T) {
	groups := func(n, per int) string {
		var gs []string
		for range n {
			var fs []string
			for range per {
				fs = append(fs, eq("email", "x"))
			}
			gs = append(gs, group(fs...))
		}
		return `{"filterGroups":[` + strings.Join(gs, ",") + `]}`
	}
	for _, tc := range []struct{ body, text string }{
		{groups(6, 1), "Too many filter groups: 6"},
		{groups(1, 7), "Too many filters in filterGroups[0]: 7"},
		{groups(4, 5), "Too many filters: 20"},
		{`{"filterGroups":[{"filters":[]}]}`, "needs at least one filter"},
		{`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"LIKE","value":"x"}]}]}`, `"LIKE" is not a valid operator`},
		{`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ"}]}]}`, "value is required for operator EQ"},
		{`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"IN","value":"x"}]}]}`, "values is required"},
		{`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"BETWEEN","value":"1"}]}]}`, "highValue is required"},
		{`{"filterGroups":[{"filters":[{"operator":"EQ","value":"x"}]}]}`, "propertyName is required"},
		{`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":{"a":1}}]}]}`, "must be a string"},
		{`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"x","extra":1}]}]}`, "unknown field"},
		{`{"filterGroup":[]}`, "unknown field"},
		{`{"limit":201}`, "limit: must be between 0 and 200"},
		{`{"after":"abc"}`, "is not a valid integer"},
		{`{"after":"9990","limit":20}`, "limited to 10000"},
		{`{"sorts":["a","b"]}`, "Only one sort"},
		{`{"sorts":[{"propertyName":"a","direction":"UP"}]}`, "not ASCENDING or DESCENDING"},
		{`{} {}`, "trailing data"},
		{`[`, "Invalid input JSON"},
	} {
		_, err := ParseSearch([]byte(tc.body))
		ae, ok := err.(*apiError)
		if !ok || ae.status != 400 || ae.category != "VALIDATION_ERROR" || !strings.Contains(ae.message, tc.text) {
			t.Errorf("%s: %v, want VALIDATION_ERROR containing %q", tc.body, err, tc.text)
		}
	}
}

func TestParseSearchAccepts(t *testing.T) {
	req, err := ParseSearch([]byte(`{"filterGroups":[{"filters":[{"propertyName":"amount","operator":"GT","value":12.5},` +
		`{"propertyName":"hs_is_closed","operator":"EQ","value":true}]}],"filters":[{"propertyName":"dealname","operator":"HAS_PROPERTY"}],` +
		`"sorts":[{"propertyName":"amount","direction":"DESCENDING"}],"properties":["dealname"],"limit":0,"after":4}`))
	if err != nil {
		t.Fatal(err)
	}
	f := req.FilterGroups[0].Filters
	if len(req.FilterGroups) != 2 || f[0].Value != "12.5" || f[1].Value != "true" || req.Limit != 0 || req.After != 4 ||
		!req.Sorts[0].Descending || req.FilterGroups[1].Filters[0].Operator != "HAS_PROPERTY" {
		t.Fatalf("%+v", req)
	}
	req, err = ParseSearch([]byte(`{"sorts":["-createdate"]}`))
	if err != nil || req.Limit != 10 || req.Sorts[0].PropertyName != "createdate" || !req.Sorts[0].Descending {
		t.Fatalf("%+v %v", req, err)
	}
}

// search runs a contacts search and returns the matching first names.
func search(t *testing.T, c *client, typ, body string) []string {
	t.Helper()
	status, out := c.do("POST", "/crm/v3/objects/"+typ+"/search", body)
	if status != 200 {
		t.Fatalf("%s: %d %v", body, status, out)
	}
	var names []string
	for _, r := range results(out) {
		for _, p := range []string{"firstname", "name", "subject", "dealname"} {
			if v, ok := prop(r, p).(string); ok {
				names = append(names, v)
				break
			}
		}
	}
	return names
}

func TestSearchSemantics(t *testing.T) {
	_, c := start(t, Options{})
	props := `"properties":["firstname","name","subject","dealname"],"limit":50`
	for _, tc := range []struct {
		typ, filters string
		want         []string
	}{
		{"contacts", group(eq("lastname", "DOE")), []string{"Jane"}}, // text ignores case
		{"contacts", group(eq("email", "*")), nil},                   // EQ has no wildcard
		{"contacts", group(`{"propertyName":"phone","operator":"IN","values":["(415) 555-0100","+1 415 555 0199"]}`), []string{"Jane", "John"}},
		{"contacts", group(`{"propertyName":"firstname","operator":"IN","values":["Jane"]}`), nil}, // IN values must be lowercase
		{"contacts", group(`{"propertyName":"firstname","operator":"IN","values":["jane"]}`), []string{"Jane"}},
		{"contacts", group(`{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"*@globex.example"}`), []string{"Maria"}},
		{"contacts", group(`{"propertyName":"mobilephone","operator":"HAS_PROPERTY"}`), []string{"Maria", "Kenji"}},
		{"contacts", group(`{"propertyName":"hs_lead_status","operator":"EQ","value":"new"}`), nil}, // enumerations keep case
		{"contacts", group(`{"propertyName":"hs_lead_status","operator":"NEQ","value":"NEW"}`), []string{"Jane", "John", "Maria", "Kenji"}},
		{"tickets", group(`{"propertyName":"subject","operator":"CONTAINS_TOKEN","value":"printer"}`), []string{"Printer on fire"}},
		{"tickets", group(`{"propertyName":"subject","operator":"CONTAINS_TOKEN","value":"print"}`), nil},
		{"tickets", group(`{"propertyName":"subject","operator":"NOT_CONTAINS_TOKEN","value":"on"}`),
			[]string{"Invoice copy requested", "Toner delivery missing", "Badge reader offline", "Conference room booking broken"}},
		{"tickets", group(`{"propertyName":"hs_pipeline_stage","operator":"NOT_IN","values":["4","93514"]}`),
			[]string{"Invoice copy requested", "Printer on fire", "Conference room booking broken"}},
		{"companies", group(`{"propertyName":"numberofemployees","operator":"GTE","value":"1000"}`), []string{"Acme Corporation"}},
		{"deals", group(`{"propertyName":"closedate","operator":"BETWEEN","value":"2026-12-01","highValue":"1798761599000"}`),
			[]string{"Acme - Printer fleet renewal"}},
		{"deals", group(`{"propertyName":"amount","operator":"LT","value":"abc"}`), nil},
		{"contacts", group(eq("lastname", "Doe")) + "," + group(eq("firstname", "maria")), []string{"Jane", "Maria"}}, // groups OR
		{"contacts", group(eq("lastname", "Doe"), eq("firstname", "maria")), nil},                                     // filters AND
	} {
		got := search(t, c, tc.typ, `{"filterGroups":[`+tc.filters+`],`+props+`}`)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s %s: %q, want %q", tc.typ, tc.filters, got, tc.want)
		}
	}
}

func TestSearchAssociationsPseudoProperty(t *testing.T) {
	s, c := start(t, Options{})
	jane := s.IDs("contacts")[0]
	got := search(t, c, "tickets", `{"filters":[{"propertyName":"associations.contact","operator":"EQ","value":"`+jane+`"}],`+
		`"properties":["subject"],"sorts":[{"propertyName":"subject","direction":"ASCENDING"}]}`)
	want := []string{"Badge reader offline", "Invoice copy requested", "Printer on fire", "Toner delivery missing"}
	if !slices.Equal(got, want) {
		t.Fatalf("%q", got)
	}
	status, body := c.do("POST", "/crm/v3/objects/tickets/search",
		`{"filters":[{"propertyName":"associations.contact","operator":"NEQ","value":"1"}]}`)
	wantError(t, status, body, 400, "VALIDATION_ERROR", "not a supported association filter")
}

func TestSearchPagingAndNames(t *testing.T) {
	_, c := start(t, Options{PageSize: 2})
	body := `{"filterGroups":[{"filters":[{"propertyName":"email","operator":"HAS_PROPERTY"}]}],"properties":["firstname"],"limit":10`
	var all []string
	after := ""
	for pages := 0; ; pages++ {
		status, out := c.do("POST", "/crm/v3/objects/contacts/search", body+after+"}")
		if status != 200 || out["total"] != float64(5) || pages > 3 {
			t.Fatalf("%d %v", status, out)
		}
		for _, r := range results(out) {
			all = append(all, prop(r, "firstname").(string))
			if !hasKey(r["properties"].(map[string]any), "hs_object_id") {
				t.Fatalf("record %v", r)
			}
		}
		paging, ok := out["paging"].(map[string]any)
		if !ok {
			break
		}
		after = `,"after":"` + paging["next"].(map[string]any)["after"].(string) + `"`
	}
	if !slices.Equal(all, []string{"Jane", "John", "Maria", "Priya", "Kenji"}) {
		t.Fatalf("%q", all)
	}
	status, out := c.do("POST", "/crm/v3/objects/contacts/search", `{"filterGroups":[{"filters":[`+eq("favourite", "x")+`]}]}`)
	wantError(t, status, out, 400, "VALIDATION_ERROR", `Property "favourite" does not exist on contacts`)
	status, out = c.do("POST", "/crm/v3/objects/contacts/search", `{"sorts":["favourite"]}`)
	wantError(t, status, out, 400, "VALIDATION_ERROR", "sorts")
	got := search(t, c, "contacts", `{"query":"globex","properties":["firstname"]}`)
	if !slices.Equal(got, []string{"Maria"}) {
		t.Fatalf("query: %q", got)
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"*@hubspot.com", "ann@hubspot.com", true}, {"*@hubspot.com", "ann@hubspot.co", false}, {"jan*", "jane", true},
		{"j*e", "jane", true}, {"j*x*e", "jane", false}, {"*", "", true}, {"a**b", "ab", true}, {"jane", "janet", false},
	} {
		if got := glob(tc.pattern, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v", tc.pattern, tc.s, got)
		}
	}
}
