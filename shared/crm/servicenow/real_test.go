package servicenow

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
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

// jsonHeader is the Content-Type a real instance answers with.
func jsonHeader(extra ...string) http.Header {
	h := http.Header{"Content-Type": {"application/json;charset=UTF-8"}}
	for i := 0; i+1 < len(extra); i += 2 {
		h.Add(extra[i], extra[i+1])
	}
	return h
}

// replay is an instance that answers every request with one recorded answer.
func replay(t *testing.T, status int, header http.Header, body []byte) *connector {
	t.Helper()
	return fakeInstance(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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

// The Link headers of a real instance's sys_user pages (recorded with the
// answers, see SOURCES.md): the first page of one row names a "prev" page
// at offset -1; the last page of two has no "next".
const (
	realFirstPageLink = `<https://dev197215.service-now.com/api/now/table/sys_user?sysparm_limit=1&sysparm_offset=0>;rel="first",` +
		`<https://dev197215.service-now.com/api/now/table/sys_user?sysparm_limit=1&sysparm_offset=-1>;rel="prev",` +
		`<https://dev197215.service-now.com/api/now/table/sys_user?sysparm_limit=1&sysparm_offset=1>;rel="next",` +
		`<https://dev197215.service-now.com/api/now/table/sys_user?sysparm_limit=1&sysparm_offset=625>;rel="last"`
	realLastPageLink = `<https://dev197215.service-now.com/api/now/table/sys_user?sysparm_limit=500&sysparm_offset=0>;rel="first",` +
		`<https://dev197215.service-now.com/api/now/table/sys_user?sysparm_limit=500&sysparm_offset=0>;rel="prev",` +
		`<https://dev197215.service-now.com/api/now/table/sys_user?sysparm_limit=500&sysparm_offset=500>;rel="last"`
)

// TestRealUserList: Ping and Sample take a real sys_user answer (the call
// a real integration makes to validate credentials); the real Link header
// is read, and its next page, on another host than the configuration's,
// is not followed.
func TestRealUserList(t *testing.T) {
	body := realFile(t, "user-list-limit-1.json")
	c := replay(t, 200, jsonHeader("Link", realFirstPageLink, "X-Total-Count", "626"), body)
	if err := c.Ping(ctx(t)); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	rec, found, err := c.Sample(ctx(t), "SYS_USER")
	want := time.Date(2024, 4, 14, 19, 29, 9, 0, time.UTC)
	if err != nil || !found || rec.ID != "005d500b536073005e0addeeff7b12f4" || rec.Entity != "sys_user" ||
		rec.Display != "survey user" || !rec.Updated.Equal(want) {
		t.Fatalf("sample: %+v %v %v", rec, found, err)
	}
	h := http.Header{"Link": {realFirstPageLink}}
	next := nextLink(h)
	if next != "https://dev197215.service-now.com/api/now/table/sys_user?sysparm_limit=1&sysparm_offset=1" {
		t.Fatalf("next %q", next)
	}
	if c.onInstance(next) {
		t.Fatalf("a next page on another host is followed")
	}
	if got := nextLink(http.Header{"Link": {realLastPageLink}}); got != "" {
		t.Fatalf("last page next %q", got)
	}
	// A search wanting more than the page never sends its credentials to
	// the other host: it fails instead.
	calls := 0
	c = fakeInstance(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		for k, v := range jsonHeader("Link", realFirstPageLink) {
			w.Header()[k] = v
		}
		_, _ = w.Write(body)
	}))
	_, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "survey.user@email.com", Limit: 5})
	if crm.CodeOf(err) != crm.Internal || calls != 1 {
		t.Fatalf("search over a foreign next link: %v after %d calls", err, calls)
	}
}

// TestRealIncidents: real incident rows, references as {"link","value"}
// objects (a real integration's read without
// sysparm_exclude_reference_link), decode to sys_ids; a custom search's
// filter columns are found in the real answer; a single read (the
// documented GET by sys_id) decodes.
func TestRealIncidents(t *testing.T) {
	c := replay(t, 200, jsonHeader("X-Total-Count", "67"), realFile(t, "incident-list.json"))
	recs, err := c.Search(ctx(t), crm.Query{Entity: "Incident", Fields: []string{"caller_id", "state", "short_description"},
		Filter: crm.Filter{Field: "active", Op: crm.OpEq, Value: "false"}})
	if err != nil || len(recs) != 2 {
		t.Fatalf("search: %+v %v", recs, err)
	}
	r := recs[0]
	if r.ID != "1c741bd70b2322007518478d83673af3" || r.Entity != "incident" || r.Display != "INC0000060 Unable to connect to email" ||
		r.Fields["caller_id"] != "681ccaf9c0a8016400b98a06818d57c7" || r.Fields["state"] != "7" {
		t.Fatalf("record %+v", r)
	}
	if !strings.HasSuffix(r.URL, "/nav_to.do?uri=incident.do%3Fsys_id%3D1c741bd70b2322007518478d83673af3") {
		t.Fatalf("url %q", r.URL)
	}

	c = replay(t, 200, jsonHeader(), realFile(t, "documented-get-incident.json"))
	got, err := c.Get(ctx(t), crm.Ref{Entity: "incident", ID: "a9e30c7dc61122760116894de7bcc7bd"}, []string{"short_description", "caller_id"})
	if err != nil || got.ID != "a9e30c7dc61122760116894de7bcc7bd" || !strings.HasPrefix(got.Display, "INC0000046") || got.Fields["caller_id"] == nil {
		t.Fatalf("get: %+v %v", got, err)
	}

	c = replay(t, 200, jsonHeader(), realFile(t, "documented-list-problem.json"))
	rec, found, err := c.Sample(ctx(t), "problem")
	if err != nil || !found || rec.ID != "04ce72c9c0a8016600b5b7f75ac67b5b" || rec.Entity != "problem" ||
		rec.Display != "PRB0000050 Switch occasionally drops connections" {
		t.Fatalf("sample problem: %+v %v %v", rec, found, err)
	}
}

// TestRealCreateAndUpdate: the documented 201 of an incident insert (with
// Location) and 200 of a PATCH decode; a reference column given as a
// sys_id reads back as one.
func TestRealCreateAndUpdate(t *testing.T) {
	h := jsonHeader("Location", "https://instance.servicenow.com/api/now/table/incident/c537bae64f411200adf9f8e18110c76e")
	c := replay(t, 201, h, realFile(t, "documented-create-201.json"))
	rec, err := c.Create(ctx(t), "INCIDENT", map[string]any{"short_description": "Unable to connect to office wifi",
		"assignment_group": "287ebd7da9fe198100f92cc8d1d2154e", "urgency": "2", "impact": "2"})
	if err != nil || rec.ID != "c537bae64f411200adf9f8e18110c76e" || rec.Entity != "incident" ||
		rec.Display != "INC0010002 Unable to connect to office wifi" || rec.Fields["assignment_group"] != "287ebd7da9fe198100f92cc8d1d2154e" ||
		rec.Fields["urgency"] != "2" {
		t.Fatalf("create: %+v %v", rec, err)
	}
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-1", Entity: "incident", Mode: crm.ModeCreate,
		Fields: map[string]any{"short_description": "Unable to connect to office wifi"}})
	if err != nil || len(res.Records) != 1 || res.Records[0] != (crm.Ref{Entity: "incident", ID: rec.ID}) {
		t.Fatalf("memorialize: %+v %v", res, err)
	}
	c = replay(t, 200, jsonHeader(), realFile(t, "documented-update-200.json"))
	if err := c.Update(ctx(t), crm.Ref{Entity: "incident", ID: "ef43c6d40a0a0b5700c77f9bf387afe3"},
		map[string]any{"urgency": "1", "comments": "Elevating urgency, this is a blocking issue"}); err != nil {
		t.Fatalf("update: %v", err)
	}
}

// TestRealTableHierarchy: the hierarchy Describe walks is read from real
// sys_db_object answers, super_class as a {"link","value"} reference up to
// a root whose super_class is "", and a name the instance lacks answers
// no rows (NotFound).
func TestRealTableHierarchy(t *testing.T) {
	byID := map[string]string{
		"b662e48e1802021076dae3f117ba1e90": "db-object-by-sys-id.json",
		"0052284e1802021076dae3f117ba1e3d": "db-object-by-sys-id-parent.json",
		"7342e44e1802021076dae3f117ba1ef0": "db-object-root.json",
	}
	var dictionary string
	c := fakeInstance(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range jsonHeader() {
			w.Header()[k] = v
		}
		rest, _ := strings.CutPrefix(r.URL.Path, "/api/now/v2/table/")
		switch {
		case rest == "sys_db_object" && r.URL.Query().Get("sysparm_query") == "name=cmdb_ci_computer":
			_, _ = w.Write(realFile(t, "db-object-by-name.json"))
		case rest == "sys_db_object":
			_, _ = w.Write(realFile(t, "db-object-unknown-name.json"))
		case strings.HasPrefix(rest, "sys_db_object/") && byID[strings.TrimPrefix(rest, "sys_db_object/")] != "":
			_, _ = w.Write(realFile(t, byID[strings.TrimPrefix(rest, "sys_db_object/")]))
		case rest == "sys_dictionary":
			dictionary = r.URL.Query().Get("sysparm_query")
			_, _ = w.Write([]byte(`{"result":[]}`))
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"message":"No Record found","detail":"Record doesn't exist or ACL restricts the record retrieval"},"status":"failure"}`))
		}
	}))
	chain, _, err := c.hierarchy(ctx(t), "op", "cmdb_ci_computer")
	if err != nil || !slices.Equal(chain, []string{"cmdb_ci_computer", "cmdb_ci_hardware", "cmdb_ci", "cmdb"}) {
		t.Fatalf("chain %v %v", chain, err)
	}
	if _, err := c.Describe(ctx(t), "CMDB_CI_Computer"); err != nil || !strings.HasPrefix(dictionary, "nameINcmdb_ci_computer,cmdb_ci_hardware,cmdb_ci,cmdb^") {
		t.Fatalf("describe: %v, dictionary query %q", err, dictionary)
	}
	_, _, err = c.hierarchy(ctx(t), "op", "invalid_parent1")
	wantCode(t, err, crm.NotFound)
}

// TestRealErrors: the instance's refusals keep their status and message;
// a rate limit is retryable after Retry-After, or else X-RateLimit-Reset.
func TestRealErrors(t *testing.T) {
	var env struct {
		Error struct{ Message, Detail string } `json:"error"`
	}
	for _, f := range []string{"error-401.json", "documented-rate-limit-429.json"} {
		if err := json.Unmarshal(realFile(t, f), &env); err != nil || env.Error.Message == "" {
			t.Fatalf("%s: %v", f, err)
		}
	}
	cases := []struct {
		file    string
		status  int
		header  http.Header
		code    crm.Code
		message string
		wait    time.Duration
	}{
		{"error-401.json", 401, jsonHeader("WWW-Authenticate", `Basic realm="Service-now"`), crm.Unauthenticated,
			"User Not Authenticated: Required to provide Auth information", 0},
		{"documented-rate-limit-429.json", 429, jsonHeader("Retry-After", "30", "X-RateLimit-Limit", "100",
			"X-RateLimit-Rule", "6c0f3a2fdb3a2300b8c3f47e0f961906"), crm.ResourceExhausted,
			"Rate limit exceeded: Rate limit of 100 requests per hour for Table API exceeded", 30 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			c := replay(t, tc.status, tc.header, realFile(t, tc.file))
			_, err := c.Create(ctx(t), "incident", map[string]any{"short_description": "x"})
			e := wantCode(t, err, tc.code)
			if e.IsRefusal() || e.Status != tc.status || e.Message != tc.message || e.RetryAfter != tc.wait ||
				e.Retryable != tc.code.Retryable() {
				t.Fatalf("%+v", e)
			}
		})
	}
	// Without Retry-After, the reset time decides the wait.
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	reset := now.Add(90 * time.Second).Unix()
	e := apiError("op", 429, jsonHeader("X-RateLimit-Reset", strconv.FormatInt(reset, 10)),
		realFile(t, "documented-rate-limit-429.json"), now)
	if e.Code != crm.ResourceExhausted || e.RetryAfter != 90*time.Second {
		t.Fatalf("%+v", e)
	}
}
