package kustomer

import (
	"net/url"
	"sync"
	"testing"
	"time"
)

// Search lags by Options.IndexLag (new customers, and changes, appear only
// after it); reads by id, the externalId lookups, the company list filtered
// by externalId and a conversation's notes do not.
func TestSearchLagsLookupsDoNot(t *testing.T) {
	var mu sync.Mutex
	clock := fixedNow
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); clock = clock.Add(d) }
	s, c := start(t, Options{IndexLag: time.Minute, Now: now})
	search := func(email string) int {
		t.Helper()
		status, body := c.do("POST", "/v1/customers/search", `{"and":[{"customer_email":{"equals":"`+email+`"}}]}`)
		if status != 200 {
			t.Fatalf("search %d %v", status, body)
		}
		return len(list(body))
	}
	status, body := c.do("POST", "/v1/customers", `{"name":"Lag Tester","emails":[{"email":"lag@example.com"}],"externalId":"job-1"}`)
	if status != 201 {
		t.Fatalf("%d %v", status, body)
	}
	id := data(body)["id"].(string)
	if n := search("lag@example.com"); n != 0 {
		t.Fatalf("a new customer found by search within the lag: %d", n)
	}
	for _, path := range []string{"/v1/customers/" + id, "/v1/customers/externalId=job-1", "/v1/customers/email=lag@example.com"} {
		if status, body := c.do("GET", path, ""); status != 200 || data(body)["id"] != id {
			t.Fatalf("%s: %d %v", path, status, body)
		}
	}
	// The demo data is indexed already; a change to Jane is not, yet.
	jane := s.IDs("customer")[0]
	if status, _ := c.do("PATCH", "/v1/customers/"+jane, `{"emails":[{"email":"jane.new@example.com"}]}`); status != 200 {
		t.Fatal(status)
	}
	if search("jane.doe@example.com") != 1 || search("jane.new@example.com") != 0 {
		t.Fatal("search saw a change within the lag")
	}
	advance(time.Minute)
	if search("lag@example.com") != 1 || search("jane.doe@example.com") != 0 || search("jane.new@example.com") != 1 {
		t.Fatal("search does not see the writes after the lag")
	}
	// SetIndexLag 0: what is written from now on is searchable at once.
	s.SetIndexLag(0)
	if status, _ := c.do("POST", "/v1/customers", `{"name":"Now","emails":[{"email":"now@example.com"}]}`); status != 201 {
		t.Fatal(status)
	}
	if search("now@example.com") != 1 {
		t.Fatal("lag 0 still lags")
	}
}

// GET /v1/companies takes externalId (exact) or filter (the name); both
// together are ignored, as the reference says.
func TestCompanyListFilter(t *testing.T) {
	_, c := start(t, Options{})
	status, body := c.do("POST", "/v1/companies", `{"name":"Initech","externalId":"job-7"}`)
	if status != 201 {
		t.Fatalf("%d %v", status, body)
	}
	id := data(body)["id"].(string)
	_, all := c.do("GET", "/v1/companies", "")
	for q, want := range map[string]int{
		"externalId=job-7":                       1,
		"externalId=job-8":                       0,
		"filter=initech":                         1,
		"externalId=job-8&filter=zzz":            len(list(all)),
		"externalId=" + url.QueryEscape("a b&c"): 0,
	} {
		status, body := c.do("GET", "/v1/companies?"+q, "")
		if status != 200 || len(list(body)) != want {
			t.Errorf("%s: %d %d records, want %d", q, status, len(list(body)), want)
		}
		if want == 1 && list(body)[0]["id"] != id {
			t.Errorf("%s: %v", q, list(body))
		}
	}
}

// GET /v1/conversations/{id}/notes lists the conversation's notes, paged.
func TestConversationNotes(t *testing.T) {
	s, c := start(t, Options{PageSize: 1})
	conv := s.IDs("conversation")[0]
	for _, b := range []string{`{"body":"one","externalId":"n1"}`, `{"body":"two","externalId":"n2"}`} {
		if status, body := c.do("POST", "/v1/conversations/"+conv+"/notes", b); status != 201 {
			t.Fatalf("%d %v", status, body)
		}
	}
	status, body := c.do("GET", "/v1/conversations/"+conv+"/notes", "")
	next, _ := body["links"].(map[string]any)["next"].(string)
	if status != 200 || len(list(body)) != 1 || attr(list(body)[0], "externalId") != "n1" || next == "" {
		t.Fatalf("%d %v", status, body)
	}
	status, body = c.do("GET", next, "")
	if status != 200 || len(list(body)) != 1 || attr(list(body)[0], "externalId") != "n2" || body["links"].(map[string]any)["next"] != nil {
		t.Fatalf("%d %v", status, body)
	}
	status, body = c.do("GET", "/v1/conversations/5f3a1c2b0000000000000000/notes", "")
	wantError(t, status, body, 404, "not_found", "not found")
}
