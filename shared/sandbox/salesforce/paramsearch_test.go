package salesforce

import (
	"net/url"
	"slices"
	"testing"

	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/sandbox"
)

// searchResult is the answer of a parameterized search.
type searchResult struct {
	SearchRecords []map[string]any `json:"searchRecords"`
}

func (o *org) paramSearchGet(params url.Values) searchResult {
	o.t.Helper()
	var res searchResult
	path := v + "/parameterizedSearch/?" + params.Encode()
	if status, _ := o.call("GET", path, nil, &res); status != 200 {
		o.t.Fatalf("GET %s: %d", path, status)
	}
	return res
}

func (o *org) paramSearchPost(body any) searchResult {
	o.t.Helper()
	var res searchResult
	if status, _ := o.call("POST", v+"/parameterizedSearch/", body, &res); status != 200 {
		o.t.Fatalf("POST %v: %d", body, status)
	}
	return res
}

// names lists the records' Name fields ("" where absent).
func (r searchResult) names() []string {
	var out []string
	for _, rec := range r.SearchRecords {
		n, _ := rec["Name"].(string)
		out = append(out, n)
	}
	return out
}

func (r searchResult) types() []string {
	var out []string
	for _, rec := range r.SearchRecords {
		a, _ := rec["attributes"].(map[string]any)
		typ, _ := a["type"].(string)
		out = append(out, typ)
	}
	return out
}

func TestParamSearchGetPhone(t *testing.T) {
	o := newOrg(t, Options{})
	for _, q := range []string{crmtest.JaneANI, crmtest.JanePhone, "4155550100", `"415 555 0100"`} {
		res := o.paramSearchGet(url.Values{"q": {q}, "in": {"PHONE"}, "sobject": {"Contact", "Lead"},
			"Contact.fields": {"Id,Name,Phone"}, "Lead.fields": {"Id,Name"}})
		if !slices.Equal(res.names(), []string{"Jane Doe"}) {
			t.Fatalf("q=%s: %+v", q, res.SearchRecords)
		}
		rec := res.SearchRecords[0]
		attrs := rec["attributes"].(map[string]any)
		id, _ := rec["Id"].(string)
		if attrs["type"] != "Contact" || attrs["url"] != v+"/sobjects/Contact/"+id || rec["Phone"] != crmtest.JanePhone || len(rec) != 4 {
			t.Fatalf("q=%s: record %+v", q, rec)
		}
	}
	// IN PHONE does not look at names or emails.
	if res := o.paramSearchGet(url.Values{"q": {"jane"}, "in": {"phone"}, "sobject": {"Contact"}}); len(res.SearchRecords) != 0 {
		t.Fatalf("name found in phone fields: %+v", res.SearchRecords)
	}
	// A number nobody has.
	if res := o.paramSearchGet(url.Values{"q": {"+12125550000"}, "in": {"PHONE"}}); len(res.SearchRecords) != 0 {
		t.Fatalf("unknown number: %+v", res.SearchRecords)
	}
}

func TestParamSearchGetFieldsAndLimits(t *testing.T) {
	o := newOrg(t, Options{})
	// The documented example: sobject-level fields and limit, lower-case field names.
	res := o.paramSearchGet(url.Values{"q": {"Acme"}, "sobject": {"Account"}, "Account.fields": {"id,name"}, "Account.limit": {"10"}})
	if !slices.Equal(res.names(), []string{"Acme Corporation"}) {
		t.Fatalf("Acme: %+v", res.SearchRecords)
	}
	if rec := res.SearchRecords[0]; len(rec) != 3 || rec["Id"] == nil {
		t.Fatalf("want attributes, Id and Name: %+v", rec)
	}

	// Without fields, records carry their Id only.
	res = o.paramSearchGet(url.Values{"q": {"Acme"}, "sobject": {"Account"}})
	if len(res.SearchRecords) != 1 || len(res.SearchRecords[0]) != 2 || res.SearchRecords[0]["Id"] == nil {
		t.Fatalf("ids only: %+v", res.SearchRecords)
	}

	// Without sobject, every searchable object is searched, ids only.
	res = o.paramSearchGet(url.Values{"q": {"acme"}})
	if !slices.Contains(res.types(), "Account") || !slices.Contains(res.types(), "Opportunity") {
		t.Fatalf("global search: %v", res.types())
	}
	for _, rec := range res.SearchRecords {
		if len(rec) != 2 {
			t.Fatalf("global search returns ids only: %+v", rec)
		}
	}

	// Global fields apply to sobjects without their own.
	res = o.paramSearchGet(url.Values{"q": {"example"}, "fields": {"Id,Name"}, "sobject": {"Account", "Contact"},
		"Contact.fields": {"Id,Email"}, "in": {"ALL"}})
	if got := res.types(); !slices.Equal(got, []string{"Account", "Contact", "Contact", "Contact"}) {
		t.Fatalf("types %v", got)
	}
	if res.SearchRecords[0]["Name"] != "Acme Corporation" || res.SearchRecords[1]["Email"] == nil || res.SearchRecords[1]["Name"] != nil {
		t.Fatalf("fields: %+v", res.SearchRecords)
	}

	// Limits: per sobject, its default, and overall.
	contactsAndAccount := url.Values{"q": {"example"}, "sobject": {"Contact", "Account"}, "fields": {"Name"}}
	with := func(extra url.Values) url.Values {
		p := url.Values{}
		for k, vs := range contactsAndAccount {
			p[k] = vs
		}
		for k, vs := range extra {
			p[k] = vs
		}
		return p
	}
	if got := o.paramSearchGet(with(url.Values{"Contact.limit": {"1"}})).names(); !slices.Equal(got, []string{"Jane Doe", "Acme Corporation"}) {
		t.Fatalf("Contact.limit: %q", got)
	}
	if got := o.paramSearchGet(with(url.Values{"defaultLimit": {"1"}, "Account.limit": {"5"}})).names(); !slices.Equal(got, []string{"Jane Doe", "Acme Corporation"}) {
		t.Fatalf("defaultLimit: %q", got)
	}
	if got := o.paramSearchGet(with(url.Values{"overallLimit": {"2"}})).names(); !slices.Equal(got, []string{"Jane Doe", "John Roe"}) {
		t.Fatalf("overallLimit: %q", got)
	}

	// where, orderBy (with parameterized search's NULLS_LAST spelling) and offset.
	res = o.paramSearchGet(url.Values{"q": {"example"}, "sobject": {"Contact"}, "Contact.fields": {"Name"},
		"Contact.where": {"Title = 'Facilities Lead'"}})
	if !slices.Equal(res.names(), []string{"John Roe"}) {
		t.Fatalf("where: %q", res.names())
	}
	res = o.paramSearchGet(url.Values{"q": {"example"}, "sobject": {"Contact"}, "Contact.fields": {"Name"},
		"Contact.orderBy": {"LastName DESC NULLS_LAST"}})
	if !slices.Equal(res.names(), []string{"John Roe", "Maria Garcia", "Jane Doe"}) {
		t.Fatalf("orderBy: %q", res.names())
	}
	res = o.paramSearchGet(url.Values{"q": {"example"}, "sobject": {"Contact"}, "Contact.fields": {"Name"}, "offset": {"1"}})
	if !slices.Equal(res.names(), []string{"John Roe", "Maria Garcia"}) {
		t.Fatalf("offset: %q", res.names())
	}
}

func TestParamSearchPost(t *testing.T) {
	o := newOrg(t, Options{})
	res := o.paramSearchPost(map[string]any{
		"q":        crmtest.JaneANI,
		"in":       "PHONE",
		"fields":   []string{"Id", "Name"},
		"sobjects": []map[string]any{{"name": "Contact", "fields": []string{"Id", "Name", "Phone", "Email"}}, {"name": "Lead"}},
	})
	if !slices.Equal(res.names(), []string{"Jane Doe"}) || res.SearchRecords[0]["Email"] != crmtest.JaneEmail {
		t.Fatalf("phone: %+v", res.SearchRecords)
	}

	// Limits as numbers or as the strings the documentation types them as.
	for _, limit := range []any{1, "1"} {
		res = o.paramSearchPost(map[string]any{"q": "example", "fields": []string{"Name"},
			"sobjects": []map[string]any{{"name": "Contact", "limit": limit}, {"name": "Account"}}})
		if got := res.names(); !slices.Equal(got, []string{"Jane Doe", "Acme Corporation"}) {
			t.Fatalf("limit %v: %q", limit, got)
		}
	}
	res = o.paramSearchPost(map[string]any{"q": "example", "fields": []string{"Name"}, "overallLimit": "1", "defaultLimit": 5,
		"sobjects": []map[string]any{{"name": "Account"}, {"name": "Contact"}}})
	if got := res.names(); !slices.Equal(got, []string{"Acme Corporation"}) {
		t.Fatalf("overallLimit: %q", got)
	}
	res = o.paramSearchPost(map[string]any{"q": "example",
		"sobjects": []map[string]any{{"name": "Contact", "fields": []string{"Id", "Name"}, "where": "LastName != 'Doe'", "orderBy": "LastName DESC Nulls_last"}}})
	if got := res.names(); !slices.Equal(got, []string{"John Roe", "Maria Garcia"}) {
		t.Fatalf("where: %q", got)
	}
}

func TestParamSearchErrors(t *testing.T) {
	o := newOrg(t, Options{})
	p := v + "/parameterizedSearch/"
	errs := o.wantError("GET", p, nil, 400, "MALFORMED_SEARCH")
	if errs[0].Message == "" {
		t.Fatal("error without a message")
	}
	o.wantError("GET", p+"?q=+&sobject=Account", nil, 400, "MALFORMED_SEARCH")
	o.wantError("POST", p, map[string]any{"sobjects": []map[string]any{{"name": "Account"}}}, 400, "MALFORMED_SEARCH")
	o.wantError("POST", p, []string{"acme"}, 400, "JSON_PARSER_ERROR")
	o.wantError("POST", p, map[string]any{"q": "acme", "sobjects": "Account"}, 400, "JSON_PARSER_ERROR")

	errs = o.wantError("GET", p+"?q=acme&sobject=Widget", nil, 400, "INVALID_TYPE")
	if errs[0].Message != "sObject type 'Widget' is not supported." {
		t.Fatalf("message %q", errs[0].Message)
	}
	o.wantError("POST", p, map[string]any{"q": "acme", "sobjects": []map[string]any{{"name": "Widget"}}}, 400, "INVALID_TYPE")
	o.wantError("GET", p+"?q=acme&sobject=Account&Account.fields=Id,Nope", nil, 400, "INVALID_FIELD")
	o.wantError("GET", p+"?q=acme&in=EVERYTHING", nil, 400, "MALFORMED_SEARCH")
	o.wantError("GET", p+"?q=acme&sobject=Account&Account.limit=ten", nil, 400, "MALFORMED_SEARCH")
	o.wantError("GET", p+"?q=acme&overallLimit=-1", nil, 400, "MALFORMED_SEARCH")
	o.wantError("GET", p+"?q=acme&offset=1&sobject=Account&sobject=Contact", nil, 400, "MALFORMED_SEARCH")
	o.wantError("GET", p+"?q=a", nil, 400, "MALFORMED_SEARCH")
	o.wantError("DELETE", p+"?q=acme", nil, 405, "METHOD_NOT_ALLOWED")

	o.token = ""
	var list errorList
	status, h := o.call("GET", p+"?q=acme", nil, &list)
	if status != 401 || h.Get("WWW-Authenticate") != "Token" || len(list) != 1 || list[0].ErrorCode != "INVALID_SESSION_ID" {
		t.Fatalf("no token: %d %v %+v", status, h, list)
	}
	o.wantError("POST", p, map[string]any{"q": "acme"}, 401, "INVALID_SESSION_ID")
}

func TestParamSearchControls(t *testing.T) {
	o := newOrg(t, Options{})
	p := v + "/parameterizedSearch/"
	o.paramSearchGet(url.Values{"q": {"acme"}})
	o.paramSearchPost(map[string]any{"q": "acme"})
	if o.s.Calls("GET "+p) != 1 || o.s.Calls("POST "+p) != 1 {
		t.Fatalf("calls GET %d POST %d", o.s.Calls("GET "+p), o.s.Calls("POST "+p))
	}
	o.s.Inject(sandbox.Fault{Match: p, Times: 1, Status: 403,
		Body: `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`})
	o.wantError("GET", p+"?q=acme", nil, 403, "REQUEST_LIMIT_EXCEEDED")
	o.paramSearchGet(url.Values{"q": {"acme"}})
}
