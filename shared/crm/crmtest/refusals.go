package crmtest

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

// Refusal is one call a driver must refuse itself, naming Field. An
// alias of a plain struct, so tables may list cases as {call, "field"}.
type Refusal = struct {
	Call  func() error
	Field string
}

// WantRefusals runs every case: each must be the driver's own refusal
// (crm.Refusal) naming its field with a message, and none may reach the
// CRM (calls counts the sandbox's requests, read before the first case).
func WantRefusals(t *testing.T, calls func() int, cases map[string]Refusal) {
	t.Helper()
	before := calls()
	for name, tc := range cases {
		e, ok := crm.AsRefusal(tc.Call())
		if !ok || e.Field != tc.Field || e.Message == "" {
			t.Errorf("%s: %+v, want a refusal naming %q", name, e, tc.Field)
		}
	}
	if n := calls() - before; n != 0 {
		t.Fatalf("%d calls made before refusing", n)
	}
}
