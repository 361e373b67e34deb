package salesforce

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

// realFile reads a recorded or published answer (testdata/real/SOURCES.md).
func realFile(t *testing.T, name string) []byte {
	t.Helper()
	return crmtest.RealFile(t, name)
}

// answer is one recorded answer a replayed org gives for a path.
type answer struct {
	status int
	file   string
}

// replayOrg is an org whose token endpoint issues a session on its own
// host and whose API answers each path (below /services/data/{version}/,
// or a full path for a nextRecordsUrl) with a recorded answer; other paths
// are 404 NOT_FOUND.
func replayOrg(t *testing.T, answers map[string]answer) *connector {
	t.Helper()
	bodies := map[string][]byte{}
	for _, a := range answers {
		bodies[a.file] = realFile(t, a.file)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /services/oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"access_token":"00Dxx!tok","token_type":"Bearer","instance_url":"http://%s"}`, r.Host)
	})
	mux.HandleFunc("/services/data/", func(w http.ResponseWriter, r *http.Request) {
		a, ok := answers[r.URL.Path]
		if !ok {
			a, ok = answers[strings.TrimPrefix(r.URL.Path, "/services/data/v62.0/")]
		}
		if !ok {
			a = answer{http.StatusNotFound, "error-not-found-404.json"}
			if bodies[a.file] == nil {
				bodies[a.file] = realFile(t, a.file)
			}
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(a.status)
		w.Write(bodies[a.file])
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return clientCredentials(t, srv.URL)
}

// TestRealFilesAreListed: every file under testdata/real is named in
// SOURCES.md and decoded by a test here.
func TestRealFilesAreListed(t *testing.T) { crmtest.CheckRealFilesListed(t) }

// TestRealQueryPages: a query follows nextRecordsUrl (a path of another API
// version, as recorded) until done, keeping Salesforce's attributes.type.
func TestRealQueryPages(t *testing.T) {
	c := replayOrg(t, map[string]answer{
		"query":                           {200, "query-first-page.json"},
		"/services/data/v26.0/query/01gD": {200, "query-last-page.json"},
	})
	recs, err := c.Search(ctx(t), crm.Query{Entity: "Whizbang__c", Fields: []string{"Text_Label"}, Limit: 10,
		Filter: crm.Filter{Field: "Text_Label", Op: crm.OpNe, Value: ""}})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Fields["Text_Label"] != "First Page" || recs[1].Fields["Text_Label"] != "Last Page" || recs[0].Entity != "Whizbang" {
		t.Fatalf("pages: %+v", recs)
	}
}

// TestRealQueryRelationships: a parent relationship is a nested record
// (ParentWhizbang__r.Name), a datetime is read as Salesforce writes it.
func TestRealQueryRelationships(t *testing.T) {
	c := replayOrg(t, map[string]answer{"query": {200, "query-relationships.json"}})
	recs, err := c.Search(ctx(t), crm.Query{Entity: "Whizbang__c", Fields: []string{"Text_Label", "ParentWhizbang__r.Name", "Checkbox_Label"},
		Filter: crm.Filter{Field: "Checkbox_Label", Op: crm.OpEq, Value: false}})
	if err != nil || len(recs) != 1 {
		t.Fatalf("%+v %v", recs, err)
	}
	r := recs[0]
	if r.Fields["ParentWhizbang__r.Name"] != "Parent Whizbang" || r.Fields["Text_Label"] != "Hi there!" || r.Fields["Checkbox_Label"] != false {
		t.Fatalf("fields: %+v", r.Fields)
	}
	if r.Display != "Hi there!" {
		t.Fatalf("display %q", r.Display)
	}
}

func TestRealQueryEmpty(t *testing.T) {
	c := replayOrg(t, map[string]answer{"query": {200, "query-empty.json"}})
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "nobody@example.com"})
	if err != nil || len(recs) != 0 {
		t.Fatalf("%+v %v", recs, err)
	}
}

// TestRealRecord: a record read by id keeps every field, named by its Name.
func TestRealRecord(t *testing.T) {
	const id = "a00E0000004D5lsIAC"
	c := replayOrg(t, map[string]answer{"sobjects/Whizbang__c/" + id: {200, "record-find.json"}})
	r, err := c.Get(ctx(t), crm.Ref{Entity: "Whizbang__c", ID: id}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Display != "My First Whizbang" || r.Fields["Email_Label"] != "danny@example.com" || r.Fields["Number_Label"] != 23.0 ||
		r.Fields["OtherDateTime_Label"] != nil || r.Entity != "Whizbang" {
		t.Fatalf("%+v", r)
	}
}

func TestRealCreate(t *testing.T) {
	c := replayOrg(t, map[string]answer{"sobjects/Account": {201, "create-201.json"}})
	rec, err := c.Create(ctx(t), "account", map[string]any{"Name": "Acme"})
	if err != nil || rec.ID != "001D000000IqhSLIAJ" || rec.Entity != "Account" || rec.Display != "Acme" {
		t.Fatalf("%+v %v", rec, err)
	}
}

// TestRealErrors: each recorded error keeps its status, errorCode and
// Salesforce's own message, under the right portable code.
func TestRealErrors(t *testing.T) {
	cases := []struct {
		a       answer
		code    crm.Code
		crmCode string
		message string
	}{
		{answer{401, "error-session-expired-401.json"}, crm.Unauthenticated, "INVALID_SESSION_ID", "Session expired or invalid"},
		{answer{404, "error-not-found-404.json"}, crm.NotFound, "NOT_FOUND", "The requested resource does not exist"},
		{answer{404, "error-external-id-404.json"}, crm.NotFound, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: 23foo"},
		{answer{400, "error-no-such-column-400.json"}, crm.InvalidArgument, "INVALID_FIELD", "No such column 'foo' on sobject of type Bar"},
		{answer{400, "error-malformed-search-400.json"}, crm.InvalidArgument, "MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces."},
		{answer{400, "error-required-field-400.json"}, crm.InvalidArgument, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]"},
		{answer{403, "error-request-limit-403.json"}, crm.ResourceExhausted, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."},
	}
	for _, tc := range cases {
		c := replayOrg(t, map[string]answer{"sobjects/Account": tc.a})
		_, err := c.Create(ctx(t), "Account", map[string]any{"Name": "Acme"})
		e, ok := crm.AsError(err)
		if !ok || e.Code != tc.code || e.Status != tc.a.status || e.CRMCode != tc.crmCode || e.Message != tc.message || e.IsRefusal() {
			t.Errorf("%s: %+v", tc.a.file, e)
		}
		if tc.code == crm.ResourceExhausted && (!e.Retryable || e.RetryAfter != 0) {
			t.Errorf("%s: a rate limit is retryable with no Retry-After: %+v", tc.a.file, e)
		}
	}
}

// TestRealDescribe: Describe lists a describe's fields by name with their
// labels and types.
func TestRealDescribe(t *testing.T) {
	c := replayOrg(t, map[string]answer{"sobjects/Whizbang__c/describe": {200, "describe-whizbang.json"}})
	meta, err := c.Describe(ctx(t), "Whizbang__c")
	if err != nil {
		t.Fatal(err)
	}
	if meta.Entity != "Whizbang__c" || meta.Label != "Whizbang" || len(meta.Fields) != 30 {
		t.Fatalf("%+v", meta)
	}
	for name, want := range map[string]crm.FieldMeta{
		"Id":                {Name: "Id", Label: "Record ID", Type: "id"},
		"OwnerId":           {Name: "OwnerId", Label: "Owner ID", Type: "reference"},
		"ParentWhizbang__c": {Name: "ParentWhizbang__c", Label: "Parent Whizbang", Type: "reference"},
	} {
		if f, ok := meta.Field(name); !ok || f != want {
			t.Errorf("%s: %+v", name, f)
		}
	}
}

func TestRealResourcesPing(t *testing.T) {
	c := replayOrg(t, map[string]answer{"/services/data/v62.0/": {200, "resources-by-version.json"}})
	if err := c.Ping(ctx(t)); err != nil {
		t.Fatal(err)
	}
	bad := replayOrg(t, map[string]answer{"/services/data/v62.0/": {200, "query-empty.json"}})
	if err := bad.Ping(ctx(t)); crm.CodeOf(err) != crm.Internal {
		t.Fatalf("ping on a non-resource list: %v", err)
	}
}

func TestRealSOSL(t *testing.T) {
	c := replayOrg(t, map[string]answer{"search/": {200, "search-sosl.json"}})
	recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: []string{"+14155551212", "4155551212"}})
	if err != nil || len(recs) != 1 || recs[0].Display != "Jane Doe" || recs[0].Entity != "Contact" || recs[0].ID != "003xx000004TmiQAAS" {
		t.Fatalf("%+v %v", recs, err)
	}
}

// TestRealTokenAnswers: a refused grant is Unauthenticated; a documented
// client-credentials answer names its instance_url, which must be the
// configuration's own host.
func TestRealTokenAnswers(t *testing.T) {
	for file, want := range map[string]crm.Code{"token-error-400.json": crm.Unauthenticated, "token-client-credentials-200.json": crm.InvalidArgument} {
		body := realFile(t, file)
		status := 400
		if strings.Contains(file, "200") {
			status = 200
		}
		srv, api := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write(body)
		})
		_, err := clientCredentials(t, srv.URL).SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.c"})
		if crm.CodeOf(err) != want || api.Load() != 0 {
			t.Errorf("%s: %v (%d API calls)", file, err, api.Load())
		}
	}
}
