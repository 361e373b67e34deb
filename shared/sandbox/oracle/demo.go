package oracle

import (
	"time"

	"github.com/crmflow/crmflow/shared/sandbox/demo"
)

// loadDemo fills the site with the conformance fixture (Jane Doe with an
// open and a solved incident, John Roe, both of Acme) and a little more for
// the local demo. The clock is fixed while loading so that ids, reference
// numbers and stamps are the same on every run.
func loadDemo(s *Server) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	clock := s.opts.Now
	s.opts.Now = func() time.Time { return at }
	defer func() { s.opts.Now = clock }()
	add := func(resource string, body map[string]any) int64 {
		at = at.Add(17 * time.Minute)
		id, err := s.AddRecord(resource, body)
		if err != nil {
			panic("oracle sandbox demo data: " + err.Error())
		}
		return id
	}
	ref := func(id int64) map[string]any { return map[string]any{"id": id} }
	named := func(name string) map[string]any { return map[string]any{"lookupName": name} }
	email := func(addr string) []any {
		return []any{map[string]any{"address": addr, "addressType": map[string]any{"id": 0}}}
	}
	phoneOf := func(number string, kind int) map[string]any {
		return map[string]any{"number": number, "phoneType": map[string]any{"id": kind}}
	}

	acme := add("organizations", map[string]any{"name": "Acme Corporation", "addresses": []any{
		map[string]any{"street": "1 Market St", "city": "San Francisco", "postalCode": "94105"}}})
	jane := add("contacts", map[string]any{"name": map[string]any{"first": demo.JaneFirst, "last": demo.JaneLast},
		"emails": email(demo.JaneEmail), "phones": []any{phoneOf(demo.JanePhone, 0)}, "title": "Office Manager",
		"organization": ref(acme), "address": map[string]any{"city": "San Francisco", "postalCode": "94105"}})
	john := add("contacts", map[string]any{"name": map[string]any{"first": demo.JohnFirst, "last": demo.JohnLast},
		"emails": email(demo.JohnEmail), "phones": []any{phoneOf(demo.JohnPhone, 1)}, "title": "Facilities Lead",
		"organization": ref(acme)})
	add("incidents", map[string]any{"subject": "VPN drops every hour", "primaryContact": ref(jane), "organization": ref(acme),
		"statusWithType": map[string]any{"status": named("Solved")}, "channel": named("Email"),
		"threads": []any{map[string]any{"text": "New VPN profile pushed.", "entryType": named("Staff Account")}}})
	add("incidents", map[string]any{"subject": demo.JaneCase, "primaryContact": ref(jane), "organization": ref(acme),
		"statusWithType": map[string]any{"status": named("Unresolved")}, "channel": named("Phone"), "severity": named("High"),
		"threads": []any{map[string]any{"text": "Smoke coming out of the second-floor printer.", "entryType": named("Customer")}}})
	add("incidents", map[string]any{"subject": "Badge reader at door 4 is dead", "primaryContact": ref(john),
		"organization": ref(acme), "statusWithType": map[string]any{"status": named("Waiting")}})
	maria := add("contacts", map[string]any{"name": map[string]any{"first": "Maria", "last": "Garcia"},
		"emails": email("maria.garcia@globex.example"), "phones": []any{phoneOf("+1 (773) 555-0162", 1), phoneOf("773.555.0163", 4)},
		"title": "Procurement"})
	add("tasks", map[string]any{"name": "Call back about the quote", "contact": ref(maria), "taskType": named("Contact"),
		"priority": named("Normal"), "notes": []any{map[string]any{"text": "Prefers mornings."}}})
}
