package zendesk

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

// realFile reads a recorded or published answer (testdata/real/SOURCES.md).
func realFile(t *testing.T, name string) []byte {
	t.Helper()
	return crmtest.RealFile(t, name)
}

var jsonHeader = http.Header{"Content-Type": {"application/json; charset=utf-8"}}

// replay is an account that answers every request with one recorded answer.
func replay(t *testing.T, status int, header http.Header, body []byte) *connector {
	t.Helper()
	return fakeAccount(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
}

// TestRealFilesAreListed: every file under testdata/real is named in
// SOURCES.md and decoded by a test here.
func TestRealFilesAreListed(t *testing.T) { crmtest.CheckRealFilesListed(t) }

// TestRealSearchAndRecords: the search, show, list and create decoders
// read real answers: ids as JSON numbers, nulls, nested user_fields, the
// ticket's audit beside it.
func TestRealSearchAndRecords(t *testing.T) {
	c := replay(t, 200, jsonHeader, realFile(t, "search-users-200.json"))
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@a.com", Entities: []crm.EntitySpec{{Entity: "user",
		DisplayFields: []string{"name", "phone", "user_fields.nickname", "organization_id"}}}})
	if err != nil || len(recs) != 1 {
		t.Fatalf("%+v %v", recs, err)
	}
	r := recs[0]
	if r.ID != "1234" || r.Entity != "user" || r.Display != "Foo Bar" || r.Fields["user_fields.nickname"] != "foo bar" ||
		r.Fields["phone"] != nil || r.Fields["organization_id"] != "360363695492" ||
		!r.Updated.Equal(time.Date(2019, 12, 9, 6, 48, 10, 0, time.UTC)) {
		t.Fatalf("record %+v", r)
	}

	c = replay(t, 200, jsonHeader, realFile(t, "show-user-200.json"))
	got, err := c.Get(ctx(t), crm.Ref{Entity: "users", ID: "369531345753"}, []string{"name", "email", "role", "organization_id"})
	if err != nil || got.Display != "Sample customer" || got.Fields["email"] != "customer@example.com" || got.Fields["role"] != "end-user" ||
		got.Fields["organization_id"] != nil {
		t.Fatalf("get %+v %v", got, err)
	}

	c = replay(t, 201, jsonHeader, realFile(t, "create-ticket-201.json"))
	made, err := c.Create(ctx(t), "ticket", map[string]any{"subject": "nyanyanyanya", "comment.body": "x", "priority": "urgent"})
	if err != nil || made.ID != "4" || made.Display != "#4 nyanyanyanya" || made.Fields["priority"] != "urgent" {
		t.Fatalf("create %+v %v", made, err)
	}

	c = replay(t, 200, jsonHeader, realFile(t, "list-organizations-200.json"))
	org, found, err := c.Sample(ctx(t), "organizations")
	if err != nil || !found || org.ID != "361898904439" || org.Display != "Rebel Alliance" || org.Entity != "organization" {
		t.Fatalf("sample %+v %v %v", org, found, err)
	}
}

// TestRealSearchPaging: a search page's next_page is an absolute link on
// the account's search endpoint, the only place the driver follows it.
func TestRealSearchPaging(t *testing.T) {
	var page searchPage
	if err := json.Unmarshal(realFile(t, "search-page-next-200.json"), &page); err != nil {
		t.Fatal(err)
	}
	if page.NextPage == nil || page.Count != 2 || len(page.Results) != 1 {
		t.Fatalf("page %+v", page)
	}
	c, err := newConnector(crm.Config{BaseURL: "https://example.zendesk.com", Auth: crm.Auth{Type: crm.AuthBearerToken},
		Credentials: crm.Credentials{Token: "t"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.onAccount(*page.NextPage, "search") {
		t.Fatalf("next_page %q not taken", *page.NextPage)
	}
	if c.onAccount(strings.Replace(*page.NextPage, "example.zendesk.com", "evil.example", 1), "search") {
		t.Fatal("a link off the account was taken")
	}
}

// TestRealFieldLists: Describe reads real ticket, user and organization
// field lists: system ticket fields as the attributes they stand for,
// custom ones by id or key, titles as labels.
func TestRealFieldLists(t *testing.T) {
	cases := []struct {
		file, entity string
		want         map[string]string
		absent       []string
	}{
		{"ticket-fields-200.json", "ticket", map[string]string{"subject": "Subject", "comment.body": "Description", "status": "Status",
			"type": "Type", "priority": "Priority", "group_id": "Group", "assignee_id": "Assignee",
			"custom_fields.360011747994": "Text Field", "custom_fields.360011759674": "Tagger Field"}, nil},
		{"user-fields-200.json", "user", map[string]string{"user_fields.custom_field_1": "Custom Field 1", "email": "Email"}, nil},
		{"organization-fields-200.json", "organization", map[string]string{"organization_fields.test_key": "Title",
			"organization_fields.test_external_id": "External Test ID", "name": "Name"}, nil},
		{"custom-object-fields-200.json", "car", map[string]string{"name": "Name", "external_id": "External ID",
			"custom_object_fields.make": "Make", "make": "Make"}, []string{"custom_object_fields.year", "year", "custom_object_fields.standard::name"}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			meta, err := replay(t, 200, jsonHeader, realFile(t, tc.file)).Describe(ctx(t), tc.entity)
			if err != nil {
				t.Fatal(err)
			}
			for name, label := range tc.want {
				if f, ok := meta.Field(name); !ok || f.Label != label {
					t.Errorf("%s = %+v, %v; want label %q", name, f, ok, label)
				}
			}
			for _, name := range tc.absent {
				if _, ok := meta.Field(name); ok {
					t.Errorf("%s listed (inactive or standard)", name)
				}
			}
		})
	}
}

// TestRealCustomObjectRecords: a custom object record's string id, its
// values under custom_object_fields, and the cursor-paged list FindWrite
// reads.
func TestRealCustomObjectRecords(t *testing.T) {
	c := replay(t, 201, jsonHeader, realFile(t, "custom-object-record-201.json"))
	rec, err := c.Create(ctx(t), "car", map[string]any{"name": "My Car 1", "make": "Tesla", "custom_object_fields.year": 2022})
	if err != nil || rec.ID != "01GB1Y8AR58M9Q1XD9N8GZ2FC5" || rec.Entity != "zen:custom_object:car" || rec.Display != "My Car 1" ||
		rec.Fields["make"] != "Tesla" || rec.Fields["custom_object_fields.year"] != "2022" || rec.URL != "" ||
		!rec.Updated.Equal(time.Date(2022, 8, 25, 15, 50, 12, 0, time.UTC)) {
		t.Fatalf("create %+v %v", rec, err)
	}
	c = replay(t, 200, jsonHeader, realFile(t, "custom-object-records-cursor-200.json"))
	found, ok, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "custom_object:car", Key: "job-7"})
	if err != nil || !ok || found.Records[0] != (crm.Ref{Entity: "zen:custom_object:car", ID: "01GB1Y8AR58M9Q1XD9N8GZ2FC5"}) {
		t.Fatalf("find write %+v %v %v", found, ok, err)
	}
	sample, ok, err := c.Sample(ctx(t), "car")
	if err != nil || !ok || sample.ID != "01GB1Y8AR58M9Q1XD9N8GZ2FC5" {
		t.Fatalf("sample %+v %v %v", sample, ok, err)
	}
}

// TestRealErrors: Zendesk's refusals keep their status, code and human
// message, a validation detail whether a list or one object; the 429 is
// retryable after Retry-After.
func TestRealErrors(t *testing.T) {
	cases := []struct {
		file      string
		status    int
		header    http.Header
		code      crm.Code
		crmCode   string
		message   string
		retryWait time.Duration
	}{
		{"error-phone-invalid-422.json", 422, jsonHeader, crm.InvalidArgument, "RecordInvalid",
			"Record validation errors: Phone 5551234567 is not properly formatted", 0},
		{"error-email-invalid-422.json", 422, jsonHeader, crm.InvalidArgument, "RecordInvalid",
			"Record validation errors: Email: a@b is not properly formatted", 0},
		{"error-unauthenticated-401.json", 401, jsonHeader, crm.Unauthenticated, "", "Couldn't authenticate you", 0},
		{"error-not-found-404.json", 404, jsonHeader, crm.NotFound, "RecordNotFound", "Not found", 0},
		{"rate-limit-429.txt", 429, http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "Retry-After": {"7"},
			"X-Rate-Limit": {"700"}, "X-Rate-Limit-Remaining": {"0"}},
			crm.ResourceExhausted, "", "Number of allowed API requests per minute exceeded", 7 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			c := replay(t, tc.status, tc.header, realFile(t, tc.file))
			_, err := c.Create(ctx(t), "user", map[string]any{"name": "Roger Wilco", "phone": "5551234567"})
			e := wantCode(t, err, tc.code)
			if e.IsRefusal() || e.Status != tc.status || e.CRMCode != tc.crmCode || e.Message != tc.message ||
				e.RetryAfter != tc.retryWait || e.Retryable != tc.code.Retryable() {
				t.Fatalf("%+v", e)
			}
		})
	}
}
