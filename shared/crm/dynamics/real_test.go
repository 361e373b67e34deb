package dynamics

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	dvsandbox "github.com/crmflow/crmflow/shared/sandbox/dynamics"
)

// realFile reads a recorded or published answer (testdata/real/SOURCES.md).
func realFile(t *testing.T, name string) []byte {
	t.Helper()
	return crmtest.RealFile(t, name)
}

// documentedHost is the environment host of the published examples; a
// replay serves them on its own address instead, so next links stay on the
// environment.
const documentedHost = "https://yourorg.crm.dynamics.com"

// replay is an environment that answers every Web API request with one
// recorded answer (and tokens as Entra does).
func replay(t *testing.T, status int, header http.Header, body []byte) *connector {
	t.Helper()
	var c *connector
	mux := http.NewServeMux()
	mux.HandleFunc("POST /tenant/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"token_type":"Bearer","expires_in":3599,"access_token":"tok"}`)
	})
	mux.HandleFunc("/api/data/", func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(strings.ReplaceAll(string(body), documentedHost, c.origin)))
	})
	c = fakeEnv(t, mux)
	return c
}

// TestRealFilesAreListed: every file under testdata/real is named in
// SOURCES.md and decoded by a test here.
func TestRealFilesAreListed(t *testing.T) { crmtest.CheckRealFilesListed(t) }

// TestRealWhoAmI: Ping takes the documented WhoAmI answer.
func TestRealWhoAmI(t *testing.T) {
	c := replay(t, 200, http.Header{"Content-Type": {"application/json; odata.metadata=minimal"}}, realFile(t, "whoami-200.json"))
	if err := c.Ping(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if c.userID != "24e34f5e-7f1a-43fe-88da-7e4b862d51ad" {
		t.Fatalf("user %q", c.userID)
	}
	if err := replay(t, 200, nil, []byte(`{"UserId":null}`)).Ping(ctx(t)); crm.CodeOf(err) != crm.Internal {
		t.Fatalf("no user id: %v", err)
	}
}

// TestRealEntityDefinition: Describe reads the published EntityDefinitions
// answer (which the reference shows inside a value array) and its label.
func TestRealEntityDefinition(t *testing.T) {
	body := strings.Replace(string(realFile(t, "entity-definition-account.json")), `"EntitySetName"`, `"LogicalName": "account", "EntitySetName"`, 1)
	meta, err := replay(t, 200, nil, []byte(body)).Describe(ctx(t), "Accounts")
	if err != nil || meta.Entity != "account" || meta.Label != "Account" {
		t.Fatalf("%+v %v", meta, err)
	}
	// As published (no LogicalName selected): not a definition of account.
	_, err = replay(t, 200, nil, realFile(t, "entity-definition-account.json")).Describe(ctx(t), "account")
	wantCode(t, err, crm.Internal)
	// An entity set name other than the derived one cannot be addressed.
	renamed := strings.Replace(body, `"EntitySetName": "accounts"`, `"EntitySetName": "accountz"`, 1)
	_, err = replay(t, 200, nil, []byte(renamed)).Describe(ctx(t), "account")
	if e := wantCode(t, err, crm.Internal); !strings.Contains(e.Message, "accountz") {
		t.Fatalf("%+v", e)
	}
}

// TestRealQueryAndRetrieve: a collection page with @odata.nextLink (followed
// on the environment's own host) and a single retrieve.
func TestRealQueryAndRetrieve(t *testing.T) {
	c := replay(t, 200, nil, realFile(t, "query-contacts-paged.json"))
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com", Limit: 2, Entities: []crm.EntitySpec{{Entity: "contact"}}})
	// The replay answers the next page with the same row again.
	if err != nil || len(recs) != 2 || recs[0].ID != "00000000-0000-0000-0000-000000000001" || recs[0].Display != "Jane Doe" ||
		recs[0].Fields["telephone1"] != "4155551212" || recs[0].Fields["mobilephone"] != nil {
		t.Fatalf("%+v %v", recs, err)
	}
	// The same page from another host: its next link is not followed.
	other := replay(t, 200, nil, []byte(strings.ReplaceAll(string(realFile(t, "query-contacts-paged.json")), documentedHost, "https://elsewhere.crm.dynamics.com")))
	_, err = other.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.com", Limit: 2, Entities: []crm.EntitySpec{{Entity: "contact"}}})
	wantCode(t, err, crm.Internal)

	c = replay(t, 200, nil, realFile(t, "retrieve-account.json"))
	rec, err := c.Get(ctx(t), crm.Ref{Entity: "Account", ID: "00000000-0000-0000-0000-000000000001"}, []string{"name", "revenue"})
	if err != nil || rec.Entity != "account" || rec.Display != "A. Datum Corporation (sample)" || rec.Fields["revenue"] != 10000.0 {
		t.Fatalf("%+v %v", rec, err)
	}
}

// TestRealCreate: the documented 204 with the new row's address in
// OData-EntityId and no body.
func TestRealCreate(t *testing.T) {
	h := http.Header{"OData-EntityId": {documentedHost + "/api/data/v9.2/accounts(7eb682f1-ca75-e511-80d4-00155d2a68d1)"}}
	rec, err := replay(t, 204, h, realFile(t, "create-204-empty.txt")).Create(ctx(t), "accounts", map[string]any{"name": "Sample Account"})
	if err != nil || rec.ID != "7eb682f1-ca75-e511-80d4-00155d2a68d1" || rec.Entity != "account" || rec.Display != "Sample Account" {
		t.Fatalf("%+v %v", rec, err)
	}
	_, err = replay(t, 204, nil, realFile(t, "create-204-empty.txt")).Create(ctx(t), "account", map[string]any{"name": "x"})
	wantCode(t, err, crm.Internal)
}

// TestRealErrors: Dataverse's refusals keep their status, code and human
// message; service protection limits are retryable after Retry-After.
func TestRealErrors(t *testing.T) {
	cases := []struct {
		file      string
		status    int
		header    http.Header
		code      crm.Code
		crmCode   string
		message   string // a part of the message
		retryWait time.Duration
	}{
		{"error-invalid-property-400.json", 400, nil, crm.InvalidArgument, "0x80048d19",
			"Invalid property 'ccl3016_NextofKinRequired' was found in entity 'Microsoft.Dynamics.CRM.contact'", 0},
		{"error-undeclared-property-400.json", 400, nil, crm.InvalidArgument, "0x0", "An undeclared property 'lowercasefieldname'", 0},
		{"error-segment-not-found.json", 404, nil, crm.NotFound, "0x80060888", "Resource not found for the segment 'cr755_sauditrecordss'.", 0},
		{"error-not-found-404.json", 404, nil, crm.NotFound, "0x80040217", "Does Not Exist", 0},
		{"error-request-limit-429.json", 429, http.Header{"Retry-After": {"15"}}, crm.ResourceExhausted, "0x80072322",
			"Number of requests exceeded the limit of 6000 over time window of 300 seconds.", 15 * time.Second},
		{"error-execution-time-429.json", 429, http.Header{"Retry-After": {"30"}}, crm.ResourceExhausted, "0x80072321",
			"Combined execution time of incoming requests exceeded limit", 30 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			h := http.Header{"Content-Type": {"application/json; odata.metadata=minimal"}}
			for k, v := range tc.header {
				h[k] = v
			}
			c := replay(t, tc.status, h, realFile(t, tc.file))
			_, err := c.Create(ctx(t), "contact", map[string]any{"firstname": "Jane"})
			e := wantCode(t, err, tc.code)
			if e.IsRefusal() || e.Status != tc.status || e.CRMCode != tc.crmCode || !strings.Contains(e.Message, tc.message) ||
				e.RetryAfter != tc.retryWait || e.Retryable != tc.code.Retryable() {
				t.Fatalf("%+v", e)
			}
		})
	}
}

// TestSandboxAnswersAsRecorded: the sandbox's refusal of an unknown column
// and its table definitions have the shapes of the recorded answers.
func TestSandboxAnswersAsRecorded(t *testing.T) {
	c, _ := startSandbox(t, nil, dvsandbox.Options{})
	_, err := c.Create(ctx(t), "contact", map[string]any{"firstname": "Janie", "nickname": "JD"})
	e := wantCode(t, err, crm.InvalidArgument)
	want := wantCode(t, func() error {
		_, err := replay(t, 400, nil, realFile(t, "error-invalid-property-400.json")).Create(ctx(t), "contact", nil)
		return err
	}(), crm.InvalidArgument)
	if e.CRMCode != want.CRMCode || e.Status != want.Status ||
		!strings.Contains(e.Message, "Microsoft.Crm.CrmException: Invalid property 'nickname' was found in entity 'Microsoft.Dynamics.CRM.contact'.") ||
		!strings.HasPrefix(e.Message, "Error identified in Payload provided by the user for Entity :'contacts'") {
		t.Fatalf("sandbox %+v, recorded %+v", e, want)
	}
	meta, err := c.Describe(ctx(t), "Contact")
	if err != nil || meta.Entity != "contact" || meta.Label != "Contact" {
		t.Fatalf("%+v %v", meta, err)
	}
	if f, ok := meta.Field("emailaddress1"); !ok || f.Label != "Email" || f.Type != "String" {
		t.Fatalf("emailaddress1: %+v", f)
	}
	if f, ok := meta.Field("parentcustomerid"); !ok || f.Type != "Customer" {
		t.Fatalf("parentcustomerid: %+v", f)
	}
	_, err = c.Describe(ctx(t), "new_missing")
	if e := wantCode(t, err, crm.NotFound); e.CRMCode != "0x80041102" {
		t.Fatalf("%+v", e)
	}
}
