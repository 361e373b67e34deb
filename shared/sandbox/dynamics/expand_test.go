package dynamics

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func expandQuery(v string) string {
	return "$expand=" + strings.ReplaceAll(url.QueryEscape(v), "+", "%20")
}

// TestExpandOpenCases: a single-level $expand of a collection-valued
// navigation property with $select, $filter, $orderby and $top, answered as
// join-tables.md shows: the rows inline with the referencing lookup, not
// paged, and <nav>@odata.nextLink naming the filtered collection.
func TestExpandOpenCases(t *testing.T) {
	e := start(t, Options{PageSize: 1})
	q := "$select=fullname&" + filterQuery("lastname eq 'Doe'") + "&" +
		expandQuery("incident_customer_contacts($select=title,statecode;$filter=statecode eq 0;$orderby=modifiedon desc;$top=5)")
	res, body := e.get("contacts", q)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	if ctx := body["@odata.context"].(string); !strings.HasSuffix(ctx, "$metadata#contacts(fullname,incident_customer_contacts(title,statecode))") {
		t.Fatalf("context %s", ctx)
	}
	rows := values(body)
	if len(rows) != 1 {
		t.Fatalf("%v", body)
	}
	jane := rows[0]
	cases, _ := jane["incident_customer_contacts"].([]any)
	if len(cases) != 1 {
		t.Fatalf("Jane's open cases: %v", jane)
	}
	c := cases[0].(map[string]any)
	if c["title"] != crmtest.JaneCase || c["_customerid_value"] != jane["contactid"] || c["incidentid"] == nil || c["description"] != nil {
		t.Fatalf("case %v", c)
	}
	next, _ := jane["incident_customer_contacts@odata.nextLink"].(string)
	u, err := url.Parse(next)
	if err != nil || !strings.HasSuffix(u.Path, "/api/data/v9.2/contacts("+jane["contactid"].(string)+")/incident_customer_contacts") ||
		strings.Contains(u.RawQuery, "skiptoken") || u.Query().Get("$top") != "5" {
		t.Fatalf("next link %q", next)
	}
	// The filtered collection it names answers the same rows (paged as any collection).
	res, body = e.call(http.MethodGet, strings.TrimPrefix(u.Path, "/api/data/v9.2/")+"?"+u.RawQuery, nil)
	if res.StatusCode != http.StatusOK || len(values(body)) != 1 || values(body)[0]["title"] != crmtest.JaneCase {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	// Without the filter both of Jane's cases show, not paged although the page size is 1.
	_, body = e.get("contacts", "$select=fullname&"+filterQuery("lastname eq 'Doe'")+"&"+expandQuery("incident_customer_contacts($select=title)"))
	if all, _ := values(body)[0]["incident_customer_contacts"].([]any); len(all) != 2 {
		t.Fatalf("%v", body)
	}
}

func TestExpandRefusals(t *testing.T) {
	e := start(t, Options{})
	for _, c := range []struct{ expand, code, msg string }{
		{"nosuch_customer_contacts", codeQuery, "Could not find a property named 'nosuch_customer_contacts' on type 'Microsoft.Dynamics.CRM.contact'."},
		{"incident_customer_accounts", codeQuery, "Could not find a property named 'incident_customer_accounts'"},
		{"incident_customer_contacts($select=nickname)", codeSelect, "Could not find a property named 'nickname' on type 'Microsoft.Dynamics.CRM.incident'."},
		{"incident_customer_contacts($skip=1)", codeQuery, "'$skip' is not supported"},
		{"incident_customer_contacts($select=title;$expand=customerid_contact($select=fullname))", codeSelect, "nested $expand"},
		{"incident_customer_contacts($top=1;$top=2)", codeQuery, "more than once"},
		{"incident_customer_contacts($filter=title eq 'x)", codeQuery, "Syntax error"},
		{"parentcustomerid_account", codeSelect, "single-valued"},
		{"incident_customer_contacts/$ref", codeQuery, "$ref is only supported on lookup"},
	} {
		res, body := e.get("contacts", expandQuery(c.expand))
		code, msg := errorOf(body)
		if res.StatusCode != http.StatusBadRequest || code != c.code || !strings.Contains(msg, c.msg) {
			t.Errorf("%s: %d %s %q", c.expand, res.StatusCode, code, msg)
		}
	}
	// A one-row read takes no $expand here, and a filtered collection only of a row that exists.
	id := e.s.Records("contact")[0]["contactid"].(string)
	if res, _ := e.get("contacts("+id+")", expandQuery("incident_customer_contacts")); res.StatusCode != http.StatusBadRequest {
		t.Errorf("retrieve with $expand: %d", res.StatusCode)
	}
	if res, body := e.call(http.MethodGet, "contacts(6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42)/incident_customer_contacts", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("%d %v", res.StatusCode, body)
	}
	if res, _ := e.call(http.MethodGet, "contacts("+id+")/nosuch", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown navigation property: %d", res.StatusCode)
	}
}
