package kustomer

import (
	"time"

	"github.com/crmflow/crmflow/shared/sandbox/demo"
)

// loadDemo fills the org with the conformance fixture (Jane Doe of Acme
// with an open, a snoozed and a done conversation, John Roe) and a few more
// records for the local demo. Stamps are fixed so that answers are the same
// on every run.
func loadDemo(s *Server) {
	at := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	add := func(typ string, attrs map[string]any) string {
		at = at.Add(17 * time.Minute)
		return s.add(typ, attrs, at)
	}
	email := func(e string) []any { return []any{map[string]any{"email": e, "type": "work", "verified": false}} }
	phones := func(p ...string) []any {
		out := []any{}
		for i, n := range p {
			typ := "mobile"
			if i > 0 {
				typ = "work"
			}
			out = append(out, map[string]any{"phone": n, "type": typ, "verified": false})
		}
		return out
	}

	acme := add(typeCompany, map[string]any{"name": "Acme Corporation", "domains": []any{"acme.example"},
		"phones": phones("(650) 555-0110"), "custom": map[string]any{"industryStr": "Manufacturing", "employeesNum": 1200}})
	jane := add(typeCustomer, map[string]any{"name": demo.JaneFirst + " " + demo.JaneLast, "emails": email(demo.JaneEmail),
		"phones": phones(demo.JanePhone), "company": acme, "locale": "en_US", "tags": []any{"vip"},
		"custom": map[string]any{"tierStr": "gold", "jobTitleStr": "Office Manager"}})
	john := add(typeCustomer, map[string]any{"name": demo.JohnFirst + " " + demo.JohnLast, "emails": email(demo.JohnEmail),
		"phones": phones(demo.JohnPhone), "company": acme, "locale": "en_US",
		"custom": map[string]any{"jobTitleStr": "Facilities Lead"}})

	conv := func(customer, name, status string, priority int, channel string) string {
		return add(typeConversation, map[string]any{"customer": customer, "name": name, "status": status, "priority": priority,
			"direction": "in", "channels": []any{channel}, "messageCount": 1, "noteCount": 0, "tags": []any{}})
	}
	conv(jane, "Invoice copy requested", "done", 2, "email")
	toner := conv(jane, "Toner delivery missing", "done", 3, "voice")
	conv(jane, "Badge reader offline", "snoozed", 3, "chat")
	conv(jane, demo.JaneCase, "open", 5, "voice")
	conv(john, "Conference room booking broken", "open", 3, "email")
	add(typeMessage, map[string]any{"customer": jane, "conversation": toner, "app": "crmflow", "channel": "voice",
		"direction": "in", "status": "received", "subject": "Inbound call", "preview": "Asked about toner delivery.",
		"externalId": "cxone-4998123", "sentAt": "2026-11-18T15:00:00.000Z",
		"meta": map[string]any{"from": "+14155550100", "durationSeconds": 240}})
	add("kobject.order", map[string]any{"customer": jane, "title": "Order 10042 - Printer toner", "externalId": "order-10042",
		"custom": map[string]any{"totalNum": 189.5, "statusStr": "shipped"}})

	globex := add(typeCompany, map[string]any{"name": "Globex Inc.", "domains": []any{"globex.example"}, "phones": phones("(312) 555-0147")})
	add(typeCustomer, map[string]any{"name": "Maria Garcia", "emails": email("maria.garcia@globex.example"),
		"phones": phones("(312) 555-0148", "+1 (773) 555-0162"), "company": globex})
	add(typeCustomer, map[string]any{"name": "Priya Patel", "emails": email("priya.patel@initech.example"),
		"phones": phones("(512) 555-0175")})
	add(typeCustomer, map[string]any{"name": "Kenji Watanabe", "emails": email("kenji@umbrella.example"),
		"phones": phones("+12065550123")})
}
