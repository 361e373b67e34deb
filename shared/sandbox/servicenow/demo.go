package servicenow

import (
	"time"

	"github.com/crmflow/crmflow/shared/sandbox/demo"
)

// loadDemo fills the instance with the conformance fixture (Jane Doe with an
// open and a closed incident, John Roe) and a few more rows for the local
// demo: a CSM account with a contact and a case, and a past interaction.
// Ids and stamps are fixed so that answers are the same on every run.
func loadDemo(s *Server) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	add := func(table, seed string, fields map[string]string) string {
		at = at.Add(17 * time.Minute)
		fields["sys_id"] = demoSysID(seed)
		fields["sys_created_on"], fields["sys_updated_on"] = at.Format(rowTime), at.Format(rowTime)
		return s.AddRecord(table, fields)
	}

	acme := add("customer_account", "acme", map[string]string{"name": "Acme Corporation", "phone": "(650) 555-0110",
		"website": "https://acme.example", "city": "San Francisco", "country": "USA"})
	jane := add("sys_user", "jane", map[string]string{"user_name": "jane.doe", "first_name": demo.JaneFirst,
		"last_name": demo.JaneLast, "email": demo.JaneEmail, "phone": demo.JanePhone, "title": "Office Manager",
		"company": acme, "city": "San Francisco", "time_zone": "US/Pacific"})
	john := add("sys_user", "john", map[string]string{"user_name": "john.roe", "first_name": demo.JohnFirst,
		"last_name": demo.JohnLast, "email": demo.JohnEmail, "phone": demo.JohnPhone, "title": "Facilities Lead",
		"company": acme})
	add("incident", "vpn", map[string]string{"short_description": "VPN drops every hour", "caller_id": jane, "state": "7",
		"priority": "3", "contact_type": "email", "close_code": "Solution provided", "close_notes": "New VPN profile pushed."})
	add("interaction", "jane-call", map[string]string{"type": "phone", "opened_for": jane, "state": "closed_complete",
		"short_description": "Asked about toner delivery"})
	add("incident", "printer", map[string]string{"short_description": demo.JaneCase, "caller_id": jane, "state": "2",
		"priority": "2", "urgency": "1", "impact": "2", "contact_type": "phone", "category": "hardware",
		"description": "Smoke coming out of the second-floor printer."})
	add("incident", "badge", map[string]string{"short_description": "Badge reader at door 4 is dead", "caller_id": john,
		"state": "1", "contact_type": "walk-in", "category": "hardware"})

	ava := add("customer_contact", "ava", map[string]string{"user_name": "ava.chen", "first_name": "Ava", "last_name": "Chen",
		"email": "ava.chen@acme.example", "phone": "+1 (650) 555-0142", "mobile_phone": "+1 (650) 555-0199",
		"account": acme, "company": acme, "title": "Accounts Payable"})
	add("sn_customerservice_case", "tax", map[string]string{"short_description": "Invoice shows wrong tax rate",
		"contact": ava, "account": acme, "state": "10", "priority": "3", "contact_type": "email"})
	add("sys_user", "maria", map[string]string{"user_name": "maria.garcia", "first_name": "Maria", "last_name": "Garcia",
		"email": "maria.garcia@globex.example", "mobile_phone": "+1 (773) 555-0162", "title": "Procurement"})
}
