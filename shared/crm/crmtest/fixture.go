// Package crmtest is the conformance suite every CRM driver runs against its
// sandbox: the same scenarios for all seven CRMs, with capability flags for
// real differences and golden files of the requests each driver sends.
package crmtest

// The demo data every sandbox holds, so one suite can ask the same questions
// of every CRM. Sandboxes store the phone in a national format on purpose: a
// driver must find it from the E.164 ANI.
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
