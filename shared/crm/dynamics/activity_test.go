package dynamics

import (
	"net/http"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/sandbox"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

// janeAndCase finds Jane and her open case in a fresh demo environment.
func janeAndCase(t *testing.T, c *connector) (jane, incident crm.Ref) {
	t.Helper()
	recs, err := c.SearchByEmail(ctx(t), janeByEmail)
	if err != nil || len(recs) != 1 {
		t.Fatalf("%v %d", err, len(recs))
	}
	jane = crm.Ref{Entity: "contact", ID: recs[0].ID}
	open, err := c.RelatedOpen(ctx(t), jane, 5)
	if err != nil || len(open) != 1 {
		t.Fatalf("open cases: %v %+v", err, open)
	}
	return jane, crm.Ref{Entity: "incident", ID: open[0].ID}
}

func activity(key, direction string, links ...crm.Ref) crm.Activity {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	return crm.Activity{Key: key, Direction: direction, MediaType: "voice", Phone: crmtest.JaneANI, Start: start,
		End: start.Add(40 * time.Second), Duration: 40 * time.Second, AgentName: "Agent Smith", Links: links}
}

func TestAddActivityOutboundRegardingCase(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, incident := janeAndCase(t, c)
	res, err := c.AddActivity(ctx(t), activity("job-out", "outbound", jane, incident))
	if err != nil {
		t.Fatal(err)
	}
	row := sb.Record("phonecall", res.Records[0].ID)
	if row["subject"] != "Outbound call" || row["directioncode"] != true || row["actualdurationminutes"] != 1.0 ||
		row["statecode"] != 1.0 || row["statuscode"] != 2.0 || row["_regardingobjectid_value"] != incident.ID {
		t.Fatalf("phone call row: %+v", row)
	}
	parties := sb.Parties(res.Records[0].ID)
	want := []dvsandbox.Party{{Entity: "contact", ID: jane.ID, Mask: 2}, {Entity: "systemuser", ID: sb.UserID(), Mask: 1}}
	if len(parties) != 2 || parties[0] != want[0] || parties[1] != want[1] {
		t.Fatalf("parties %+v, want %+v", parties, want)
	}
}

func TestAddActivityFinishesAnInterruptedWrite(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, _ := janeAndCase(t, c)
	a := activity("job-retry", "inbound", jane)

	// The create lands, the completing PATCH fails: the write is not done.
	sb.Inject(sandbox.Fault{Match: "/api/data/v9.2/phonecalls(", Method: http.MethodPatch, Times: 1, Status: 503,
		Header: http.Header{"Retry-After": {"2"}}, Body: `{"error":{"code":"0x80040216","message":"An unexpected error occurred."}}`})
	_, err := c.AddActivity(ctx(t), a)
	if e := wantCode(t, err, crm.Unavailable); e.RetryAfter != 2*time.Second {
		t.Fatalf("%+v", e)
	}
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: a.Key}); err != nil || found {
		t.Fatalf("an open call must not count as written: found=%v err=%v", found, err)
	}

	// The retry's create is a duplicate; the driver completes the existing call.
	res, err := c.AddActivity(ctx(t), a)
	if err != nil {
		t.Fatal(err)
	}
	calls := sb.Records("phonecall")
	if len(calls) != 2 { // the demo call and this one
		t.Fatalf("%d phone calls, want 2", len(calls))
	}
	if row := sb.Record("phonecall", res.Records[0].ID); row["statecode"] != 1.0 || row["statuscode"] != 4.0 {
		t.Fatalf("row %+v", row)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: a.Key})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite: %+v %v %v", got, found, err)
	}

	// A third run (answer lost after everything was written) changes nothing.
	before := sb.Calls("PATCH /api/data/v9.2/phonecalls(" + res.Records[0].ID + ")")
	if _, err := c.AddActivity(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	if after := sb.Calls("PATCH /api/data/v9.2/phonecalls(" + res.Records[0].ID + ")"); after != before || len(sb.Records("phonecall")) != 2 {
		t.Fatalf("completed call patched again (%d→%d) or duplicated", before, after)
	}
}

func TestAddActivityLostCreateAnswer(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, _ := janeAndCase(t, c)
	a := activity("job-lost", "inbound", jane)
	sb.Inject(sandbox.Fault{Match: "/api/data/v9.2/phonecalls", Method: http.MethodPost, Times: 1, Status: 502, AfterWrite: true})
	if _, err := c.AddActivity(ctx(t), a); crm.CodeOf(err) != crm.Unavailable {
		t.Fatalf("err = %v", err)
	}
	res, err := c.AddActivity(ctx(t), a)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sb.Records("phonecall")); n != 2 {
		t.Fatalf("%d phone calls, want 2", n)
	}
	if row := sb.Record("phonecall", res.Records[0].ID); row["statecode"] != 1.0 {
		t.Fatalf("row %+v", row)
	}
}

func TestAddActivityRefusesBadInput(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	for _, a := range []crm.Activity{
		{Key: ""},
		{Key: "k", Links: []crm.Ref{{Entity: "contact", ID: "not-a-guid"}}},
		{Key: "k", Links: []crm.Ref{{Entity: "Contact)", ID: "7d577253-3ef0-4a0a-bb7f-8335c2596e70"}}},
	} {
		if _, err := c.AddActivity(ctx(t), a); crm.CodeOf(err) != crm.InvalidArgument {
			t.Errorf("%+v: %v", a, err)
		}
	}
	if sb.TotalCalls() != 0 {
		t.Fatalf("bad input reached the CRM: %d calls", sb.TotalCalls())
	}
}

func TestPhonecallBodyLimits(t *testing.T) {
	long := make([]rune, 3000)
	for i := range long {
		long[i] = 'é'
	}
	b := phonecallBody(crm.Activity{Subject: string(long), Description: string(long), Phone: string(long)}, "id", "")
	for k, max := range map[string]int{"subject": maxSubject, "description": maxDescription, "phonenumber": maxPhoneNumber} {
		if n := len([]rune(b[k].(string))); n != max {
			t.Errorf("%s has %d runes, want %d", k, n, max)
		}
	}
	if _, ok := b["directioncode"]; ok {
		t.Error("no direction given, directioncode set")
	}
	if _, ok := b["phonecall_activity_parties"]; ok {
		t.Error("parties without links or user")
	}
}
