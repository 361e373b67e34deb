package dynamics

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

func TestSearchFollowsNextLinkUntilLimit(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{PageSize: 2})
	for i := range 7 {
		sb.Add("contact", map[string]any{"firstname": fmt.Sprint("P", i), "lastname": "Pager", "emailaddress1": "pager@example.com"})
	}
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "PAGER@example.com", Limit: 5}) // case-insensitive, as Dataverse
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || recs[0].Display != "P0 Pager" || recs[4].Display != "P4 Pager" {
		t.Fatalf("%d records: %+v", len(recs), recs)
	}
	if n := sb.Calls("GET /api/data/v9.2/contacts"); n != 3 {
		t.Fatalf("%d pages read, want 3", n)
	}
	all, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "pager@example.com", Limit: 50})
	if err != nil || len(all) != 7 {
		t.Fatalf("%d %v", len(all), err)
	}
}

func TestNextLinkMustStayOnTheEnvironment(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tenant/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"token_type":"Bearer","expires_in":3599,"access_token":"tok"}`))
	})
	mux.HandleFunc("/api/data/v9.2/contacts", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"value":[{"contactid":"7d577253-3ef0-4a0a-bb7f-8335c2596e70","fullname":"A"}],` +
			`"@odata.nextLink":"https://evil.example/api/data/v9.2/contacts?$skiptoken=x"}`))
	})
	c := fakeEnv(t, mux)
	_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com", Limit: 10, Entities: []crm.EntitySpec{{Entity: "contact"}}})
	wantCode(t, err, crm.Internal)
}

func TestSearchByPhoneWithMapping(t *testing.T) {
	c, _ := startSandbox(t, nil, dvsandbox.Options{})
	v, _ := phone.Variants("+1 773 555 0162")
	recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: v, Entities: []crm.EntitySpec{
		{Entity: "contact", SearchFields: []string{"mobilephone"}, DisplayFields: []string{"fullname", "jobtitle"}}}})
	if err != nil || len(recs) != 1 || recs[0].Display != "Maria Garcia" || recs[0].Fields["jobtitle"] != "Procurement" {
		t.Fatalf("%+v %v", recs, err)
	}
	// The same number in a column the mapping does not search is not found.
	recs, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: v, Entities: []crm.EntitySpec{{Entity: "contact", SearchFields: []string{"telephone1"}}}})
	if err != nil || len(recs) != 0 {
		t.Fatalf("%+v %v", recs, err)
	}
	// Kenji is a lead with an E.164 mobile number.
	v, _ = phone.Variants("(206) 555-0123")
	recs, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: v})
	if err != nil || len(recs) != 1 || recs[0].Entity != "lead" {
		t.Fatalf("%+v %v", recs, err)
	}
}

func TestSearchRefusals(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	_, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com", Entities: []crm.EntitySpec{{Entity: "incident"}}})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: " "})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.Search(ctx(t), crm.Query{Entity: "contact", Fields: []string{"parentcustomerid_account.name"},
		Filter: crm.Filter{Field: "lastname", Op: crm.OpEq, Value: "Doe"}})
	wantCode(t, err, crm.InvalidArgument)
	if sb.TotalCalls() != 0 {
		t.Fatalf("%d calls reached the CRM", sb.TotalCalls())
	}
	// Dataverse's own refusal of an unknown column comes back with its code.
	_, err = c.Search(ctx(t), crm.Query{Entity: "contact", Filter: crm.Filter{Field: "nosuchcolumn", Op: crm.OpEq, Value: "x"}})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.CRMCode != "0x80060888" || !strings.Contains(e.Message, "nosuchcolumn") {
		t.Fatalf("%+v", e)
	}
}

func TestCustomSearchFeatures(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{PageSize: 2})
	sb.Add("contact", map[string]any{"firstname": "Percy", "lastname": "100% Sure_[x]"})
	sb.Add("contact", map[string]any{"firstname": "Wild", "lastname": "100X SureY[x]"})
	for _, tc := range []struct {
		name string
		f    crm.Filter
		want []string
	}{
		{"lookup path", crm.Filter{Field: "parentcustomerid_account.name", Op: crm.OpEq, Value: "acme corporation"},
			[]string{"Jane Doe", "John Roe"}},
		{"wildcards are literal", crm.Filter{Field: "lastname", Op: crm.OpContains, Value: "0% Sure_[x"}, []string{"Percy 100% Sure_[x]"}},
		{"in", crm.Filter{Field: "firstname", Op: crm.OpIn, Value: []any{"Maria", "John"}}, []string{"John Roe", "Maria Garcia"}},
		{"range on dates", crm.Filter{All: []crm.Filter{{Field: "createdon", Op: crm.OpGte, Value: "2026-11-20T09:00:00Z"},
			{Field: "createdon", Op: crm.OpLt, Value: "2026-11-20T09:40:00Z"}}}, []string{"Jane Doe"}},
		{"guid lookup", crm.Filter{Field: "_parentcustomerid_value", Op: crm.OpEq,
			Value: strings.ToUpper(sb.Records("account")[0]["accountid"].(string))}, []string{"Jane Doe", "John Roe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := c.Search(ctx(t), crm.Query{Entity: "contact", Filter: tc.f, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, r.Display)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRelatedOpenAndGet(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, incident := janeAndCase(t, c)
	newer, err := c.Create(ctx(t), "incident", map[string]any{"title": "Newer issue", "customerid_contact": jane.ID})
	if err != nil {
		t.Fatal(err)
	}
	open, err := c.RelatedOpen(ctx(t), jane, 5)
	if err != nil || len(open) != 2 || open[0].ID != newer.ID || open[1].ID != incident.ID {
		t.Fatalf("%+v %v", open, err)
	}
	if !strings.HasPrefix(open[1].Display, "CAS-") || !strings.HasSuffix(open[1].Display, crmtest.JaneCase) || open[1].Updated.IsZero() {
		t.Fatalf("%+v", open[1])
	}
	lead := crm.Ref{Entity: "lead", ID: sb.Records("lead")[0]["leadid"].(string)}
	if recs, err := c.RelatedOpen(ctx(t), lead, 5); err != nil || recs != nil {
		t.Fatalf("lead: %+v %v", recs, err)
	}
	got, err := c.Get(ctx(t), jane, nil)
	if err != nil || got.Display != "Jane Doe" || got.Fields["telephone1"] != crmtest.JanePhone || got.Fields["_parentcustomerid_value"] == nil {
		t.Fatalf("%+v %v", got, err)
	}
	if _, ok := got.Fields["@odata.etag"]; ok {
		t.Fatal("annotations among fields")
	}
}

func TestPhoneForms(t *testing.T) {
	v, _ := phone.Variants(crmtest.JohnPhone)
	forms := phoneForms(crm.PhoneSearch{Variants: v})
	for _, want := range []string{"+14155550199", "4155550199", "(415) 555-0199", "+1 415 555 0199", "415.555.0199"} {
		if !slices.Contains(forms, want) {
			t.Errorf("%q missing from %q", want, forms)
		}
	}
	v, _ = phone.Variants("+44 20 7946 0958")
	forms = phoneForms(crm.PhoneSearch{Variants: v})
	if !slices.Contains(forms, "+44 2079460958") || !slices.Contains(forms, "00442079460958") || len(forms) > maxPhoneForms {
		t.Fatalf("%q", forms)
	}
	if phoneForms(crm.PhoneSearch{Variants: []string{"", " "}}) != nil {
		t.Fatal("empty variants gave forms")
	}
}

func TestCustomTableSelectsOnlyWhatItIsTold(t *testing.T) {
	if got := selectList("new_callnote", []string{"new_notes"}); !slices.Equal(got, []string{"new_callnoteid", "new_notes", "modifiedon"}) {
		t.Fatalf("%q", got)
	}
	if got := selectList("incident", []string{"title"}); !slices.Equal(got, []string{"incidentid", "ticketnumber", "title", "modifiedon"}) {
		t.Fatalf("%q", got)
	}
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	sb.Add("new_callnote", map[string]any{"new_name": "Printer note", "new_notes": "Toner low"})
	recs, err := c.Search(ctx(t), crm.Query{Entity: "new_callnote", Filter: crm.Filter{Field: "new_notes", Op: crm.OpContains, Value: "toner"}})
	if err != nil || len(recs) != 1 || recs[0].Display != "Printer note" {
		t.Fatalf("%+v %v", recs, err)
	}
}
