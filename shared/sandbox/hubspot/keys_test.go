package hubspot

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox/sbtest"
)

// TestUniqueProperties: POST and GET /crm/v3/properties/{objectType}[/{name}],
// reads by ?idProperty=, and a duplicate unique value refused.
func TestUniqueProperties(t *testing.T) {
	_, c := start(t, Options{Empty: true})
	code, body := c.do("GET", "/crm/v3/properties/tickets/crmflow_key", "")
	wantError(t, code, body, http.StatusNotFound, catNotFound, "crmflow_key")
	code, body = c.do("GET", "/crm/v3/properties/tickets/groups", "")
	if code != 200 || results(body)[0]["name"] != "ticketinformation" {
		t.Fatalf("%d %v", code, body)
	}
	def := `{"name":"crmflow_key","label":"Key","type":"string","fieldType":"text","groupName":"ticketinformation","hasUniqueValue":true}`
	code, body = c.do("POST", "/crm/v3/properties/tickets", def)
	if code != http.StatusCreated || body["hasUniqueValue"] != true || body["name"] != "crmflow_key" || body["label"] != "Key" {
		t.Fatalf("%d %v", code, body)
	}
	code, body = c.do("POST", "/crm/v3/properties/tickets", def)
	wantError(t, code, body, http.StatusConflict, catConflict, "already exists")
	code, body = c.do("GET", "/crm/v3/properties/0-5/crmflow_key", "")
	if code != 200 || body["hasUniqueValue"] != true {
		t.Fatalf("%d %v", code, body)
	}
	// Notes cannot have unique values; a missing field or group is refused.
	code, body = c.do("POST", "/crm/v3/properties/notes", `{"name":"k","label":"K","type":"string","fieldType":"text","groupName":"noteinformation","hasUniqueValue":true}`)
	wantError(t, code, body, http.StatusBadRequest, catValidation, "unique")
	code, body = c.do("POST", "/crm/v3/properties/calls", `{"name":"k","label":"K","type":"string","fieldType":"text"}`)
	wantError(t, code, body, http.StatusBadRequest, catValidation, "groupName")
	code, body = c.do("POST", "/crm/v3/properties/calls", `{"name":"k","label":"K","type":"string","fieldType":"text","groupName":"nope"}`)
	wantError(t, code, body, http.StatusBadRequest, catValidation, "groupName")

	ticket := `{"properties":{"subject":"S","hs_pipeline_stage":"1","crmflow_key":"job-1"}}`
	code, created := c.do("POST", "/crm/v3/objects/tickets", ticket)
	if code != http.StatusCreated {
		t.Fatalf("%d %v", code, created)
	}
	code, body = c.do("POST", "/crm/v3/objects/tickets", ticket)
	wantError(t, code, body, http.StatusConflict, catConflict, "Existing ID: "+created["id"].(string))
	code, body = c.do("GET", "/crm/v3/objects/tickets/job-1?idProperty=crmflow_key&properties=crmflow_key", "")
	if code != 200 || body["id"] != created["id"] || prop(body, "crmflow_key") != "job-1" {
		t.Fatalf("%d %v", code, body)
	}
	code, body = c.do("GET", "/crm/v3/objects/tickets/JOB-1?idProperty=crmflow_key", "")
	wantError(t, code, body, http.StatusNotFound, catNotFound, "not found")
	code, body = c.do("GET", "/crm/v3/objects/tickets/S?idProperty=subject", "")
	wantError(t, code, body, http.StatusBadRequest, catValidation, "not a unique property")
	code, body = c.do("PATCH", "/crm/v3/objects/tickets/job-1?idProperty=crmflow_key", `{"properties":{"subject":"T"}}`)
	if code != 200 || body["id"] != created["id"] {
		t.Fatalf("%d %v", code, body)
	}
	code, body = c.do("POST", "/crm/v3/objects/tickets/batch/read", `{"idProperty":"crmflow_key","properties":["subject"],"inputs":[{"id":"job-1"},{"id":"job-2"}]}`)
	if code != http.StatusMultiStatus || len(results(body)) != 1 || prop(results(body)[0], "subject") != "T" {
		t.Fatalf("%d %v", code, body)
	}
}

// TestUniqueValueUnderConcurrency: of many creates with one key, one wins.
func TestUniqueValueUnderConcurrency(t *testing.T) {
	s, c := start(t, Options{})
	before := s.Count("calls")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sbtest.SendBearer(t, "POST", c.url+"/crm/v3/objects/calls", `{"properties":{"hs_timestamp":"2026-11-23T10:00:00Z","crmflow_key":"k"}}`, DefaultToken)
		}()
	}
	wg.Wait()
	if s.Count("calls") != before+1 {
		t.Fatalf("%d calls, want %d", s.Count("calls"), before+1)
	}
}

// TestSearchLagsKeyLookupDoesNot: with an index lag, search misses a new
// record and sees a changed one as it was; reads by id and unique value
// are immediate.
func TestSearchLagsKeyLookupDoesNot(t *testing.T) {
	now := sbtest.Start
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	s, c := start(t, Options{Now: clock, IndexLag: 5 * time.Second})
	code, created := c.do("POST", "/crm/v3/objects/calls", `{"properties":{"hs_timestamp":"2026-11-23T10:00:00Z","hs_call_title":"first","crmflow_key":"job-9"}}`)
	if code != http.StatusCreated {
		t.Fatalf("%d %v", code, created)
	}
	id := created["id"].(string)
	search := `{"filterGroups":[{"filters":[{"propertyName":"crmflow_key","operator":"EQ","value":"job-9"}]}],"properties":["hs_call_title"]}`
	if _, body := c.do("POST", "/crm/v3/objects/calls/search", search); body["total"] != float64(0) {
		t.Fatalf("search saw a new record within the lag: %v", body)
	}
	if code, body := c.do("GET", "/crm/v3/objects/calls/job-9?idProperty=crmflow_key", ""); code != 200 || body["id"] != id {
		t.Fatalf("key lookup %d %v", code, body)
	}
	if code, _ := c.do("GET", "/crm/v3/objects/calls/"+id, ""); code != 200 {
		t.Fatalf("read by id %d", code)
	}
	advance(5 * time.Second)
	if _, body := c.do("POST", "/crm/v3/objects/calls/search", search); body["total"] != float64(1) {
		t.Fatalf("search after the lag: %v", body)
	}
	c.do("PATCH", "/crm/v3/objects/calls/"+id, `{"properties":{"hs_call_title":"second"}}`)
	if _, body := c.do("POST", "/crm/v3/objects/calls/search", search); prop(results(body)[0], "hs_call_title") != "first" {
		t.Fatalf("search saw a change within the lag: %v", body)
	}
	s.SetIndexLag(0)
	advance(5 * time.Second)
	c.do("PATCH", "/crm/v3/objects/calls/"+id, `{"properties":{"hs_call_title":"third"}}`)
	if _, body := c.do("POST", "/crm/v3/objects/calls/search", search); prop(results(body)[0], "hs_call_title") != "third" {
		t.Fatalf("search at lag 0: %v", body)
	}
}
