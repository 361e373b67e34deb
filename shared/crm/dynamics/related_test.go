package dynamics

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/sandbox"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

// acmeANI is the demo account Acme Corporation's number.
const acmeANI = "+16505550110"

// TestSearchWithRelated: the one-request search answers what the search and
// RelatedOpen answer one by one, in one CRM request: a $batch of the
// tables' queries, or one GET for a single table.
func TestSearchWithRelated(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	// An account with an open case of its own, and one with a resolved case.
	acme := sb.Records("account")[0]["accountid"].(string)
	sb.Add("incident", map[string]any{"title": "Fleet contract", "customerid_account@odata.bind": "/accounts(" + acme + ")"})
	sb.Add("incident", map[string]any{"title": "Old fleet contract", "statecode": 1.0, "statuscode": 5.0,
		"customerid_account@odata.bind": "/accounts(" + acme + ")"})
	cases := append(crmtest.DefaultRelatedSearches(),
		crmtest.RelatedSearch{Name: "phone/account", ANI: acmeANI},
		crmtest.RelatedSearch{Name: "phone/lead", ANI: "+12065550123"},
		crmtest.RelatedSearch{Name: "phone/contacts only", ANI: crmtest.JaneANI, Entities: []crm.EntitySpec{{Entity: "contact"}}},
		crmtest.RelatedSearch{Name: "phone/leads only", ANI: crmtest.JaneANI, Entities: []crm.EntitySpec{{Entity: "lead"}}},
		crmtest.RelatedSearch{Name: "email/lead first", Email: crmtest.JaneEmail, Entities: []crm.EntitySpec{{Entity: "lead"}, {Entity: "contact"}}},
		crmtest.RelatedSearch{Name: "email/mapped fields", Email: crmtest.JaneEmail, Entities: []crm.EntitySpec{
			{Entity: "contact", SearchFields: []string{"emailaddress1"}, DisplayFields: []string{"fullname", "jobtitle"}}}},
	)
	crmtest.CheckRelatedSearch(t, c, sb, cases)

	sb.ResetCalls()
	variants, _ := phone.Variants(crmtest.JaneANI)
	res, err := c.SearchByPhoneWithRelated(ctx(t), crm.PhoneSearch{Variants: variants, Limit: 10}, 5)
	if err != nil || len(res.Records) != 1 || len(res.Records[0].Related) != 1 || res.Records[0].Related[0].Fields["title"] != crmtest.JaneCase {
		t.Fatalf("Jane should come with her open case: %+v %v", res, err)
	}
	// The token is cached: the $batch is the only request.
	if n, all := sb.Calls("POST /api/data/v9.2/$batch"), sb.TotalCalls(); n != 1 || all != 1 {
		t.Fatalf("%d $batch requests of %d, want the one", n, all)
	}
	v, _ := phone.Variants(acmeANI)
	res, err = c.SearchByPhoneWithRelated(ctx(t), crm.PhoneSearch{Variants: v, Limit: 10}, 5)
	if err != nil || len(res.Records) != 1 || len(res.Records[0].Related) != 1 || res.Records[0].Related[0].Fields["title"] != "Fleet contract" {
		t.Fatalf("Acme should come with its open case: %+v %v", res, err)
	}
}

// TestSearchWithRelatedPages: when one answer does not hold every row (a
// small page size), the pages after it are read as the search reads them,
// and the results stay the same.
func TestSearchWithRelatedPages(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{PageSize: 2})
	for i := range 5 {
		sb.Add("contact", map[string]any{"firstname": fmt.Sprint("P", i), "lastname": "Pager", "emailaddress1": "pager@example.com"})
	}
	sb.Add("lead", map[string]any{"firstname": "L", "lastname": "Pager", "emailaddress1": "pager@example.com"})
	crmtest.CheckRelatedSearch(t, c, sb, []crmtest.RelatedSearch{
		{Name: "many", Email: "pager@example.com", Calls: 3},
		{Name: "single", Email: crmtest.JaneEmail},
	})
}

// TestSearchWithRelatedRequest: the contact query expands the open cases
// with RelatedOpen's filter, order and limit, and asks past any cache.
func TestSearchWithRelatedRequest(t *testing.T) {
	var batch string
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/$batch") {
			b, _ := io.ReadAll(r.Body)
			batch = string(b)
			r = r.Clone(r.Context())
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, _ := startSandbox(t, hc, dvsandbox.Options{})
	if _, err := c.SearchByEmailWithRelated(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail, Limit: 10}, 3); err != nil {
		t.Fatal(err)
	}
	expand := "$expand=" + escapeQuery("incident_customer_contacts($select=incidentid,ticketnumber,title,prioritycode,statecode,modifiedon;"+
		"$filter=statecode eq 0;$orderby=modifiedon desc;$top=3)")
	for _, want := range []string{"GET /api/data/v9.2/contacts?$select=", "GET /api/data/v9.2/leads?$select=", expand,
		"Prefer: odata.maxpagesize=10\r\n", "If-None-Match: null\r\n"} {
		if !strings.Contains(batch, want) {
			t.Errorf("the $batch lacks %q:\n%s", want, batch)
		}
	}
	if strings.Count(batch, "$expand=") != 1 {
		t.Errorf("leads have no cases to expand:\n%s", batch)
	}
}

// TestSearchWithRelatedWithoutIncidents: an environment without the
// incident table refuses the $expand; the search is then made one call at
// a time, answers as before, and later searches do not ask again.
func TestSearchWithRelatedWithoutIncidents(t *testing.T) {
	// The sandbox has incidents, so the expansion is renamed to one it
	// does not know, as Dataverse without Customer Service does not know it.
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.RawQuery = strings.ReplaceAll(r.URL.RawQuery, "incident_customer_", "nosuch_customer_")
		if r.Body != nil && strings.HasSuffix(r.URL.Path, "/$batch") {
			b, _ := io.ReadAll(r.Body)
			b = bytes.ReplaceAll(b, []byte("incident_customer_"), []byte("nosuch_customer_"))
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, sb := startSandbox(t, hc, dvsandbox.Options{})
	variants, _ := phone.Variants(crmtest.JaneANI)
	s := crm.PhoneSearch{Variants: variants, Limit: 10}
	want, err := c.SearchByPhone(ctx(t), s)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.SearchByPhoneWithRelated(ctx(t), s, 5)
	if err != nil || res.RelatedErr != nil || len(res.Records) != len(want) || len(res.Records[0].Related) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	sb.ResetCalls()
	if _, err := c.SearchByPhoneWithRelated(ctx(t), s, 5); err != nil {
		t.Fatal(err)
	}
	if n := sb.Calls("POST /api/data/v9.2/$batch"); n != 0 {
		t.Fatalf("%d $batch requests after the environment refused the expansion", n)
	}
}

// TestSearchWithRelatedRefusals: a refused query is the search's error, as
// the calls one by one give it, and a throttled batch keeps Retry-After.
func TestSearchWithRelatedRefusals(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	// A display field contacts do not have: Dataverse refuses the query.
	_, err := c.SearchByEmailWithRelated(ctx(t), crm.EmailSearch{Email: crmtest.JaneEmail, Entities: []crm.EntitySpec{
		{Entity: "lead"}, {Entity: "contact", DisplayFields: []string{"nickname"}}}}, 5)
	wantCode(t, err, crm.InvalidArgument)
	if c.noCaseExpand.Load() {
		t.Fatal("a refused search must not turn the expansion off")
	}
	sb.Inject(sandbox.Fault{Match: "/api/data/", Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"9"}},
		Body: `{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}`})
	variants, _ := phone.Variants(crmtest.JaneANI)
	_, err = c.SearchByPhoneWithRelated(context.Background(), crm.PhoneSearch{Variants: variants}, 5)
	if e := wantCode(t, err, crm.ResourceExhausted); e.RetryAfter == 0 || e.CRMCode != "0x80072322" {
		t.Fatalf("%+v", e)
	}
}
