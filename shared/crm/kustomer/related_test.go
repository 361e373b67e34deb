package kustomer

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

// A single-match phone search with its open conversations costs two CRM
// calls, the fewest Kustomer's API allows: the search (POST
// /v1/customers/search, which has no include of related records) and the
// customer's conversations (GET /v1/customers/{id}/conversations, one page).
// The connector is no crm.RelatedSearcher (doc.go, "Search round trips").
func TestSingleMatchSearchCalls(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{})
	if _, ok := any(c).(crm.RelatedSearcher); ok {
		t.Fatal("kustomer claims a one-round-trip search")
	}
	v, err := phone.Variants(crmtest.JaneANI)
	if err != nil {
		t.Fatal(err)
	}
	before := sb.TotalCalls()
	res, err := crm.SearchByPhoneWithRelated(ctx(t), c, crm.PhoneSearch{Variants: v, Limit: 10}, 5)
	if err != nil || res.RelatedErr != nil || len(res.Records) != 1 || len(res.Records[0].Related) == 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if n := sb.TotalCalls() - before; n != 2 || sb.Calls("POST /v1/customers/search") != 1 {
		t.Fatalf("%d CRM calls for a single-match search, want 2", n)
	}
}
