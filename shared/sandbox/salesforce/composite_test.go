package salesforce

import (
	"net/http"
	"net/url"
	"testing"
)

type compositeAnswer struct {
	CompositeResponse []struct {
		Body           any    `json:"body"`
		HTTPStatusCode int    `json:"httpStatusCode"`
		ReferenceID    string `json:"referenceId"`
	} `json:"compositeResponse"`
}

func queryURL(soql string) string {
	return "/services/data/v62.0/query/?" + url.Values{"q": {soql}}.Encode()
}

// TestCompositeReference: a later subrequest reads an earlier one's answer;
// the whole request is one call.
func TestCompositeReference(t *testing.T) {
	o := newOrg(t, Options{})
	o.s.ResetCalls()
	var ans compositeAnswer
	status, _ := o.call(http.MethodPost, "/services/data/v62.0/composite", map[string]any{"compositeRequest": []map[string]any{
		{"method": "GET", "referenceId": "jane", "url": queryURL("SELECT Id FROM Contact WHERE Email = 'jane.doe@example.com'")},
		{"method": "GET", "referenceId": "cases", "url": "/services/data/v62.0/query/?q=SELECT+Subject+FROM+Case+WHERE+ContactId+%3D+%27@{jane.records[0].Id}%27"},
	}}, &ans)
	if status != 200 || len(ans.CompositeResponse) != 2 || ans.CompositeResponse[1].HTTPStatusCode != 200 {
		t.Fatalf("%d %+v", status, ans)
	}
	recs := ans.CompositeResponse[1].Body.(map[string]any)["records"].([]any)
	if len(recs) == 0 {
		t.Fatalf("Jane's cases not found: %+v", ans)
	}
	if n := o.s.TotalCalls(); n != 1 {
		t.Fatalf("%d calls, want 1", n)
	}
}

// TestCompositeUnresolvedReference: records[0] of an empty answer names
// nothing; with allOrNone false that subrequest alone fails.
func TestCompositeUnresolvedReference(t *testing.T) {
	o := newOrg(t, Options{})
	var ans compositeAnswer
	o.call(http.MethodPost, "/services/data/v62.0/composite", map[string]any{"compositeRequest": []map[string]any{
		{"method": "GET", "referenceId": "nobody", "url": queryURL("SELECT Id FROM Contact WHERE Email = 'nobody@example.com'")},
		{"method": "GET", "referenceId": "cases", "url": "/services/data/v62.0/query/?q=SELECT+Id+FROM+Case+WHERE+ContactId+%3D+%27@{nobody.records[0].Id}%27"},
		{"method": "GET", "referenceId": "other", "url": queryURL("SELECT Id FROM Lead LIMIT 1")},
	}}, &ans)
	r := ans.CompositeResponse
	if len(r) != 3 || r[0].HTTPStatusCode != 200 || r[1].HTTPStatusCode != 400 || r[2].HTTPStatusCode != 200 {
		t.Fatalf("%+v", ans)
	}
	if code := r[1].Body.([]any)[0].(map[string]any)["errorCode"]; code != "PROCESSING_HALTED" {
		t.Fatalf("%+v", r[1])
	}
}

// TestCompositeAllOrNone: a failure rolls back what was written before it.
func TestCompositeAllOrNone(t *testing.T) {
	o := newOrg(t, Options{})
	before := len(o.s.Records("Account"))
	var ans compositeAnswer
	o.call(http.MethodPost, "/services/data/v62.0/composite", map[string]any{"allOrNone": true, "compositeRequest": []map[string]any{
		{"method": "POST", "referenceId": "acct", "url": "/services/data/v62.0/sobjects/Account", "body": map[string]any{"Name": "Rolled back"}},
		{"method": "POST", "referenceId": "bad", "url": "/services/data/v62.0/sobjects/Contact", "body": map[string]any{"AccountId": "@{acct.id}"}},
	}}, &ans)
	r := ans.CompositeResponse
	if len(r) != 2 || r[0].HTTPStatusCode != 400 || r[1].HTTPStatusCode != 400 {
		t.Fatalf("%+v", ans)
	}
	if code := r[0].Body.([]any)[0].(map[string]any)["errorCode"]; code != "PROCESSING_HALTED" {
		t.Fatalf("%+v", r[0])
	}
	if n := len(o.s.Records("Account")); n != before {
		t.Fatalf("%d accounts, want %d (rolled back)", n, before)
	}
}

// TestCompositeRefused: a request without referenceIds is refused whole.
func TestCompositeRefused(t *testing.T) {
	o := newOrg(t, Options{})
	o.wantError(http.MethodPost, "/services/data/v62.0/composite", map[string]any{"compositeRequest": []map[string]any{
		{"method": "GET", "url": queryURL("SELECT Id FROM Lead")}}}, 400, "JSON_PARSER_ERROR")
}
