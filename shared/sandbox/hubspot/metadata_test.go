package hubspot

import (
	"net/http"
	"testing"
)

// TestListObjects: GET /crm/v3/objects/{objectType} pages in creation
// order with paging.next.after, answers the default properties unless
// asked, and refuses a limit above 100.
func TestListObjects(t *testing.T) {
	_, c := start(t, Options{})
	status, body := c.do("GET", "/crm/v3/objects/contact?limit=2", "")
	if status != http.StatusOK || len(results(body)) != 2 {
		t.Fatalf("%d %v", status, body)
	}
	first := results(body)[0]
	if prop(first, "email") == nil || prop(first, "hs_object_id") != first["id"] {
		t.Fatalf("default properties: %v", first)
	}
	next := body["paging"].(map[string]any)["next"].(map[string]any)["after"].(string)
	status, body = c.do("GET", "/crm/v3/objects/0-1?limit=100&properties=jobtitle&after="+next, "")
	if status != http.StatusOK || len(results(body)) == 0 || body["paging"] != nil {
		t.Fatalf("last page: %d %v", status, body)
	}
	if p := results(body)[0]["properties"].(map[string]any); len(p) != 4 {
		// jobtitle plus createdate, lastmodifieddate and hs_object_id.
		t.Fatalf("properties %v", p)
	}
	status, body = c.do("GET", "/crm/v3/objects/contacts?limit=101", "")
	wantError(t, status, body, http.StatusBadRequest, catValidation, "limit")
	status, body = c.do("GET", "/crm/v3/objects/people", "")
	wantError(t, status, body, http.StatusBadRequest, catValidation, "Unable to infer object type from: people")
}

// TestProperties: GET /crm/v3/properties/{objectType} lists each property
// with name, label, type, fieldType, options and modificationMetadata, for
// every spelling of the object, custom objects included.
func TestProperties(t *testing.T) {
	_, c := start(t, Options{})
	for _, typ := range []string{"contacts", "contact", "0-1"} {
		status, body := c.do("GET", "/crm/v3/properties/"+typ, "")
		if status != http.StatusOK {
			t.Fatalf("%s: %d %v", typ, status, body)
		}
		byName := map[string]map[string]any{}
		for _, p := range results(body) {
			byName[p["name"].(string)] = p
		}
		fn, id, stage := byName["firstname"], byName["hs_object_id"], byName["lifecyclestage"]
		if fn["label"] != "First Name" || fn["type"] != "string" || fn["fieldType"] != "text" ||
			byName["phone"]["fieldType"] != "phonenumber" || stage["type"] != "enumeration" || len(stage["options"].([]any)) == 0 ||
			id["modificationMetadata"].(map[string]any)["readOnlyValue"] != true {
			t.Fatalf("%s: %v %v %v", typ, fn, id, stage)
		}
	}
	for _, typ := range []string{"2-9001", "p_devices", "p62515123_devices"} {
		if status, body := c.do("GET", "/crm/v3/properties/"+typ, ""); status != http.StatusOK || len(results(body)) == 0 {
			t.Fatalf("%s: %d %v", typ, status, body)
		}
	}
	status, body := c.do("GET", "/crm/v3/properties/people", "")
	wantError(t, status, body, http.StatusBadRequest, catValidation, "people")
}
