package oracle

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
)

// TestSearchWithRelated: two statements in one queryResults request answer
// what the search and RelatedOpen answer one by one, in one CRM request
// while every answer fits a page.
func TestSearchWithRelated(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	c.pageSize = defaultPageSize
	cases := append(crmtest.DefaultRelatedSearches(),
		crmtest.RelatedSearch{Name: "email/organizations", Email: crmtest.JaneEmail, Calls: 3,
			Entities: []crm.EntitySpec{{Entity: "contacts"}, {Entity: "organizations", SearchFields: []string{"name"}}}})
	crmtest.CheckRelatedSearch(t, c, sb, cases)

	variants, _ := phone.Variants(crmtest.JaneANI)
	res, err := c.SearchByPhoneWithRelated(ctx(t), crm.PhoneSearch{Variants: variants, Limit: 10}, 5)
	if err != nil || len(res.Records) != 1 || len(res.Records[0].Related) == 0 {
		t.Fatalf("Jane should come with her open incident: %+v %v", res, err)
	}
}

// TestSearchWithRelatedPages: statements with more rows than a page read
// the further pages as the calls one by one do, with the same records.
func TestSearchWithRelatedPages(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	cases := crmtest.DefaultRelatedSearches()
	for i := range cases {
		cases[i].Calls = 4
	}
	crmtest.CheckRelatedSearch(t, c, sb, cases)
}
