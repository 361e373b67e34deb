package oracle

import (
	"net/http"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
	osvcsandbox "github.com/crmflow/crmflow/shared/sandbox/oracle"
)

func TestSearchByPhoneFindsEveryFormat(t *testing.T) {
	c, _ := startSandbox(t, nil, osvcsandbox.Options{})
	for _, ani := range []string{"+17735550163", "773-555-0162", "(773) 555 0163"} {
		v, err := phone.Variants(ani)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: v})
		if err != nil || len(recs) != 1 || recs[0].Display != "Maria Garcia" {
			t.Fatalf("%s: %v %+v", ani, err, recs)
		}
		if recs[0].Fields["phones.number"] == "" || recs[0].Fields["emails.address"] != "maria.garcia@globex.example" {
			t.Fatalf("fields %+v", recs[0].Fields)
		}
	}
}

func TestSearchPagesAndLimits(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	for i := range 7 {
		if _, err := sb.AddRecord("contacts", map[string]any{"name": map[string]any{"first": "Pat", "last": "Lee" + strings.Repeat("e", i)},
			"emails": []any{map[string]any{"address": "pat@example.com", "addressType": map[string]any{"id": 0}},
				map[string]any{"address": "pat.alt@example.com", "addressType": map[string]any{"id": 1}}}}); err != nil {
			t.Fatal(err)
		}
	}
	sb.ResetCalls()
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "PAT@example.com", Limit: 5})
	if err != nil || len(recs) != 5 {
		t.Fatalf("%v: %d records", err, len(recs))
	}
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[r.ID] {
			t.Fatalf("record %s twice", r.ID)
		}
		seen[r.ID] = true
	}
	if n := sb.CallsPrefix("GET /services/rest/connect/v1.4/queryResults"); n < 3 {
		t.Fatalf("%d pages read, want paging", n)
	}
	all, err := c.Search(ctx(t), crm.Query{Entity: "contacts", Limit: 50, Fields: []string{"emails.address"},
		Filter: crm.Filter{Field: "name.first", Op: crm.OpEq, Value: "pat"}})
	if err != nil || len(all) != 7 {
		t.Fatalf("%v: %d records", err, len(all))
	}
}

func TestSearchRefusesBadNames(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	for _, q := range []crm.Query{
		{Entity: "contacts WHERE 1=1", Filter: crm.Filter{Field: "title", Op: crm.OpEq, Value: "x"}},
		{Entity: "contacts", Fields: []string{"id FROM accounts"}, Filter: crm.Filter{Field: "title", Op: crm.OpEq, Value: "x"}},
		{Entity: "contacts", Filter: crm.Filter{Field: "title", Op: crm.OpContains, Value: "50%"}},
	} {
		_, err := c.Search(ctx(t), q)
		wantCode(t, err, crm.InvalidArgument)
	}
	if sb.TotalCalls() != 0 {
		t.Fatal("refused searches reached the site")
	}
	_, err := c.Search(ctx(t), crm.Query{Entity: "contacts", Filter: crm.Filter{Field: "nickname", Op: crm.OpEq, Value: "x"}})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.Status != http.StatusBadRequest || e.CRMCode != osvcsandbox.CodeInvalidQuery {
		t.Fatalf("unknown column: %+v", e)
	}
	if len(sb.InvalidQueries()) != 1 {
		t.Fatal("refusal not recorded")
	}
	sb.ClearInvalidQueries() // the refusal above was wanted
}

func TestRelatedOpenNewestFirst(t *testing.T) {
	c, sb := startSandbox(t, nil, osvcsandbox.Options{})
	jane := janeID(t, c)
	if _, err := sb.AddRecord("incidents", map[string]any{"subject": "Toner empty", "primaryContact": map[string]any{"id": idNumber(jane)},
		"statusWithType": map[string]any{"status": map[string]any{"lookupName": "Updated"}}}); err != nil {
		t.Fatal(err)
	}
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "contacts", ID: jane}, 5)
	if err != nil || len(open) != 2 {
		t.Fatalf("%v %+v", err, open)
	}
	if !strings.HasSuffix(open[0].Display, "Toner empty") || !strings.HasSuffix(open[1].Display, "Printer on fire") {
		t.Fatalf("order: %q, %q", open[0].Display, open[1].Display)
	}
	if open[1].Fields["statusWithType.status.lookupName"] != "Unresolved" || open[1].Entity != "incidents" {
		t.Fatalf("%+v", open[1])
	}
	_, err = c.RelatedOpen(ctx(t), crm.Ref{Entity: "tasks", ID: "1"}, 5)
	wantCode(t, err, crm.InvalidArgument)
}

func TestGetReadsListFields(t *testing.T) {
	c, _ := startSandbox(t, nil, osvcsandbox.Options{})
	jane := janeID(t, c)
	got, err := c.Get(ctx(t), crm.Ref{Entity: "contacts", ID: jane}, []string{"emails.address", "phones.rawNumber", "organization.name"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Fields["emails.address"] != "jane.doe@example.com" || got.Fields["phones.rawNumber"] != "4155550100" ||
		got.Fields["organization.name"] != "Acme Corporation" || got.Updated.IsZero() {
		t.Fatalf("%+v", got)
	}
}
