package zdsandbox

import (
	"net/url"
	"strings"
	"testing"
)

func TestMeAndFieldLists(t *testing.T) {
	a := start(t, Options{})
	status, body, _ := a.do("GET", "/api/v2/users/me.json", "")
	if me, _ := body["user"].(map[string]any); status != 200 || me["email"] != DefaultEmail || me["id"] == nil {
		t.Fatalf("me: %d %v", status, body)
	}
	if s, _, _ := a.do("GET", "/api/v2/users/me", "", "Basic bm9wZQ=="); s != 401 {
		t.Fatalf("me without credentials: %d", s)
	}
	status, body, _ = a.do("GET", "/api/v2/ticket_fields.json", "")
	fields, _ := body["ticket_fields"].([]any)
	types := map[string]string{}
	for _, f := range fields {
		m := f.(map[string]any)
		types[m["type"].(string)] = m["title"].(string)
		if _, has := m["key"]; has {
			t.Errorf("ticket field with a key: %v", m)
		}
	}
	if status != 200 || types["tickettype"] != "Type" || types["subject"] != "Subject" || types["text"] != "Support tier" {
		t.Fatalf("ticket fields: %d %v", status, types)
	}
	for list, key := range map[string]string{"user_fields": "job_title", "organization_fields": "account_tier"} {
		_, body, _ = a.do("GET", "/api/v2/"+list+".json", "")
		got, _ := body[list].([]any)
		if len(got) != 1 || got[0].(map[string]any)["key"] != key || body["next_page"] != nil {
			t.Fatalf("%s: %v", list, body)
		}
	}
	empty := start(t, Options{Empty: true})
	_, body, _ = empty.do("GET", "/api/v2/user_fields", "")
	if got, _ := body["user_fields"].([]any); len(got) != 0 {
		t.Fatalf("empty account has user fields: %v", body)
	}
}

func TestListPagination(t *testing.T) {
	a := start(t, Options{})
	status, body, _ := a.do("GET", "/api/v2/users.json?page[size]=2", "")
	users, _ := body["users"].([]any)
	meta, _ := body["meta"].(map[string]any)
	links, _ := body["links"].(map[string]any)
	if status != 200 || len(users) != 2 || meta["has_more"] != true || links["next"] == nil {
		t.Fatalf("cursor page: %d %v", status, body)
	}
	next, _ := url.Parse(links["next"].(string))
	_, body, _ = a.do("GET", next.RequestURI(), "")
	if more, _ := body["users"].([]any); len(more) != 2 || body["meta"].(map[string]any)["has_more"] != false {
		t.Fatalf("second page: %v", body)
	}
	_, body, _ = a.do("GET", "/api/v2/organizations.json?per_page=1", "")
	if orgs, _ := body["organizations"].([]any); len(orgs) != 1 || body["count"] != 1.0 || body["next_page"] != nil {
		t.Fatalf("offset page: %v", body)
	}
	if s, _, _ := a.do("GET", "/api/v2/tickets.json?page[size]=101", ""); s != 400 {
		t.Fatalf("page size 101: %d", s)
	}
	if s, _, _ := a.do("GET", "/api/v2/tickets.json?page[after]=1&page[before]=2", ""); s != 400 {
		t.Fatalf("both cursors: %d", s)
	}
}

func TestCustomObjectRecords(t *testing.T) {
	a := start(t, Options{})
	status, body, _ := a.do("POST", "/api/v2/custom_objects/call_note/records.json",
		`{"custom_object_record":{"name":"Call 2","external_id":"ext-1","custom_object_fields":{"summary":"s","duration_seconds":60,"unknown":"x"}}}`)
	rec, _ := body["custom_object_record"].(map[string]any)
	if status != 201 || len(rec["id"].(string)) != 26 || rec["custom_object_key"] != "call_note" || rec["external_id"] != "ext-1" ||
		!strings.HasSuffix(rec["url"].(string), "/api/v2/custom_objects/call_note/records/"+rec["id"].(string)+".json") {
		t.Fatalf("create: %d %v", status, body)
	}
	vals := rec["custom_object_fields"].(map[string]any)
	if _, has := vals["unknown"]; has || vals["duration_seconds"] != 60.0 || vals["agent_name"] != nil {
		t.Fatalf("values %v", vals)
	}
	id := rec["id"].(string)
	status, body, _ = a.do("PATCH", "/api/v2/custom_objects/call_note/records/"+id, `{"custom_object_record":{"custom_object_fields":{"agent_name":"Ava"}}}`)
	vals = body["custom_object_record"].(map[string]any)["custom_object_fields"].(map[string]any)
	if status != 200 || vals["agent_name"] != "Ava" || vals["summary"] != "s" {
		t.Fatalf("patch: %d %v", status, body)
	}
	if s, _, _ := a.do("PUT", "/api/v2/custom_objects/call_note/records/"+id, `{"custom_object_record":{}}`); s != 404 {
		t.Fatalf("PUT is no documented update: %d", s)
	}
	_, body, _ = a.do("GET", "/api/v2/custom_objects/call_note/records?filter[external_ids]=ext-1", "")
	if list, _ := body["custom_object_records"].([]any); len(list) != 1 || body["meta"] == nil || body["links"] == nil {
		t.Fatalf("by external id: %v", body)
	}
	for name, tc := range map[string]struct {
		body, field string
	}{
		"no name":      {`{"custom_object_record":{"custom_object_fields":{"summary":"x"}}}`, "name"},
		"duplicate":    {`{"custom_object_record":{"name":"n","external_id":"ext-1"}}`, "external_id"},
		"bad integer":  {`{"custom_object_record":{"name":"n","custom_object_fields":{"duration_seconds":"long"}}}`, "duration_seconds"},
		"bad fraction": {`{"custom_object_record":{"name":"n","custom_object_fields":{"duration_seconds":1.5}}}`, "duration_seconds"},
	} {
		status, body, _ := a.do("POST", "/api/v2/custom_objects/call_note/records", tc.body)
		details, _ := body["details"].(map[string]any)
		if status != 422 || body["error"] != "RecordInvalid" || details[tc.field] == nil {
			t.Errorf("%s: %d %v", name, status, body)
		}
	}
	if s, _, _ := a.do("GET", "/api/v2/custom_objects/nope/records", ""); s != 404 {
		t.Fatalf("unknown object: %d", s)
	}
	_, body, _ = a.do("GET", "/api/v2/custom_objects/call_note/fields?include_standard_fields=true", "")
	list, _ := body["custom_object_fields"].([]any)
	if len(list) != 6 || list[0].(map[string]any)["key"] != "standard::name" || list[2].(map[string]any)["key"] != "summary" {
		t.Fatalf("fields: %v", body)
	}
	_, body, _ = a.do("GET", "/api/v2/custom_objects/call_note/fields", "")
	if list, _ := body["custom_object_fields"].([]any); len(list) != 4 {
		t.Fatalf("fields without standard ones: %v", body)
	}
}

func TestPhoneValidationSetting(t *testing.T) {
	for _, validate := range []bool{false, true} {
		a := start(t, Options{ValidatePhoneNumbers: validate})
		status, body, _ := a.do("POST", "/api/v2/users.json", `{"user":{"name":"Roger Wilco","phone":"5551234567"}}`)
		if !validate && status != 201 {
			t.Fatalf("setting off: %d %v", status, body)
		}
		if validate {
			d, _ := body["details"].(map[string]any)["phone"].([]any)
			if status != 422 || len(d) != 1 || d[0].(map[string]any)["description"] != "Phone 5551234567 is not properly formatted" {
				t.Fatalf("setting on: %d %v", status, body)
			}
			if s, _, _ := a.do("POST", "/api/v2/users.json", `{"user":{"name":"Roger Wilco","phone":"+15551234567"}}`); s != 201 {
				t.Fatalf("E.164 refused: %d", s)
			}
		}
	}
}
