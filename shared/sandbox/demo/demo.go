// Package demo is the demo data every CRM sandbox holds, so the conformance
// suite (crm/crmtest) can ask the same questions of every CRM and the local
// run (scripts/dev -demo) can print a search that finds someone. A leaf
// package: the sandboxes and the local run use it without linking any test
// equipment. Sandboxes store the phone in a national format on purpose: a
// driver must find it from the E.164 ANI.
package demo

const (
	JaneFirst  = "Jane"
	JaneLast   = "Doe"
	JaneEmail  = "jane.doe@example.com"
	JanePhone  = "(415) 555-0100"  // as stored in the CRM
	JaneANI    = "+14155550100"    // as the contact center hands it over
	JaneCase   = "Printer on fire" // subject of Jane's open case/ticket/incident
	JohnFirst  = "John"
	JohnLast   = "Roe"
	JohnEmail  = "john.roe@example.com"
	JohnPhone  = "+1 415 555 0199"
	UnknownANI = "+12125550000"
)
