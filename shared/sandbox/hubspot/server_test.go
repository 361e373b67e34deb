package hubspot

import (
	"fmt"
	"slices"
	"testing"

	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestAuth(t *testing.T) {
	s, c := start(t, Options{})
	status, body := c.do("GET", "/account-info/v3/details", "")
	if status != 200 || body["portalId"] != float64(DefaultPortalID) || body["uiDomain"] != "app.hubspot.com" {
		t.Fatalf("%d %v", status, body)
	}
	c.token = "pat-na1-wrong"
	status, body = c.do("GET", "/crm/v3/objects/contacts/1", "")
	wantError(t, status, body, 401, "INVALID_AUTHENTICATION", "Authentication credentials not found")
	c.token = ""
	status, body = c.do("POST", "/crm/v3/objects/contacts/search", "{}")
	wantError(t, status, body, 401, "INVALID_AUTHENTICATION", "")

	c.token = DefaultToken
	s.ExpireTokens()
	status, body = c.do("GET", "/account-info/v3/details", "")
	wantError(t, status, body, 401, "INVALID_AUTHENTICATION", "")
	s.AddToken("pat-na1-rotated")
	c.token = "pat-na1-rotated"
	if status, _ := c.do("GET", "/account-info/v3/details", ""); status != 200 || s.TokenRequests() != 0 {
		t.Fatalf("rotated token: %d", status)
	}
}

func TestCreateGetUpdate(t *testing.T) {
	s, c := start(t, Options{Empty: true})
	status, body := c.do("POST", "/crm/v3/objects/contacts",
		`{"properties":{"firstname":"Ada","lastname":"Lovelace","email":"ada@example.com","phone":"+44 20 7946 0000"}}`)
	if status != 201 || prop(body, "firstname") != "Ada" || prop(body, "createdate") != "2026-11-23T10:00:00.000Z" ||
		body["createdAt"] != "2026-11-23T10:00:00.000Z" || body["archived"] != false {
		t.Fatalf("%d %v", status, body)
	}
	id := body["id"].(string)
	if s.Count("contacts") != 1 || prop(body, "hs_object_id") != id {
		t.Fatalf("stored %d, %v", s.Count("contacts"), body)
	}
	// Requested properties come back, null when unset; unknown ones are ignored.
	status, body = c.do("GET", "/crm/v3/objects/contacts/"+id+"?properties=email,mobilephone&properties=nope", "")
	props := body["properties"].(map[string]any)
	if status != 200 || props["email"] != "ada@example.com" || props["mobilephone"] != nil {
		t.Fatalf("%d %v", status, body)
	}
	if _, has := props["nope"]; has || !hasKey(props, "mobilephone") || !hasKey(props, "lastmodifieddate") {
		t.Fatalf("properties %v", props)
	}
	status, body = c.do("PATCH", "/crm/v3/objects/0-1/"+id, `{"properties":{"jobtitle":"Analyst","phone":null}}`)
	if status != 200 || prop(body, "jobtitle") != "Analyst" {
		t.Fatalf("%d %v", status, body)
	}
	stored, _ := s.Object("contact", id)
	if stored["jobtitle"] != "Analyst" || hasKey(toAny(stored), "phone") {
		t.Fatalf("stored %v", stored)
	}
	status, body = c.do("PATCH", "/crm/v3/objects/contacts/424242", `{"properties":{"jobtitle":"x"}}`)
	wantError(t, status, body, 404, "OBJECT_NOT_FOUND", "Resource not found")
	status, body = c.do("GET", "/crm/v3/objects/contacts/424242", "")
	wantError(t, status, body, 404, "OBJECT_NOT_FOUND", "")
	status, body = c.do("GET", "/crm/v3/objects/widgets/1", "")
	wantError(t, status, body, 400, "VALIDATION_ERROR", "Unable to infer object type from: widgets")
}

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }

func toAny(m map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestCreateValidation(t *testing.T) {
	_, c := start(t, Options{})
	for _, tc := range []struct {
		path, body, text string
		status           int
		category         string
	}{
		{"/crm/v3/objects/contacts", `{"properties":{"favourite":"red"}}`, `Property \"favourite\" does not exist`, 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/contacts", `{"properties":{"email":"example.lcom"}}`, "Email address example.lcom is invalid", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/contacts", `{"properties":{"email":"jane.doe@example.com"}}`, "Contact already exists. Existing ID: ", 409, "CONFLICT"},
		{"/crm/v3/objects/contacts", `{"properties":{"hs_object_id":"5"}}`, "read only", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/contacts", `{"properties":{"firstname":{"a":1}}}`, "not a valid value", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/contacts", `{"props":{}}`, "unknown field", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/tickets", `{"properties":{"subject":"x"}}`, "hs_pipeline_stage is required", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/tickets", `{"properties":{"subject":"x","hs_pipeline_stage":"93513"}}`, "not a valid pipeline stage of pipeline 0", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/tickets", `{"properties":{"subject":"x","hs_pipeline_stage":"1","hs_ticket_priority":"high"}}`, "not one of the allowed options", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/calls", `{"properties":{"hs_call_title":"x"}}`, "hs_timestamp is required", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/calls", `{"properties":{"hs_timestamp":"yesterday"}}`, "not a valid date-time", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/calls", `{"properties":{"hs_timestamp":"1700000000000","hs_call_duration":"long"}}`, "not a valid number", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/calls", `{"properties":{"hs_timestamp":"1700000000000"},"associations":[{"to":{"id":"1"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":194}]}]}`, "no CONTACT with id 1", 400, "VALIDATION_ERROR"},
		{"/crm/v3/objects/calls", `{"properties":{"hs_timestamp":"1700000000000"},"associations":[{"to":{"id":"1"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":15}]}]}`, "not valid from CALL", 400, "VALIDATION_ERROR"},
	} {
		status, body := c.do("POST", tc.path, tc.body)
		wantError(t, status, body, tc.status, tc.category, tc.text)
	}
}

func TestCreateWithAssociationsAndNormalizedStamps(t *testing.T) {
	s, c := start(t, Options{})
	jane := s.IDs("contacts")[0]
	status, body := c.do("POST", "/crm/v3/objects/calls", fmt.Sprintf(`{"properties":{"hs_timestamp":1763892000000,`+
		`"hs_call_duration":125000,"hs_call_direction":"INBOUND"},"associations":[{"to":{"id":%s},"types":`+
		`[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":194}]}]}`, jane))
	if status != 201 || prop(body, "hs_timestamp") != "2025-11-23T10:00:00.000Z" || prop(body, "hs_call_duration") != "125000" {
		t.Fatalf("%d %v", status, body)
	}
	call := body["id"].(string)
	if !slices.Contains(s.Associations("contacts", jane, "calls"), call) {
		t.Fatal("reverse association missing")
	}
}

func TestBatchRead(t *testing.T) {
	s, c := start(t, Options{})
	ids := s.IDs("tickets")
	status, body := c.do("POST", "/crm/v3/objects/tickets/batch/read",
		fmt.Sprintf(`{"properties":["subject"],"inputs":[{"id":"%s"},{"id":"%s"}]}`, ids[0], ids[1]))
	if status != 200 || len(results(body)) != 2 || body["status"] != "COMPLETE" || hasKey(body, "errors") {
		t.Fatalf("%d %v", status, body)
	}
	status, body = c.do("POST", "/crm/v3/objects/tickets/batch/read",
		fmt.Sprintf(`{"properties":["subject"],"inputs":[{"id":"%s"},{"id":"77"}]}`, ids[0]))
	errs, _ := body["errors"].([]any)
	if status != 207 || len(results(body)) != 1 || body["numErrors"] != float64(1) || len(errs) != 1 {
		t.Fatalf("%d %v", status, body)
	}
	e := errs[0].(map[string]any)
	if e["category"] != "OBJECT_NOT_FOUND" || fmt.Sprint(e["context"]) != "map[ids:[77]]" {
		t.Fatalf("error %v", e)
	}
	status, body = c.do("POST", "/crm/v3/objects/tickets/batch/read", `{"inputs":[]}`)
	wantError(t, status, body, 400, "VALIDATION_ERROR", "between 1 and 100")
}

func TestAssociationsV4(t *testing.T) {
	s, c := start(t, Options{PageSize: 2})
	jane := s.IDs("contacts")[0]
	status, body := c.do("GET", "/crm/v4/objects/contacts/"+jane+"/associations/tickets", "")
	page := results(body)
	if status != 200 || len(page) != 2 {
		t.Fatalf("%d %v", status, body)
	}
	types := page[0]["associationTypes"].([]any)[0].(map[string]any)
	if types["typeId"] != float64(15) || types["category"] != "HUBSPOT_DEFINED" || hasKey(types, "label") && types["label"] != nil {
		t.Fatalf("types %v", types)
	}
	after := body["paging"].(map[string]any)["next"].(map[string]any)["after"].(string)
	status, body = c.do("GET", "/crm/v4/objects/contacts/"+jane+"/associations/tickets?after="+after, "")
	if status != 200 || len(results(body)) != 2 || hasKey(body, "paging") {
		t.Fatalf("%d %v", status, body)
	}

	deal := s.IDs("deals")[0]
	device := s.IDs("2-9001")[0]
	status, body = c.do("PUT", "/crm/v4/objects/2-9001/"+device+"/associations/default/contact/"+jane, "")
	if status != 200 || body["status"] != "COMPLETE" || len(results(body)) != 2 {
		t.Fatalf("%d %v", status, body)
	}
	if !slices.Contains(s.Associations("contacts", jane, "2-9001"), device) {
		t.Fatal("default association not stored both ways")
	}
	status, body = c.do("PUT", "/crm/v4/objects/deals/"+deal+"/associations/contacts/"+jane,
		`[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":3}]`)
	if status != 201 || body["fromObjectTypeId"] != "0-3" || body["toObjectTypeId"] != "0-1" {
		t.Fatalf("%d %v", status, body)
	}
	status, body = c.do("PUT", "/crm/v4/objects/deals/"+deal+"/associations/contacts/"+jane,
		`[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":194}]`)
	wantError(t, status, body, 400, "VALIDATION_ERROR", "not valid from DEAL to CONTACT")
	status, body = c.do("PUT", "/crm/v4/objects/deals/"+deal+"/associations/default/contacts/1", "")
	wantError(t, status, body, 404, "OBJECT_NOT_FOUND", "")
}

func TestPipelines(t *testing.T) {
	_, c := start(t, Options{})
	status, body := c.do("GET", "/crm/v3/pipelines/tickets", "")
	if status != 200 || len(results(body)) != 2 {
		t.Fatalf("%d %v", status, body)
	}
	var closed []string
	for _, p := range results(body) {
		for _, st := range p["stages"].([]any) {
			st := st.(map[string]any)
			if st["metadata"].(map[string]any)["ticketState"] == "CLOSED" {
				closed = append(closed, p["id"].(string)+"/"+st["id"].(string))
			}
		}
	}
	if !slices.Equal(closed, []string{"0/4", "93512/93514"}) {
		t.Fatalf("closed stages %v", closed)
	}
	status, body = c.do("GET", "/crm/v3/pipelines/widgets", "")
	wantError(t, status, body, 400, "VALIDATION_ERROR", "")
}

func TestDemoFixture(t *testing.T) {
	s, _ := start(t, Options{})
	jane, _ := s.Object("contacts", s.IDs("contacts")[0])
	if jane["firstname"] != crmtest.JaneFirst || jane["phone"] != crmtest.JanePhone || jane["email"] != crmtest.JaneEmail {
		t.Fatalf("Jane %v", jane)
	}
	var subjects []string
	for _, id := range s.Associations("contacts", s.IDs("contacts")[0], "tickets") {
		p, _ := s.Object("tickets", id)
		subjects = append(subjects, p["subject"])
	}
	if !slices.Contains(subjects, crmtest.JaneCase) {
		t.Fatalf("Jane's tickets %v", subjects)
	}
	if empty := New(Options{Empty: true}); empty.Count("contacts") != 0 {
		t.Fatal("empty sandbox has contacts")
	}
	if _, err := s.Add("widgets", nil); err == nil {
		t.Fatal("unknown object type accepted")
	}
}
