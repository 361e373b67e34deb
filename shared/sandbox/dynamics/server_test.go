package dynamics

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestQueryPagingAndSelect(t *testing.T) {
	e := start(t, Options{PageSize: 2})
	for i := range 5 {
		e.s.Add("contact", map[string]any{"firstname": "P" + string(rune('0'+i)), "lastname": "Pager"})
	}
	q := "$select=fullname,telephone1&" + filterQuery("lastname eq 'pager'") + "&$orderby=firstname%20desc"
	res, body := e.get("contacts", q, "Prefer", "odata.maxpagesize=10")
	if res.StatusCode != 200 || res.Header.Get("Preference-Applied") != "odata.maxpagesize=2" || res.Header.Get("OData-Version") != "4.0" {
		t.Fatalf("%d %v %v", res.StatusCode, res.Header, body)
	}
	if !strings.HasSuffix(body["@odata.context"].(string), "/api/data/v9.2/$metadata#contacts(fullname,telephone1)") {
		t.Fatalf("context %v", body["@odata.context"])
	}
	var names []string
	for {
		rows := values(body)
		for _, r := range rows {
			names = append(names, r["fullname"].(string))
			if len(r) != 4 || r["contactid"] == nil || !strings.HasPrefix(r["@odata.etag"].(string), `W/"`) {
				t.Fatalf("row %v: want fullname, telephone1, contactid and the etag", r)
			}
		}
		next, _ := body["@odata.nextLink"].(string)
		if next == "" {
			break
		}
		u, err := url.Parse(next)
		if err != nil || !strings.Contains(u.RawQuery, "$select=fullname,telephone1&$filter=") ||
			!regexp.MustCompile(`\$skiptoken=%3Ccookie%20pagenumber%3D%22[0-9]%22`).MatchString(u.RawQuery) {
			t.Fatalf("next link %s", next)
		}
		res, body = e.get("contacts", u.RawQuery, "Prefer", "odata.maxpagesize=10")
		if res.StatusCode != 200 {
			t.Fatalf("%d %v", res.StatusCode, body)
		}
	}
	if strings.Join(names, ",") != "P4 Pager,P3 Pager,P2 Pager,P1 Pager,P0 Pager" {
		t.Fatalf("names %v", names)
	}
	res, body = e.get("contacts", "$top=2&"+filterQuery("lastname eq 'pager'"))
	if res.StatusCode != 200 || len(values(body)) != 2 || body["@odata.nextLink"] != nil {
		t.Fatalf("$top: %d %v", res.StatusCode, body)
	}
}

func TestQueryOptionErrors(t *testing.T) {
	e := start(t, Options{})
	for _, tc := range []struct {
		set, query string
		status     int
		code, msg  string
	}{
		{"Contacts", "", 404, codeSegment, "Resource not found for the segment 'Contacts'."},
		{"contacts", "$select=Fullname", 400, codeSelect, "Could not find a property named 'Fullname' on type 'Microsoft.Dynamics.CRM.contact'."},
		{"contacts", "$skip=10", 400, codeSelect, "The query parameter '$skip' is not supported."},
		{"contacts", "$filter=a&$filter=b", 400, codeQuery, "Query option '$filter' was specified more than once"},
		{"contacts", "$top=-1", 400, codeQuery, "Invalid value '-1' for $top query option found."},
		{"contacts", "$orderby=nosuch%20desc", 400, codeQuery, "Could not find a property named 'nosuch'"},
		{"contacts", "$skiptoken=abc", 400, codeQuery, "The $skiptoken value is not a valid paging cookie."},
		{"contacts", filterQuery("lastname eq 'x"), 400, codeQuery, "There is an unterminated literal at position 14"},
	} {
		res, body := e.get(tc.set, tc.query)
		code, msg := errorOf(body)
		if res.StatusCode != tc.status || code != tc.code || !strings.HasPrefix(msg, tc.msg) {
			t.Errorf("%s?%s: %d %s %q", tc.set, tc.query, res.StatusCode, code, msg)
		}
	}
}

func TestCreateRetrieveUpdate(t *testing.T) {
	e := start(t, Options{})
	jane := e.s.Records("contact")[0]["contactid"].(string)
	res, body := e.call(http.MethodPost, "incidents", map[string]any{"title": "Paper jam", "prioritycode": 2,
		"customerid_contact@odata.bind": "/contacts(" + strings.ToUpper(jane) + ")"})
	loc := res.Header.Get("OData-EntityId")
	m := regexp.MustCompile(`^` + regexp.QuoteMeta(e.srv.URL) + `/api/data/v9\.2/incidents\(([0-9a-f-]{36})\)$`).FindStringSubmatch(loc)
	if res.StatusCode != 204 || body != nil || m == nil {
		t.Fatalf("%d %q %v", res.StatusCode, loc, body)
	}
	id := m[1]
	res, body = e.call(http.MethodGet, "incidents("+id+")?$select=title,ticketnumber,_customerid_value,statecode,statuscode", nil)
	if res.StatusCode != 200 || body["title"] != "Paper jam" || body["_customerid_value"] != jane || body["statecode"] != 0.0 ||
		body["statuscode"] != 1.0 || !regexp.MustCompile(`^CAS-[0-9]{5}-[A-Z0-9]{6}$`).MatchString(body["ticketnumber"].(string)) ||
		!strings.HasSuffix(body["@odata.context"].(string), "$metadata#incidents(title,ticketnumber,_customerid_value,statecode,statuscode)/$entity") {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	res, _ = e.call(http.MethodPatch, "incidents("+id+")", map[string]any{"statuscode": 2}, "If-Match", "*")
	if res.StatusCode != 204 || e.s.Record("incident", id)["statuscode"] != 2.0 {
		t.Fatalf("%d %v", res.StatusCode, e.s.Record("incident", id))
	}
	res, body = e.call(http.MethodPost, "incidents", map[string]any{"title": "Again", "incidentid": id, "customerid_contact@odata.bind": "/contacts(" + jane + ")"},
		"Prefer", "return=representation")
	if code, msg := errorOf(body); res.StatusCode != 412 || code != codeDuplicate || msg != "A record with matching key values already exists." {
		t.Fatalf("duplicate id: %d %v", res.StatusCode, body)
	}
	res, body = e.call(http.MethodPost, "contacts", map[string]any{"lastname": "Rep"}, "Prefer", "return=representation")
	if res.StatusCode != 201 || body["fullname"] != "Rep" || body["contactid"] == nil {
		t.Fatalf("representation: %d %v", res.StatusCode, body)
	}
}

func TestPatchPreconditions(t *testing.T) {
	e := start(t, Options{})
	missing := "6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42"
	res, body := e.call(http.MethodPatch, "contacts("+missing+")", map[string]any{"jobtitle": "x"}, "If-Match", "*")
	if code, msg := errorOf(body); res.StatusCode != 404 || code != codeNotFound || msg != "contact With Id = "+missing+" Does Not Exist" {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	res, _ = e.call(http.MethodPatch, "contacts("+missing+")", map[string]any{"lastname": "Upserted"})
	if res.StatusCode != 204 || e.s.Record("contact", missing)["fullname"] != "Upserted" {
		t.Fatalf("upsert: %d", res.StatusCode)
	}
	res, body = e.call(http.MethodPatch, "contacts("+missing+")", map[string]any{"lastname": "x"}, "If-None-Match", "*")
	if code, _ := errorOf(body); res.StatusCode != 412 || code != codeDuplicate {
		t.Fatalf("If-None-Match: %d %v", res.StatusCode, body)
	}
	res, body = e.call(http.MethodPatch, "contacts("+missing+")", map[string]any{"lastname": "x"}, "If-Match", `W/"1"`)
	if res.StatusCode != 412 {
		t.Fatalf("stale etag: %d %v", res.StatusCode, body)
	}
	res, body = e.call(http.MethodGet, "contacts(not-a-guid)", nil)
	if code, _ := errorOf(body); res.StatusCode != 400 || code != codeQuery {
		t.Fatalf("bad key: %d %v", res.StatusCode, body)
	}
	res, _ = e.call(http.MethodDelete, "contacts("+missing+")", nil)
	if res.StatusCode != 405 {
		t.Fatalf("DELETE: %d", res.StatusCode)
	}
}

func TestWriteValidation(t *testing.T) {
	e := start(t, Options{})
	jane := "/contacts(" + e.s.Records("contact")[0]["contactid"].(string) + ")"
	for _, tc := range []struct {
		name, set string
		body      map[string]any
		status    int
		code, msg string
	}{
		{"case without customer", "incidents", map[string]any{"title": "x"}, 400, codeRequired, "You should specify a parent contact or account."},
		{"unknown column", "contacts", map[string]any{"LastName": "x"}, 400, codePayload, "Invalid property 'LastName' was found in entity 'Microsoft.Dynamics.CRM.contact'."},
		{"read-only column", "contacts", map[string]any{"fullname": "x"}, 400, codePayload, "The property 'fullname' is not valid for create"},
		{"lookup value column", "contacts", map[string]any{"_parentcustomerid_value": "x"}, 400, codePayload, "Invalid property '_parentcustomerid_value' was found in entity"},
		{"state on create", "phonecalls", map[string]any{"subject": "x", "statecode": 1}, 400, codePayload, "The property 'statecode' is not valid for create"},
		{"status of another state", "phonecalls", map[string]any{"subject": "x", "statuscode": 4}, 400, codeState, "4 is not a valid status code for state code PhoneCallState.Open"},
		{"too long", "phonecalls", map[string]any{"subject": strings.Repeat("x", 201)}, 400, codeLength,
			"A validation error occurred. The length of the 'subject' attribute of the 'phonecall' entity exceeded the maximum allowed length of '200'."},
		{"wrong type", "contacts", map[string]any{"lastname": 12}, 400, codePayload, "Cannot convert the literal '12' to the expected type 'Edm.String'."},
		{"fraction in integer", "phonecalls", map[string]any{"actualdurationminutes": 1.5}, 400, codePayload, "Edm.Int32"},
		{"bad date", "phonecalls", map[string]any{"actualstart": "yesterday"}, 400, codePayload, "Edm.DateTimeOffset"},
		{"undeclared navigation", "contacts", map[string]any{"customerid_account@odata.bind": "/accounts(6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42)"},
			400, codePayload, "An undeclared property 'customerid_account'"},
		{"bind to wrong table", "incidents", map[string]any{"customerid_account@odata.bind": jane}, 400, codePayload, "was bound to the navigation property"},
		{"bind to missing row", "incidents", map[string]any{"customerid_contact@odata.bind": "/contacts(6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42)"},
			404, codeNotFound, "contact With Id = 6f1c9a52-0d3e-4b8a-9c1d-3e5f7a9b0c42 Does Not Exist"},
		{"bind not an address", "incidents", map[string]any{"customerid_contact@odata.bind": "Jane"}, 400, codePayload, "is not a valid entity reference"},
		{"party without binding", "phonecalls", map[string]any{"phonecall_activity_parties": []any{map[string]any{"participationtypemask": 1, "x": 1}}},
			400, codePayload, "An activity party needs"},
		{"party mask", "phonecalls", map[string]any{"phonecall_activity_parties": []any{map[string]any{"participationtypemask": 0, "partyid_contact@odata.bind": jane}}},
			400, codePayload, "participationtypemask"},
		{"parties on a task", "tasks", map[string]any{"task_activity_parties": []any{}}, 400, codePayload, "Invalid property 'task_activity_parties' was found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := e.call(http.MethodPost, tc.set, tc.body)
			code, msg := errorOf(body)
			if res.StatusCode != tc.status || code != tc.code || !strings.Contains(msg, tc.msg) {
				t.Fatalf("%d %s %q", res.StatusCode, code, msg)
			}
		})
	}
	res, body := e.call(http.MethodPost, "contacts", []any{1})
	if code, _ := errorOf(body); res.StatusCode != 400 || code != codePayload {
		t.Fatalf("array body: %d %v", res.StatusCode, body)
	}
}

func TestActivityStates(t *testing.T) {
	e := start(t, Options{})
	jane := e.s.Records("contact")[0]["contactid"].(string)
	id := "0a01ae5a-cfa0-50fb-8a25-f86c80620e07"
	res, body := e.call(http.MethodPost, "phonecalls", map[string]any{"activityid": id, "subject": "Inbound call", "directioncode": false,
		"regardingobjectid_contact_phonecall@odata.bind": "/contacts(" + jane + ")",
		"phonecall_activity_parties": []any{
			map[string]any{"partyid_contact@odata.bind": "/contacts(" + jane + ")", "participationtypemask": 1},
			map[string]any{"partyid_systemuser@odata.bind": "/systemusers(" + e.s.UserID() + ")", "participationtypemask": 2}}})
	if res.StatusCode != 204 {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	if p := e.s.Parties(id); len(p) != 2 || p[0] != (Party{Entity: "contact", ID: jane, Mask: 1}) {
		t.Fatalf("parties %+v", p)
	}
	row := e.s.Record("phonecall", id)
	if row["activitytypecode"] != "phonecall" || row["_regardingobjectid_value"] != jane || row["statecode"] != 0.0 {
		t.Fatalf("%v", row)
	}
	res, body = e.call(http.MethodPatch, "phonecalls("+id+")", map[string]any{"statecode": 1, "statuscode": 1}, "If-Match", "*")
	if code, msg := errorOf(body); res.StatusCode != 400 || code != codeState ||
		msg != "1 is not a valid status code for state code PhoneCallState.Completed on phonecall with Id "+id+"." {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	if res, _ = e.call(http.MethodPatch, "phonecalls("+id+")", map[string]any{"statecode": 1, "statuscode": 4}, "If-Match", "*"); res.StatusCode != 204 {
		t.Fatalf("complete: %d", res.StatusCode)
	}
	res, body = e.call(http.MethodPatch, "phonecalls("+id+")", map[string]any{"subject": "Edited"}, "If-Match", "*")
	if code, _ := errorOf(body); res.StatusCode != 400 || code != codeInactive {
		t.Fatalf("edit of a completed call: %d %v", res.StatusCode, body)
	}
	// Only a status: the state follows.
	if res, _ = e.call(http.MethodPatch, "phonecalls("+id+")", map[string]any{"statuscode": 1}, "If-Match", "*"); res.StatusCode != 204 ||
		e.s.Record("phonecall", id)["statecode"] != 0.0 {
		t.Fatalf("reopen: %d %v", res.StatusCode, e.s.Record("phonecall", id))
	}
}

func TestWhoAmIAndDemo(t *testing.T) {
	e := start(t, Options{})
	res, body := e.call(http.MethodGet, "WhoAmI", nil)
	if res.StatusCode != 200 || body["UserId"] != e.s.UserID() || body["BusinessUnitId"] == nil || body["OrganizationId"] == nil {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	if res, _ := e.call(http.MethodPost, "WhoAmI", map[string]any{}); res.StatusCode != 404 {
		t.Fatalf("POST WhoAmI: %d", res.StatusCode)
	}
	res, body = e.get("contacts", "$select=fullname,telephone1&"+filterQuery("telephone1 eq '"+crmtest.JanePhone+"'"))
	if rows := values(body); res.StatusCode != 200 || len(rows) != 1 || rows[0]["fullname"] != crmtest.JaneFirst+" "+crmtest.JaneLast {
		t.Fatalf("%d %v", res.StatusCode, body)
	}
	res, body = e.get("incidents", "$select=title&$orderby=modifiedon%20desc&"+filterQuery("statecode eq 0"))
	if rows := values(body); res.StatusCode != 200 || len(rows) != 1 || rows[0]["title"] != crmtest.JaneCase {
		t.Fatalf("open cases: %d %v", res.StatusCode, body)
	}
	if New(Options{Empty: true}).Records("contact") != nil {
		t.Fatal("empty sandbox holds contacts")
	}
	if New(Options{}).Add("nosuch", nil) != "" || New(Options{}).Add("contact", map[string]any{"nosuch": 1}) != "" {
		t.Fatal("Add accepted an unknown table or column")
	}
}
