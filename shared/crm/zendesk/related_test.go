package zendesk

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

// Zendesk has no one-request form of a search with the match's open
// tickets (see doc.go): the connector is no crm.RelatedSearcher, and the
// search use case's path costs 2 CRM calls for a single match (the user
// search, then RelatedOpen) and 1 otherwise.
func TestSearchWithRelatedCalls(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{})
	if _, ok := any(c).(crm.RelatedSearcher); ok {
		t.Fatal("the connector claims a one-round-trip search")
	}
	for _, tc := range []struct {
		ani          string
		matches      int
		calls, opens int
	}{
		{crmtest.JaneANI, 1, 2, 1},
		{crmtest.UnknownANI, 0, 1, 0},
	} {
		variants, err := phone.Variants(tc.ani)
		if err != nil {
			t.Fatal(err)
		}
		sb.ResetCalls()
		r, err := crm.SearchByPhoneWithRelated(ctx(t), c, crm.PhoneSearch{Variants: variants, Limit: 10}, 5)
		if err != nil || r.RelatedErr != nil || len(r.Records) != tc.matches {
			t.Fatalf("%s: %+v %v", tc.ani, r, err)
		}
		if tc.matches == 1 && len(r.Records[0].Related) != tc.opens {
			t.Errorf("%s: related %+v", tc.ani, r.Records[0].Related)
		}
		if n := sb.TotalCalls(); n != tc.calls {
			t.Errorf("%s: %d CRM calls, want %d", tc.ani, n, tc.calls)
		}
	}
}
