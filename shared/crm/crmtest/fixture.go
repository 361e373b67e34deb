// Package crmtest is the conformance suite every CRM driver runs against its
// sandbox: the same scenarios for all seven CRMs, with capability flags for
// real differences and golden files of the requests each driver sends.
package crmtest

import "github.com/crmflow/crmflow/shared/sandbox/demo"

// The demo data every sandbox holds (shared/sandbox/demo), under the names
// the drivers' tests use.
const (
	JaneFirst  = demo.JaneFirst
	JaneLast   = demo.JaneLast
	JaneEmail  = demo.JaneEmail
	JanePhone  = demo.JanePhone
	JaneANI    = demo.JaneANI
	JaneCase   = demo.JaneCase
	JohnFirst  = demo.JohnFirst
	JohnLast   = demo.JohnLast
	JohnEmail  = demo.JohnEmail
	JohnPhone  = demo.JohnPhone
	UnknownANI = demo.UnknownANI
)
