package servicenow

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

func variants(t *testing.T, raw string) []string {
	t.Helper()
	v, err := phone.Variants(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSearchFollowsNextLinks(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{Empty: true, MaxLimit: 2})
	for i := range 7 {
		sb.AddRecord("incident", map[string]string{"short_description": fmt.Sprintf("Printer %d jammed", i), "category": "hardware"})
	}
	sb.AddRecord("incident", map[string]string{"short_description": "Password reset", "category": "software"})
	recs, err := c.Search(ctx(t), crm.Query{Entity: "incident", Fields: []string{"short_description"}, Limit: 6,
		Filter: crm.Filter{Field: "category", Op: crm.OpEq, Value: "hardware"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 {
		t.Fatalf("got %d records, want the limit of 6", len(recs))
	}
	if n := sb.CallsPrefix("GET /api/now/v2/table/incident"); n != 3 {
		t.Fatalf("%d pages read, want 3 of 2 rows", n)
	}
	for _, r := range recs {
		if r.Entity != "incident" || !strings.HasPrefix(r.Display, "INC") || !strings.Contains(r.Display, "jammed") || r.Updated.IsZero() {
			t.Fatalf("record %+v", r)
		}
	}
}

func TestNextLinkMustStayOnInstance(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/now/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<https://evil.example/api/now/v2/table/sys_user?sysparm_offset=1>;rel="next"`)
		_, _ = w.Write([]byte(`{"result":[{"sys_id":"0123456789abcdef0123456789abcdef","name":"A"}]}`))
	})
	c := fakeInstance(t, mux)
	_, err := c.Search(ctx(t), crm.Query{Entity: "sys_user", Filter: eq("name", "A"), Limit: 5})
	e := wantCode(t, err, crm.Internal)
	if !strings.Contains(e.Message, "leaves the instance") {
		t.Fatalf("got %v", e)
	}
}

func TestNextLink(t *testing.T) {
	h := http.Header{"Link": {`<https://i.service-now.com/api/now/table/x?sysparm_fields=a%2Cb&sysparm_offset=0>;rel="first",` +
		`<https://i.service-now.com/api/now/table/x?sysparm_fields=a%2Cb&sysparm_offset=10>;rel="next",` +
		`<https://i.service-now.com/api/now/table/x?sysparm_offset=40>;rel="last"`}}
	if got := nextLink(h); got != "https://i.service-now.com/api/now/table/x?sysparm_fields=a%2Cb&sysparm_offset=10" {
		t.Fatalf("next = %q", got)
	}
	if got := nextLink(http.Header{"Link": {`<https://i/x>;rel="last"`}}); got != "" {
		t.Fatalf("next = %q", got)
	}
}

func TestPhoneSearchFindsContactsOnce(t *testing.T) {
	c, _ := startSandbox(t, nil, snsandbox.Options{MaxLimit: 2})
	// Ava is a customer_contact, so both the sys_user and the
	// customer_contact search find her; her mobile is "+1 (650) 555-0199".
	recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: variants(t, "6505550199"), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Entity != "customer_contact" || recs[0].Display != "Ava Chen" {
		t.Fatalf("got %+v", recs)
	}
	if recs[0].Fields["mobile_phone"] != "+1 (650) 555-0199" {
		t.Fatalf("fields %v", recs[0].Fields)
	}
}

func TestPhoneSearchWithMapping(t *testing.T) {
	c, _ := startSandbox(t, nil, snsandbox.Options{})
	recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: variants(t, "+17735550162"), Limit: 10,
		Entities: []crm.EntitySpec{{Entity: "sys_user", SearchFields: []string{"mobile_phone"}, DisplayFields: []string{"name", "title"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Display != "Maria Garcia" || recs[0].Fields["title"] != "Procurement" {
		t.Fatalf("got %+v", recs)
	}
	_, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"+17735550162"},
		Entities: []crm.EntitySpec{{Entity: "u_call_note"}}})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"+17735550162"},
		Entities: []crm.EntitySpec{{Entity: "sys_user", SearchFields: []string{"Phone"}}}})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.SearchByPhone(ctx(t), crm.PhoneSearch{})
	wantCode(t, err, crm.InvalidArgument)
}

// TestValuesArriveUnchanged: characters with meaning in an encoded query
// are searched for as text.
func TestValuesArriveUnchanged(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{Empty: true})
	odd := []string{"a^ORb", "^NQactive=true", "x^^y", "O'Brien, Jr.", "50% off_now", "=starts", "a@b.com^ORemail!=x", `back\slash`}
	for i, v := range odd {
		sb.AddRecord("sys_user", map[string]string{"user_name": fmt.Sprintf("u%d", i), "last_name": v, "email": v})
	}
	sb.AddRecord("sys_user", map[string]string{"user_name": "plain", "last_name": "plain", "active": "true"})
	for _, v := range odd {
		recs, err := c.Search(ctx(t), crm.Query{Entity: "sys_user", Filter: eq("last_name", v), Fields: []string{"last_name"}})
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if len(recs) != 1 || recs[0].Fields["last_name"] != v {
			t.Fatalf("%q matched %+v", v, recs)
		}
		recs, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: v})
		if err != nil || len(recs) != 1 {
			t.Fatalf("email %q: %d records, %v", v, len(recs), err)
		}
	}
}

func TestRelatedOpen(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{MaxLimit: 2})
	jane := janeID(t, sb)
	later := sb.AddRecord("incident", map[string]string{"short_description": "Monitor flickers", "caller_id": jane,
		"sys_updated_on": "2026-11-22 08:00:00"})
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "sys_user", ID: jane}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 2 || open[0].ID != later || !strings.Contains(open[1].Display, "Printer on fire") {
		t.Fatalf("got %+v", open)
	}
	for _, r := range open {
		if strings.Contains(r.Display, "VPN") {
			t.Fatal("a closed incident is listed")
		}
	}

	ava := findRow(t, sb, "customer_contact", "user_name", "ava.chen")
	cases, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "customer_contact", ID: ava}, 0)
	if err != nil || len(cases) != 1 || cases[0].Entity != "sn_customerservice_case" {
		t.Fatalf("cases %+v, %v", cases, err)
	}

	calls := sb.TotalCalls()
	_, err = c.RelatedOpen(ctx(t), crm.Ref{Entity: "sys_user", ID: "x' OR 1=1"}, 5)
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.RelatedOpen(ctx(t), crm.Ref{Entity: "incident", ID: later}, 5)
	wantCode(t, err, crm.InvalidArgument)
	if sb.TotalCalls() != calls {
		t.Fatal("refused arguments reached the instance")
	}
}

func TestGetDotWalkedField(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	printer := printerID(t, sb)
	rec, err := c.Get(ctx(t), crm.Ref{Entity: "incident", ID: printer}, []string{"caller_id.email", "state"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Fields["caller_id.email"] != "jane.doe@example.com" || rec.Fields["state"] != "2" {
		t.Fatalf("fields %v", rec.Fields)
	}
	if rec.URL != c.origin+"/nav_to.do?uri=incident.do%3Fsys_id%3D"+printer {
		t.Fatalf("url %s", rec.URL)
	}
	_, err = c.Get(ctx(t), crm.Ref{Entity: "incident", ID: printer}, []string{"caller_id/../x"})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.Get(ctx(t), crm.Ref{Entity: "incident/../sys_user", ID: printer}, nil)
	wantCode(t, err, crm.InvalidArgument)
}

func TestInvalidTable(t *testing.T) {
	c, _ := startSandbox(t, nil, snsandbox.Options{})
	_, err := c.Create(ctx(t), "u_does_not_exist", map[string]any{"u_x": "1"})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.Status != 400 || e.Message != "Invalid table u_does_not_exist" {
		t.Fatalf("got %+v", e)
	}
}

// TestSingleMatchSearchCalls counts the Table API calls of a single-match
// phone search with its open incidents (crm.SearchByPhoneWithRelated, the
// two-call path: the driver is no RelatedSearcher, see doc.go "Search
// round trips"): one read per searched table, then one of the match's open
// tickets.
func TestSingleMatchSearchCalls(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	if _, ok := any(c).(crm.RelatedSearcher); ok {
		t.Fatal("the driver claims one round trip")
	}
	for _, tc := range []struct {
		name     string
		entities []crm.EntitySpec
		calls    int
	}{
		{"default tables (sys_user, customer_contact)", nil, 3},
		{"one mapped table", []crm.EntitySpec{{Entity: "sys_user"}}, 2},
	} {
		if err := c.Ping(ctx(t)); err != nil { // the token, fetched outside the count
			t.Fatal(err)
		}
		sb.ResetCalls()
		res, err := crm.SearchByPhoneWithRelated(ctx(t), c, crm.PhoneSearch{Variants: variants(t, crmtest.JaneANI), Entities: tc.entities, Limit: 10}, 5)
		if err != nil || res.RelatedErr != nil || len(res.Records) != 1 || len(res.Records[0].Related) != 1 {
			t.Fatalf("%s: got %+v, %v", tc.name, res, err)
		}
		if n := sb.CallsPrefix("GET /api/now/"); n != tc.calls || sb.TotalCalls() != tc.calls {
			t.Fatalf("%s: %d Table API calls (%d in all), want %d", tc.name, n, sb.TotalCalls(), tc.calls)
		}
	}
}
