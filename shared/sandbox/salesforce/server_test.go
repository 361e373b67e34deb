package salesforce

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

// org is a sandbox on a test server with a session already open.
type org struct {
	t     *testing.T
	s     *Server
	url   string
	token string
}

func newOrg(t *testing.T, opts Options) *org {
	t.Helper()
	opts.ClientID, opts.ClientSecret = "cid", "secret"
	s := New(opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	o := &org{t: t, s: s, url: srv.URL}
	status, body := o.form(url.Values{"grant_type": {"client_credentials"}, "client_id": {"cid"}, "client_secret": {"secret"}})
	if status != 200 {
		t.Fatalf("token: %d %s", status, body)
	}
	var tr map[string]string
	if err := json.Unmarshal(body, &tr); err != nil {
		t.Fatal(err)
	}
	o.token = tr["access_token"]
	return o
}

func (o *org) form(v url.Values) (int, []byte) {
	o.t.Helper()
	resp, err := http.Post(o.url+"/services/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// call sends an API request and decodes a JSON answer into out (when given).
func (o *org) call(method, path string, body any, out any) (int, http.Header) {
	o.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, o.url+path, r)
	if o.token != "" {
		req.Header.Set("Authorization", "Bearer "+o.token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			o.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return resp.StatusCode, resp.Header
}

type errorList []struct {
	Message   string   `json:"message"`
	ErrorCode string   `json:"errorCode"`
	Fields    []string `json:"fields"`
}

func (o *org) wantError(method, path string, body any, status int, code string) errorList {
	o.t.Helper()
	var errs errorList
	got, _ := o.call(method, path, body, &errs)
	if got != status || len(errs) != 1 || errs[0].ErrorCode != code {
		o.t.Fatalf("%s %s: got %d %+v, want %d %s", method, path, got, errs, status, code)
	}
	return errs
}

const v = "/services/data/v62.0"

func TestSessionRequired(t *testing.T) {
	o := newOrg(t, Options{})
	o.token = ""
	var errs errorList
	status, h := o.call("GET", v+"/query?q=SELECT+Id+FROM+Contact", nil, &errs)
	if status != 401 || h.Get("WWW-Authenticate") != "Token" || errs[0].ErrorCode != "INVALID_SESSION_ID" || errs[0].Message != "Session expired or invalid" {
		t.Fatalf("%d %v %+v", status, h, errs)
	}
	o.token = "00DDn0000000001!forged"
	o.wantError("GET", v+"/sobjects/Contact", nil, 401, "INVALID_SESSION_ID")
}

func TestExpireTokens(t *testing.T) {
	o := newOrg(t, Options{})
	o.s.ExpireTokens()
	o.wantError("GET", v+"/query?q=SELECT+Id+FROM+Contact", nil, 401, "INVALID_SESSION_ID")
	if o.s.TokenRequests() != 1 {
		t.Fatalf("token requests %d", o.s.TokenRequests())
	}
}

func TestQueryPagination(t *testing.T) {
	o := newOrg(t, Options{BatchSize: 2})
	type page struct {
		TotalSize      int              `json:"totalSize"`
		Done           bool             `json:"done"`
		NextRecordsURL string           `json:"nextRecordsUrl"`
		Records        []map[string]any `json:"records"`
	}
	var p page
	o.call("GET", v+"/query?q="+url.QueryEscape("SELECT Id, Name FROM Contact ORDER BY Name"), nil, &p)
	var names []string
	pages := 0
	for {
		pages++
		for _, r := range p.Records {
			names = append(names, r["Name"].(string))
			if r["attributes"].(map[string]any)["type"] != "Contact" {
				t.Fatalf("attributes: %v", r)
			}
		}
		if p.Done {
			if p.NextRecordsURL != "" {
				t.Fatal("last page names a next page")
			}
			break
		}
		next := p.NextRecordsURL
		p = page{}
		o.call("GET", next, nil, &p)
	}
	if p.TotalSize != 3 || pages != 2 || strings.Join(names, ",") != "Jane Doe,John Roe,Maria Garcia" {
		t.Fatalf("total %d pages %d names %v", p.TotalSize, pages, names)
	}
	o.wantError("GET", v+"/query/01gDn0000000009-2", nil, 400, "INVALID_QUERY_LOCATOR")
}

func TestQueryErrors(t *testing.T) {
	o := newOrg(t, Options{})
	q := func(s string) string { return v + "/query?q=" + url.QueryEscape(s) }
	o.wantError("GET", q("SELECT Id FROM Contact WHERE Name = 'x"), nil, 400, "MALFORMED_QUERY")
	o.wantError("GET", q("SELECT Nope FROM Contact"), nil, 400, "INVALID_FIELD")
	o.wantError("GET", q("SELECT Id FROM Nope"), nil, 400, "INVALID_TYPE")
	o.wantError("GET", v+"/query", nil, 400, "MALFORMED_QUERY")
	o.wantError("GET", v+"/search/?q="+url.QueryEscape("FIND {415-555-0100}"), nil, 400, "MALFORMED_SEARCH")
	o.wantError("POST", q("SELECT Id FROM Contact"), nil, 405, "METHOD_NOT_ALLOWED")
	o.wantError("GET", "/services/data/v9.0/query?q=x", nil, 404, "NOT_FOUND")
}

func TestCreateValidation(t *testing.T) {
	o := newOrg(t, Options{})
	errs := o.wantError("POST", v+"/sobjects/Contact", map[string]any{"FirstName": "No"}, 400, "REQUIRED_FIELD_MISSING")
	if errs[0].Message != "Required fields are missing: [LastName]" || errs[0].Fields[0] != "LastName" {
		t.Fatalf("%+v", errs)
	}
	o.wantError("POST", v+"/sobjects/Opportunity", map[string]any{"Name": "x"}, 400, "REQUIRED_FIELD_MISSING")
	o.wantError("POST", v+"/sobjects/Lead", map[string]any{"LastName": "x"}, 400, "REQUIRED_FIELD_MISSING")
	o.wantError("POST", v+"/sobjects/Contact", map[string]any{"LastName": "x", "Nope": 1}, 400, "INVALID_FIELD")
	errs = o.wantError("POST", v+"/sobjects/Contact", map[string]any{"LastName": "x", "Id": "003Dn0000000001"}, 400, "INVALID_FIELD")
	if errs[0].Message != "The Id field should not be specified in the sobject data." {
		t.Fatal(errs[0].Message)
	}
	o.wantError("POST", v+"/sobjects/Contact", map[string]any{"LastName": "x", "Name": "y"}, 400, "INVALID_FIELD_FOR_INSERT_UPDATE")
	o.wantError("POST", v+"/sobjects/Contact", map[string]any{"LastName": "x", "DoNotCall": "yes"}, 400, "JSON_PARSER_ERROR")
	o.wantError("POST", v+"/sobjects/Contact", map[string]any{"LastName": "x", "AccountId": "bad"}, 400, "MALFORMED_ID")
	o.wantError("POST", v+"/sobjects/Contact", map[string]any{"LastName": "x", "AccountId": "001Dn0000000zzz"}, 400, "INVALID_CROSS_REFERENCE_KEY")
	o.wantError("POST", v+"/sobjects/Task", map[string]any{"CallType": "Sideways"}, 400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
	o.wantError("POST", v+"/sobjects/Task", map[string]any{"Subject": strings.Repeat("x", 256)}, 400, "STRING_TOO_LONG")
	o.wantError("POST", v+"/sobjects/Nope", map[string]any{"Name": "x"}, 404, "NOT_FOUND")
	o.wantError("POST", v+"/sobjects/User", map[string]any{"LastName": "x"}, 404, "NOT_FOUND")
	o.wantError("POST", v+"/sobjects/Contact", []any{1}, 400, "JSON_PARSER_ERROR")
}

func TestCreateReadUpdate(t *testing.T) {
	o := newOrg(t, Options{})
	var created struct {
		ID      string `json:"id"`
		Success bool   `json:"success"`
		Errors  []any  `json:"errors"`
	}
	status, _ := o.call("POST", v+"/sobjects/Case", map[string]any{"Subject": "Paper jam"}, &created)
	if status != 201 || !created.Success || len(created.ID) != 18 || !strings.HasPrefix(created.ID, "500") || created.Errors == nil {
		t.Fatalf("%d %+v", status, created)
	}
	if id, ok := canonicalID(created.ID[:15]); !ok || id != created.ID {
		t.Fatalf("15-character form %s does not round-trip to %s", created.ID[:15], id)
	}
	if status, _ := o.call("PATCH", v+"/sobjects/Case/"+created.ID[:15], map[string]any{"Status": "Closed"}, nil); status != 204 {
		t.Fatalf("patch %d", status)
	}
	var rec map[string]any
	o.call("GET", v+"/sobjects/Case/"+created.ID+"?fields=Subject,IsClosed,CaseNumber", nil, &rec)
	if rec["Subject"] != "Paper jam" || rec["IsClosed"] != true || rec["CaseNumber"] == nil || rec["Id"] != created.ID {
		t.Fatalf("%v", rec)
	}
	o.wantError("GET", v+"/sobjects/Case/"+created.ID+"?fields=Nope", nil, 400, "INVALID_FIELD")
	o.wantError("GET", v+"/sobjects/Contact/"+created.ID, nil, 404, "NOT_FOUND")
	o.wantError("GET", v+"/sobjects/Case/500Dn0000009999", nil, 404, "NOT_FOUND")
	o.wantError("GET", v+"/sobjects/Case/nope", nil, 404, "NOT_FOUND")
	o.wantError("PATCH", v+"/sobjects/Case/"+created.ID, map[string]any{"Id": created.ID}, 400, "INVALID_FIELD")
	o.wantError("DELETE", v+"/sobjects/Case/"+created.ID, nil, 405, "METHOD_NOT_ALLOWED")
}

func TestCustomObject(t *testing.T) {
	o := newOrg(t, Options{})
	var created struct {
		ID string `json:"id"`
	}
	if status, _ := o.call("POST", v+"/sobjects/Invoice__c", map[string]any{"Name": "INV-1", "Amount__c": 12.5}, &created); status != 201 || !strings.HasPrefix(created.ID, "a0") {
		t.Fatalf("%d %+v", status, created)
	}
	var page struct {
		Records []map[string]any `json:"records"`
	}
	o.call("GET", v+"/query?q="+url.QueryEscape("SELECT Id, Amount__c FROM Invoice__c WHERE Name = 'INV-1'"), nil, &page)
	if len(page.Records) != 1 || page.Records[0]["Amount__c"] != 12.5 {
		t.Fatalf("%+v", page)
	}
	if got := o.s.Records("Invoice__c"); len(got) != 1 || got[0]["Name"] != "INV-1" {
		t.Fatalf("Records: %v", got)
	}
}

func TestDemoFixture(t *testing.T) {
	s := New(Options{})
	var jane map[string]any
	for _, c := range s.Records("Contact") {
		if c["Email"] == crmtest.JaneEmail {
			jane = c
		}
	}
	if jane == nil || jane["Phone"] != crmtest.JanePhone || jane["Name"] != "Jane Doe" {
		t.Fatalf("Jane: %v", jane)
	}
	open, closed := 0, 0
	for _, c := range s.Records("Case") {
		if c["ContactId"] != jane["Id"] {
			continue
		}
		if c["IsClosed"] == true {
			closed++
		} else if c["Subject"] == crmtest.JaneCase {
			open++
		}
	}
	if open != 1 || closed != 1 {
		t.Fatalf("Jane's cases: open %d closed %d", open, closed)
	}
	if len(s.Records("Lead")) == 0 || len(s.Records("Account")) < 2 {
		t.Fatal("demo leads and accounts missing")
	}
	if len(New(Options{Empty: true}).Records("Contact")) != 0 {
		t.Fatal("Empty org has contacts")
	}
}
