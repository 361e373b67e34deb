package localrun_test

import (
	"strings"
	"testing"
)

// TestCreateUpdate: records created while the contact is live land in the
// card's current section (pinned when asked) and pop when asked; standard
// create takes only standard fields; the CRM's own refusals come back as 422.
func TestCreateUpdate(t *testing.T) {
	e := newEnv(t)
	tn := e.newTenant("Acme")

	c := e.must(201, e.do("POST", "/v1/workflows/create", tn.studio, exec("create_case", map[string]any{
		"entity": "Case", "fields": map[string]any{"Subject": "Toner empty", "Origin": "Phone"}, "pin": true, "screenPop": true})))
	recs := records(c)
	if len(recs) != 1 || recs[0]["entity"] != "Case" || recs[0]["screenPop"] != true || c.Body["screenPopUrl"] == nil {
		t.Fatalf("create: %s", c.Raw)
	}
	id := recs[0]["id"].(string)
	if got := e.sf.Records("Case"); !strings.Contains(jsonString(got), "Toner empty") {
		t.Fatalf("case not in the CRM: %v", got)
	}
	card := e.must(200, e.do("GET", "/v1/contacts/5001234/card", tn.agent, nil))
	cur := card.Body["current"].([]any)
	if len(cur) != 1 || cur[0].(map[string]any)["id"] != id || cur[0].(map[string]any)["pinned"] != true {
		t.Fatalf("card after create: %s", card.Raw)
	}

	// Standard create: only the entity's standard fields.
	bad := e.must(400, e.do("POST", "/v1/workflows/create", tn.studio, exec("create_case", map[string]any{
		"entity": "Case", "fields": map[string]any{"Subject": "x", "Secret__c": "y"}})))
	if bad.errorField() != "workflowInput.fields.Secret__c" {
		t.Fatalf("unknown field: %s", bad.Raw)
	}
	// The CRM refuses a create: 422 with its own code.
	ref := e.must(422, e.do("POST", "/v1/workflows/create", tn.studio, exec("create_custom", map[string]any{
		"entity": "Contact", "fields": map[string]any{"FirstName": "NoLastName"}})))
	eb, _ := ref.Body["error"].(map[string]any)
	if ce, _ := eb["crmError"].(map[string]any); ce == nil || ce["code"] != "REQUIRED_FIELD_MISSING" {
		t.Fatalf("CRM refusal: %s", ref.Raw)
	}

	// Update, then the card shows the new value.
	u := e.must(200, e.do("POST", "/v1/workflows/update", tn.studio, exec("update_record", map[string]any{
		"entity": "Case", "id": id, "fields": map[string]any{"Subject": "Toner empty (urgent)"}})))
	if !strings.Contains(u.Raw, id) {
		t.Fatalf("update: %s", u.Raw)
	}
	if !strings.Contains(jsonString(e.sf.Records("Case")), "Toner empty (urgent)") {
		t.Fatal("update not in the CRM")
	}
	// Updating a record that does not exist: 404 from the CRM, named.
	nf := e.do("POST", "/v1/workflows/update", tn.studio, exec("update_record", map[string]any{
		"entity": "Case", "id": "500Dn0000009999IAA", "fields": map[string]any{"Subject": "x"}}))
	if nf.Status != 404 && nf.Status != 422 {
		t.Fatalf("update of a missing record: %d %s", nf.Status, nf.Raw)
	}
}
