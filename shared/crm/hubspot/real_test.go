package hubspot

import (
	"encoding/json"
	"net/http"
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

// replay is an account that answers the account details as HubSpot
// documents them and every other request with one recorded answer.
func replay(t *testing.T, status int, header http.Header, body []byte) *connector {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /account-info/v3/details", accountDetails)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
	c := fakeAPI(t, mux)
	c.appOrigin = ""
	return c
}

// TestRealFilesAreListed: every file under testdata/real is named in
// SOURCES.md and decoded by a test here.
func TestRealFilesAreListed(t *testing.T) { crmtest.CheckRealFilesListed(t) }

// TestRealLists: Sample reads a real list answer's first record with its
// default properties, display name, stamp and URL.
func TestRealLists(t *testing.T) {
	h := http.Header{"X-Hubspot-Ratelimit-Max": {"500"}, "X-Hubspot-Ratelimit-Remaining": {"492"}}
	c := replay(t, 200, h, realFile(t, "list-contacts-200.json"))
	rec, found, err := c.Sample(ctx(t), "contact")
	if err != nil || !found || rec.Entity != "contacts" || rec.ID != "1" || rec.Display != "Maria Johnson (Sample Contact)" ||
		rec.Fields["email"] != "emailmaria@hubspot.com" || rec.Fields["hs_object_id"] != "1" ||
		!rec.Updated.Equal(time.Date(2021, 7, 8, 5, 9, 2, 563e6, time.UTC)) ||
		rec.URL != "https://app-eu1.hubspot.com/contacts/123456/record/0-1/1" {
		t.Fatalf("contact %+v %v %v", rec, found, err)
	}
	c = replay(t, 200, h, realFile(t, "list-companies-200.json"))
	rec, found, err = c.Sample(ctx(t), "0-2")
	if err != nil || !found || rec.Entity != "companies" || rec.ID != "6534491450" || rec.Display != "HubSpot, Inc." ||
		rec.Fields["domain"] != "hubspot.com" || rec.URL != "https://app-eu1.hubspot.com/contacts/123456/record/0-2/6534491450" {
		t.Fatalf("company %+v %v %v", rec, found, err)
	}
	c = replay(t, 200, nil, []byte(`{"results":[]}`))
	if _, found, err := c.Sample(ctx(t), "contacts"); err != nil || found {
		t.Fatalf("empty list: %v %v", found, err)
	}
}

// TestRealSearchPaging: the documented search answer decodes, and its
// paging.next.after is sent back in the body for the next page.
func TestRealSearchPaging(t *testing.T) {
	var afters []string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /account-info/v3/details", accountDetails)
	body := realFile(t, "search-contacts-paged-200.json")
	mux.HandleFunc("POST /crm/v3/objects/contacts/search", func(w http.ResponseWriter, r *http.Request) {
		var req searchBody
		decodeJSON(t, r, &req)
		afters = append(afters, req.After)
		if req.After != "" {
			_, _ = w.Write([]byte(`{"total":1,"results":[]}`))
			return
		}
		_, _ = w.Write(body)
	})
	c := fakeAPI(t, mux)
	recs, err := c.Search(ctx(t), crm.Query{Entity: "contacts", Fields: []string{"phone"}, Limit: 5,
		Filter: crm.Filter{Field: "lastname", Op: crm.OpEq, Value: "Doe"}})
	if err != nil || len(recs) != 1 || recs[0].ID != "512" || recs[0].Display != "Jane Doe" || recs[0].Fields["phone"] != "4155551212" {
		t.Fatalf("%+v %v", recs, err)
	}
	if len(afters) != 2 || afters[1] != "NTI1Cg%3D%3D" {
		t.Fatalf("after cursors sent: %q", afters)
	}
}

// TestRealErrors: HubSpot's refusals keep their status, category and human
// message (never read as the driver's own); rate limits are retryable
// unless daily.
func TestRealErrors(t *testing.T) {
	cases := []struct {
		file      string
		status    int
		code      crm.Code
		crmCode   string
		message   string
		retryable bool
		wait      time.Duration
	}{
		{"error-invalid-authentication-401.json", 401, crm.Unauthenticated, "INVALID_AUTHENTICATION",
			"Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview", false, 0},
		{"error-expired-authentication-401.json", 401, crm.Unauthenticated, "EXPIRED_AUTHENTICATION",
			"The OAuth token used to make this call expired 75 second(s) ago.", false, 0},
		{"error-not-found-404.json", 404, crm.NotFound, "OBJECT_NOT_FOUND", "Resource not found", false, 0},
		{"error-validation-400.json", 400, crm.InvalidArgument, "VALIDATION_ERROR",
			`Property values were not valid: [{"isValid":false,"message":"Email address example.lcom is invalid","error":"INVALID_EMAIL","name":"email"}]`, false, 0},
		{"error-schema-example-400.json", 400, crm.InvalidArgument, "VALIDATION_ERROR", "Invalid input (details will vary based on the error)", false, 0},
		{"error-conflict-409.json", 409, crm.AlreadyExists, "CONFLICT", "Contact already exists. Existing ID: 123", false, 0},
		{"rate-limit-daily-429.json", 429, crm.ResourceExhausted, "RATE_LIMIT", "You have reached your daily limit.", false, 0},
		{"rate-limit-ten-secondly-429.json", 429, crm.ResourceExhausted, "RATE_LIMIT", "You have reached your ten_secondly_rolling limit.", true, burstWait},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			c := replay(t, tc.status, nil, realFile(t, tc.file))
			_, err := c.Create(ctx(t), "contacts", map[string]any{"email": "example.lcom"})
			e := wantCode(t, err, tc.code)
			if e.IsRefusal() || e.Status != tc.status || e.CRMCode != tc.crmCode || e.Message != tc.message ||
				e.Retryable != tc.retryable || e.RetryAfter != tc.wait {
				t.Fatalf("%+v", e)
			}
		})
	}
}

// TestRealBatchPartial: a 207 batch read's OBJECT_NOT_FOUND ids are left
// out, not a failure.
func TestRealBatchPartial(t *testing.T) {
	c := replay(t, http.StatusMultiStatus, nil, realFile(t, "batch-read-partial-207.json"))
	found, err := c.batchRead(ctx(t), "op", tickets, []string{"12"}, []string{"subject"})
	if err != nil || len(found) != 0 {
		t.Fatalf("%+v %v", found, err)
	}
}

func decodeJSON(t *testing.T, r *http.Request, out any) {
	t.Helper()
	if err := json.NewDecoder(r.Body).Decode(out); err != nil {
		t.Errorf("request body: %v", err)
	}
}
