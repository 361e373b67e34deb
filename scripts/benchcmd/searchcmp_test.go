package main

import (
	"strings"
	"testing"
)

// TestSearchComparison is the short form of the bench's search comparison:
// a few searches against Salesforce and Oracle, each one CRM request with
// the open cases in the answer, and the peer row skipped without a checkout.
func TestSearchComparison(t *testing.T) {
	rs := searchComparison(3, "salesforce,oracle")
	if len(rs) != 4 {
		t.Fatalf("%d rows, want 4", len(rs))
	}
	for _, r := range rs {
		if r.err != nil {
			t.Fatalf("%s at %v: %v", r.typ, r.latency, r.err)
		}
		if r.callsPerSearch != 1 || !r.related {
			t.Errorf("%s at %v: %.2f CRM calls per search, open cases %v; want 1 and true", r.typ, r.latency, r.callsPerSearch, r.related)
		}
	}
	peer := peerComparison(t.TempDir(), 3)
	if len(peer) != 2 || !strings.Contains(peer[0].peerSkip, "no sfInvokeAPI.py") {
		t.Fatalf("peer without a checkout: %+v", peer)
	}
	var b strings.Builder
	writeSearchTable(&b, append(rs, peer...), 3)
	if !strings.Contains(b.String(), "| salesforce | 20.00 ms | 1.00") || !strings.Contains(b.String(), "skipped: no sfInvokeAPI.py") {
		t.Fatalf("table:\n%s", b.String())
	}
}
