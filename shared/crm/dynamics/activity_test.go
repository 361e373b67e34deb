package dynamics

import (
	"fmt"
	"net/http"
	"strings"
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

func TestAddActivityIsOneAtomicBatch(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, _ := janeAndCase(t, c)
	if _, err := c.whoAmI(ctx(t)); err != nil {
		t.Fatal(err)
	}
	sb.ResetCalls()
	res, err := c.AddActivity(ctx(t), activity("job-one", "inbound", jane))
	if err != nil {
		t.Fatal(err)
	}
	if n := sb.TotalCalls(); n != 1 || sb.Calls("POST /api/data/v9.2/$batch") != 1 {
		t.Fatalf("%d calls, want the one $batch", n)
	}
	if want := writeID(crm.WriteActivity, "phonecall", "job-one"); res.Records[0] != (crm.Ref{Entity: "phonecall", ID: want}) {
		t.Fatalf("%+v, want id %s", res.Records, want)
	}
	if row := sb.Record("phonecall", res.Records[0].ID); row["statecode"] != 1.0 || row["statuscode"] != 4.0 {
		t.Fatalf("row %+v", row)
	}
}

func TestAddActivityBatchRefusedWritesNothing(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, _ := janeAndCase(t, c)
	a := activity("job-retry", "inbound", jane)

	// The batch is refused as a whole: nothing is written, the error is retryable.
	sb.Inject(sandbox.Fault{Match: "/api/data/v9.2/$batch", Method: http.MethodPost, Times: 1, Status: 503,
		Header: http.Header{"Retry-After": {"2"}}, Body: `{"error":{"code":"0x80040216","message":"An unexpected error occurred."}}`})
	_, err := c.AddActivity(ctx(t), a)
	if e := wantCode(t, err, crm.Unavailable); e.RetryAfter != 2*time.Second || !e.Retryable {
		t.Fatalf("%+v", e)
	}
	if n := len(sb.Records("phonecall")); n != 1 { // the demo call only
		t.Fatalf("%d phone calls, want 1", n)
	}
	res, err := c.AddActivity(ctx(t), a)
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: a.Key})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite: %+v %v %v", got, found, err)
	}
}

func TestAddActivityFinishesAnOpenCall(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, _ := janeAndCase(t, c)
	a := activity("job-legacy", "inbound", jane)
	// An open call with the key's id, as the two-request writes of earlier
	// versions could leave behind.
	id := writeID(crm.WriteActivity, "phonecall", a.Key)
	if sb.Add("phonecall", map[string]any{"activityid": id, "subject": "Inbound call"}) != id {
		t.Fatal("seed")
	}
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: a.Key}); err != nil || found {
		t.Fatalf("an open call must not count as written: found=%v err=%v", found, err)
	}
	res, err := c.AddActivity(ctx(t), a)
	if err != nil {
		t.Fatal(err)
	}
	if row := sb.Record("phonecall", res.Records[0].ID); res.Records[0].ID != id || row["statecode"] != 1.0 || row["statuscode"] != 4.0 {
		t.Fatalf("%+v row %+v", res, row)
	}
	// Again (answer lost after everything was written): nothing changes.
	before := sb.Calls("PATCH /api/data/v9.2/phonecalls(" + id + ")")
	if _, err := c.AddActivity(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	if after := sb.Calls("PATCH /api/data/v9.2/phonecalls(" + id + ")"); after != before || len(sb.Records("phonecall")) != 2 {
		t.Fatalf("completed call patched again (%d→%d) or duplicated", before, after)
	}
}

func TestAddActivityLostBatchAnswer(t *testing.T) {
	c, sb := startSandbox(t, nil, dvsandbox.Options{})
	jane, _ := janeAndCase(t, c)
	a := activity("job-lost", "outbound", jane)
	sb.Inject(sandbox.Fault{Match: "/api/data/v9.2/$batch", Method: http.MethodPost, Times: 1, Status: 502, AfterWrite: true})
	if _, err := c.AddActivity(ctx(t), a); crm.CodeOf(err) != crm.Unavailable {
		t.Fatalf("err = %v", err)
	}
	sb.ResetCalls()
	res, err := c.AddActivity(ctx(t), a)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sb.Records("phonecall")); n != 2 {
		t.Fatalf("%d phone calls, want 2", n)
	}
	if row := sb.Record("phonecall", res.Records[0].ID); row["statecode"] != 1.0 || row["statuscode"] != 2.0 {
		t.Fatalf("row %+v", row)
	}
	// The duplicate create is answered inside the batch; the call is found complete.
	if sb.Calls("POST /api/data/v9.2/$batch") != 1 || sb.CallsPrefix("PATCH ") != 0 {
		t.Fatalf("calls: batch %d patch %d", sb.Calls("POST /api/data/v9.2/$batch"), sb.CallsPrefix("PATCH "))
	}
}

// batchAnswer is a $batch answer as Dataverse documents it: one
// application/http part per answer.
func batchAnswer(w http.ResponseWriter, status int, header http.Header, parts ...string) {
	for k, v := range header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "multipart/mixed; boundary=batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a")
	w.WriteHeader(status)
	for _, p := range parts {
		fmt.Fprintf(w, "--batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a\r\nContent-Type: application/http\r\n"+
			"Content-Transfer-Encoding: binary\r\n\r\n%s\r\n", p)
	}
	fmt.Fprint(w, "--batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a--\r\n")
}

func TestAddActivityBatchErrors(t *testing.T) {
	const userID = "ffda0835-dece-4281-ba32-14198c4366ca"
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter)
		code   crm.Code
		crm    string
		retry  bool
		after  time.Duration
	}{
		{"validation in a part", func(w http.ResponseWriter) {
			batchAnswer(w, 400, nil, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; odata.metadata=minimal\r\n"+
				"OData-Version: 4.0\r\n\r\n"+`{"error":{"code":"0x80044331","message":"A validation error occurred.  The length of the 'subject' attribute of the 'phonecall' entity exceeded the maximum allowed length of '200'."}}`)
		}, crm.InvalidArgument, "0x80044331", false, 0},
		{"throttled part", func(w http.ResponseWriter) {
			batchAnswer(w, 429, nil, "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 9\r\nContent-Type: application/json\r\n\r\n"+
				`{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}`)
		}, crm.ResourceExhausted, "0x80072322", true, 9 * time.Second},
		{"throttled batch, Retry-After on the batch answer", func(w http.ResponseWriter) {
			batchAnswer(w, 429, http.Header{"Retry-After": {"4"}}, "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n\r\n"+
				`{"error":{"code":"0x80072321","message":"Combined execution time of incoming requests exceeded limit."}}`)
		}, crm.ResourceExhausted, "0x80072321", true, 4 * time.Second},
		{"throttled before the batch ran", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "7")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(429)
			fmt.Fprint(w, `{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}`)
		}, crm.ResourceExhausted, "0x80072322", true, 7 * time.Second},
		{"server error in a part", func(w http.ResponseWriter) {
			batchAnswer(w, 500, nil, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n\r\n"+
				`{"error":{"code":"0x80040216","message":"An unexpected error occurred."}}`)
		}, crm.Unavailable, "0x80040216", true, 0},
		{"part error in a change set answer", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "multipart/mixed; boundary=batchresponse_1")
			w.WriteHeader(200)
			fmt.Fprint(w, "--batchresponse_1\nContent-Type: multipart/mixed; boundary=changesetresponse_2\n\n"+
				"--changesetresponse_2\nContent-Type: application/http\nContent-Transfer-Encoding: binary\nContent-ID: 2\n\n"+
				"HTTP/1.1 404 Not Found\nContent-Type: application/json\n\n"+`{"error":{"code":"0x80040217","message":"phonecall With Id = x Does Not Exist"}}`+
				"\n--changesetresponse_2--\n--batchresponse_1--\n")
		}, crm.NotFound, "0x80040217", false, 0},
		{"success without OData-EntityId", func(w http.ResponseWriter) {
			batchAnswer(w, 200, nil, "HTTP/1.1 204 No Content\r\nOData-Version: 4.0\r\n", "HTTP/1.1 204 No Content\r\n")
		}, crm.Internal, "", false, 0},
		{"not multipart", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{}`)
		}, crm.Internal, "", false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("POST /tenant/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, `{"token_type":"Bearer","expires_in":3599,"access_token":"tok"}`)
			})
			mux.HandleFunc("GET /api/data/v9.2/WhoAmI", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `{"UserId":%q}`, userID)
			})
			mux.HandleFunc("POST /api/data/v9.2/$batch", func(w http.ResponseWriter, r *http.Request) { tc.answer(w) })
			c := fakeEnv(t, mux)
			_, err := c.AddActivity(ctx(t), activity("job-err", "inbound"))
			e := wantCode(t, err, tc.code)
			if e.CRMCode != tc.crm || e.Retryable != tc.retry || e.RetryAfter != tc.after {
				t.Fatalf("%+v", e)
			}
		})
	}
}

func TestAddActivityReadsTheBatchAnswer(t *testing.T) {
	id := writeID(crm.WriteActivity, "phonecall", "job-doc")
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tenant/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"token_type":"Bearer","expires_in":3599,"access_token":"tok"}`)
	})
	mux.HandleFunc("GET /api/data/v9.2/WhoAmI", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"UserId":"ffda0835-dece-4281-ba32-14198c4366ca"}`)
	})
	mux.HandleFunc("POST /api/data/v9.2/$batch", func(w http.ResponseWriter, r *http.Request) {
		// The documented change set answer, LF line ends and all.
		w.Header().Set("Content-Type", "multipart/mixed; boundary=batchresponse_f27ef42d")
		fmt.Fprintf(w, "--batchresponse_f27ef42d\nContent-Type: multipart/mixed; boundary=changesetresponse_64cc3fff\n\n"+
			"--changesetresponse_64cc3fff\nContent-Type: application/http\nContent-Transfer-Encoding: binary\nContent-ID: 1\n\n"+
			"HTTP/1.1 204 No Content\nOData-Version: 4.0\nLocation: https://org.crm.dynamics.com/api/data/v9.2/phonecalls(%[1]s)\n"+
			"OData-EntityId: https://org.crm.dynamics.com/api/data/v9.2/phonecalls(%[1]s)\n\n\n"+
			"--changesetresponse_64cc3fff\nContent-Type: application/http\nContent-Transfer-Encoding: binary\nContent-ID: 2\n\n"+
			"HTTP/1.1 204 No Content\nOData-Version: 4.0\n\n\n--changesetresponse_64cc3fff--\n--batchresponse_f27ef42d--\n",
			strings.ToUpper(id))
	})
	c := fakeEnv(t, mux)
	res, err := c.AddActivity(ctx(t), activity("job-doc", "inbound"))
	if err != nil || res.Records[0] != (crm.Ref{Entity: "phonecall", ID: id}) {
		t.Fatalf("%+v %v", res, err)
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
