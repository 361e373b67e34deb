package salesforce

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

// TestSearchWithRelated: the composite search answers what the search and
// RelatedOpen answer one by one, in one CRM request.
func TestSearchWithRelated(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{})
	cases := append(crmtest.DefaultRelatedSearches(),
		crmtest.RelatedSearch{Name: "phone/leads only", ANI: crmtest.JaneANI, Entities: []crm.EntitySpec{{Entity: "Lead"}}},
		crmtest.RelatedSearch{Name: "phone/accounts", ANI: crmtest.JaneANI, Entities: []crm.EntitySpec{{Entity: "Account"}, {Entity: "Contact"}}},
		crmtest.RelatedSearch{Name: "email/contact first", Email: crmtest.JaneEmail, Entities: []crm.EntitySpec{{Entity: "Lead"}, {Entity: "Contact"}}},
	)
	crmtest.CheckRelatedSearch(t, c, sb, cases)

	variants, _ := phone.Variants(crmtest.JaneANI)
	res, err := c.SearchByPhoneWithRelated(context.Background(), crm.PhoneSearch{Variants: variants, Limit: 10}, 5)
	if err != nil || len(res.Records) != 1 || len(res.Records[0].Related) == 0 {
		t.Fatalf("Jane should come with her open case: %+v %v", res, err)
	}
	if n := sb.CallsPrefix("POST /services/data/v62.0/composite"); n == 0 {
		t.Fatalf("no composite request was made")
	}
}

// TestSearchWithRelatedAfterAFilteredHit: when a mapping's search fields
// drop SOSL's first hit, the reference names the wrong record, so the
// single match's cases come from a second call, as before.
func TestSearchWithRelatedAfterAFilteredHit(t *testing.T) {
	c, sb := startSandbox(t, nil, sfsandbox.Options{})
	// A lead with Jane's number in MobilePhone only, created first so SOSL
	// answers it before Jane's contact.
	sb.Add("Lead", map[string]any{"LastName": "Early", "Company": "Acme", "MobilePhone": crmtest.JanePhone})
	entities := []crm.EntitySpec{{Entity: "Lead", SearchFields: []string{"Phone"}}, {Entity: "Contact"}}
	crmtest.CheckRelatedSearch(t, c, sb, []crmtest.RelatedSearch{{Name: "filtered", ANI: crmtest.JaneANI, Entities: entities, Calls: 2}})
}

// TestSearchWithRelatedFailure: open cases that cannot be read leave the
// match standing, with the org's reason.
func TestSearchWithRelatedFailure(t *testing.T) {
	// The open-cases subrequest asks for a field the org does not have, so
	// it fails alone (allOrNone false).
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil && strings.HasSuffix(r.URL.Path, "/composite") {
			b, _ := io.ReadAll(r.Body)
			b = bytes.ReplaceAll(b, []byte("IsClosed"), []byte("NoSuchField__c"))
			r = r.Clone(r.Context())
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, _ := startSandbox(t, hc, sfsandbox.Options{})
	variants, _ := phone.Variants(crmtest.JaneANI)
	res, err := c.SearchByPhoneWithRelated(context.Background(), crm.PhoneSearch{Variants: variants, Limit: 10}, 5)
	if err != nil || len(res.Records) != 1 || res.Records[0].Related != nil {
		t.Fatalf("%+v %v", res, err)
	}
	if e := wantCode(t, res.RelatedErr, crm.InvalidArgument); e.CRMCode != "INVALID_FIELD" {
		t.Fatalf("%+v", e)
	}
}
