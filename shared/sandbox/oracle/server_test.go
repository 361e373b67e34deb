package oracle

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestDemoData(t *testing.T) {
	s := start(t, Options{})
	a, tb := s.roql("SELECT id, lookupName, emails.address, phones.rawNumber FROM contacts WHERE phones.rawNumber = '4155550100'")
	if a.status != 200 || tb.Count != 1 || *tb.Rows[0][1] != "Jane Doe" || *tb.Rows[0][2] != crmtest.JaneEmail {
		t.Fatalf("jane: %d %s", a.status, a.raw)
	}
	if !slices.Equal(tb.ColumnNames, []string{"id", "lookupName", "address", "rawNumber"}) || tb.TableName != "contacts" {
		t.Fatalf("columns %v", tb.ColumnNames)
	}
	jane := *tb.Rows[0][0]
	_, tb = s.roql("SELECT subject FROM incidents WHERE primaryContact.parentContact.id = " + jane + " AND statusWithType.statusType.id != 2")
	if !slices.Equal(tb.column(0), []string{crmtest.JaneCase}) {
		t.Fatalf("open incidents %v", tb.column(0))
	}
	_, tb = s.roql("SELECT id FROM Contact WHERE Phones.Number = '" + strings.ReplaceAll(crmtest.JohnPhone, " ", "") + "'")
	if tb.Count != 0 {
		t.Fatal("phones.number compares as typed")
	}
	_, tb = s.roql("SELECT c.id FROM Contact c WHERE c.Emails.Address = 'JANE.DOE@EXAMPLE.COM'")
	if tb.Count != 1 {
		t.Fatal("text comparisons ignore case; aliases work")
	}
}

func TestQuotingRules(t *testing.T) {
	s := start(t, Options{})
	if _, err := s.sb.AddRecord("contacts", map[string]any{"name": map[string]any{"first": "Casey", "last": "O'Calloway"}}); err != nil {
		t.Fatal(err)
	}
	_, tb := s.roql("SELECT lookupName FROM contacts WHERE lookupName LIKE '%''%'")
	if !slices.Equal(tb.column(0), []string{"Casey O'Calloway"}) {
		t.Fatalf("doubled quote: %v", tb.column(0))
	}
	for query, want := range map[string]string{
		`SELECT id FROM contacts WHERE lookupName LIKE '%\'%'`:                       "unrecognized token",
		`SELECT id FROM contacts WHERE lookupName = "Robert'); DROP TABLE Students"`: "Unknown table or column",
		`SELECT nickname FROM contacts`:                                              "Unknown table or column",
		`SELECT id FROM nothing`:                                                     "Invalid object name",
		`SELECT FROM contacts`:                                                       "syntax error",
		`SELECT id FROM contacts WHERE name = 'x'`:                                   "Unknown table or column",
	} {
		a, _ := s.roql(query)
		if a.status != 400 || a.body["o:errorCode"] != CodeInvalidQuery || !strings.Contains(a.body["detail"].(string), want) {
			t.Errorf("%s: %d %v", query, a.status, a.body)
		}
	}
	if n := len(s.sb.InvalidQueries()); n != 6 {
		t.Fatalf("%d refused queries kept", n)
	}
}

func TestListFieldsSpreadRows(t *testing.T) {
	s := start(t, Options{})
	_, tb := s.roql("SELECT id, phones.number FROM contacts WHERE lookupName = 'Maria Garcia'")
	if tb.Count != 2 || *tb.Rows[0][0] != *tb.Rows[1][0] {
		t.Fatalf("rows %v", tb.Rows)
	}
	_, tb = s.roql("SELECT id FROM contacts ORDER BY id LIMIT 2 OFFSET 1")
	if !slices.Equal(tb.column(0), []string{"2", "3"}) {
		t.Fatalf("paging %v", tb.column(0))
	}
	a := s.call("GET", "/services/rest/connect/v1.4/queryResults?query=SELECT%20id%20FROM%20contacts%3BSELECT%20id%20FROM%20incidents", "", nil)
	if a.status != 200 || len(a.body["items"].([]any)) != 2 {
		t.Fatalf("two statements: %s", a.raw)
	}
}

func TestAuthAndApplicationContext(t *testing.T) {
	s := start(t, Options{})
	a := s.call("GET", "/services/rest/connect/v1.4/contacts", "", map[string]string{"Authorization": "Basic eDp5"})
	if a.status != 401 || a.header.Get("WWW-Authenticate") == "" {
		t.Fatalf("bad credentials: %d", a.status)
	}
	a = s.call("GET", "/services/rest/connect/v1.4/contacts", "", map[string]string{"OSvC-CREST-Application-Context": ""})
	if a.status != 400 {
		t.Fatalf("missing context: %d", a.status)
	}
	a = s.call("GET", "/services/rest/connect/v1.4/contacts", "", map[string]string{"OSvC-CREST-Application-Context": strings.Repeat("x", 41)})
	if a.status != 400 {
		t.Fatalf("long context: %d", a.status)
	}
	a = s.call("GET", "/services/rest/connect/v1.3/contacts", "", map[string]string{"OSvC-CREST-Application-Context": ""})
	if a.status != 200 {
		t.Fatalf("v1.3 needs no context: %d", a.status)
	}
	a = s.call("GET", "/services/rest/connect/v9/contacts", "", nil)
	if a.status != 404 || a.body["o:errorCode"] != CodeVersion {
		t.Fatalf("version: %d %v", a.status, a.body)
	}
}

func TestCreateReadUpdate(t *testing.T) {
	s := start(t, Options{})
	a := s.call("POST", "/services/rest/connect/v1.4/incidents",
		`{"subject":"Paper jam","primaryContact":{"id":1},"channel":{"lookupName":"Phone"},"threads":[{"text":"hello","entryType":{"id":1}}]}`, nil)
	if a.status != 201 || a.header.Get("Location") == "" || a.body["lookupName"] == "" {
		t.Fatalf("create: %d %s", a.status, a.raw)
	}
	id := a.body["id"].(float64)
	loc := a.header.Get("Location")
	if !strings.HasSuffix(loc, "/services/rest/connect/v1.4/incidents/"+formatID(id)) {
		t.Fatalf("location %s", loc)
	}
	path := "/services/rest/connect/v1.4/incidents/" + formatID(id)
	a = s.call("PATCH", path, `{"subject":"Paper jam cleared","threads":[{"text":"second"}]}`, nil)
	if a.status != 200 || a.raw != "" {
		t.Fatalf("patch: %d %q", a.status, a.raw)
	}
	a = s.call("POST", path, `{"statusWithType":{"status":{"lookupName":"Solved"}}}`, map[string]string{"X-HTTP-Method-Override": "PATCH"})
	if a.status != 200 {
		t.Fatalf("override: %d %s", a.status, a.raw)
	}
	a = s.call("GET", path, "", nil)
	threads := a.body["threads"].([]any)
	sw := a.body["statusWithType"].(map[string]any)
	if a.body["subject"] != "Paper jam cleared" || len(threads) != 2 || sw["statusType"].(map[string]any)["lookupName"] != "Solved" ||
		a.body["closedTime"] == nil || a.body["primaryContact"].(map[string]any)["id"] != float64(1) {
		t.Fatalf("read back: %s", a.raw)
	}
	for body, want := range map[string]int{
		`{"nickname":"x"}`:                    400,
		`{"primaryContact":{"id":424242}}`:    400,
		`{"channel":{"lookupName":"Pigeon"}}`: 400,
		`{"id":5}`:                            400,
		`not json`:                            400,
	} {
		if a := s.call("PATCH", path, body, nil); a.status != want {
			t.Errorf("%s: %d %s", body, a.status, a.raw)
		}
	}
	a = s.call("PATCH", "/services/rest/connect/v1.4/incidents/999999", `{"subject":"x"}`, nil)
	if a.status != 404 || a.body["o:errorCode"] != CodeNotFound {
		t.Fatalf("missing: %d %v", a.status, a.body)
	}
	a = s.call("POST", "/services/rest/connect/v1.4/incidents", `{"primaryContact":{"id":424242}}`, nil)
	if a.status != 400 || a.body["o:errorCode"] != CodeWriteFailed || !strings.Contains(a.body["detail"].(string), "No such Contact with ID = 424242") {
		t.Fatalf("bad reference: %d %v", a.status, a.body)
	}
}

func formatID(f float64) string { return strconv.FormatInt(int64(f), 10) }

func TestCollectionFilter(t *testing.T) {
	s := start(t, Options{})
	a := s.call("GET", "/services/rest/connect/v1.4/contacts?q=emails.address%3D%27jane.doe%40example.com%27", "", nil)
	items := a.body["items"].([]any)
	if a.status != 200 || len(items) != 1 || a.body["hasMore"] != false || items[0].(map[string]any)["lookupName"] != "Jane Doe" {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	a = s.call("GET", "/services/rest/connect/v1.4/contacts?limit=1", "", nil)
	if len(a.body["items"].([]any)) != 1 || a.body["hasMore"] != true {
		t.Fatalf("paging: %s", a.raw)
	}
}

func TestFaults(t *testing.T) {
	s := start(t, Options{})
	f := ThrottleFault(1500)
	f.Times = 1
	s.sb.Inject(f)
	a := s.call("GET", "/services/rest/connect/v1.4/contacts", "", nil)
	if a.status != 503 || a.body["o:errorCode"] != CodeThrottled || a.header.Get("osvc-crest-next-request-after") != "1500" {
		t.Fatalf("throttle: %d %v", a.status, a.header)
	}
	if a := s.call("GET", "/services/rest/connect/v1.4/contacts", "", nil); a.status != 200 {
		t.Fatalf("after the fault: %d", a.status)
	}
	if s.sb.CallsPrefix("GET /services/rest/connect/v1.4/contacts") != 2 || s.sb.TokenRequests() != 0 {
		t.Fatal("counters")
	}
}

func TestAgentWebPage(t *testing.T) {
	s := start(t, Options{})
	resp, err := http.Get(s.url + "/AgentWeb/")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", err, resp)
	}
	resp.Body.Close()
}

func TestCustomFields(t *testing.T) {
	s := start(t, Options{})
	body := `{"subject":"Call","customFields":{"c":{"crmflow_key":"crmflow:timeline:job_1"}}}`
	if a := s.call("POST", "/services/rest/connect/v1.4/incidents", body, nil); a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.raw)
	}
	// Read at once: ROQL reads the operational database, no index lag.
	_, tb := s.roql("SELECT id, CustomFields.c.crmflow_key FROM incidents WHERE customFields.c.crmflow_key = 'CRMFLOW:TIMELINE:JOB_1'")
	if tb.Count != 1 || *tb.Rows[0][1] != "crmflow:timeline:job_1" {
		t.Fatalf("key lookup %+v", tb)
	}
	bare := start(t, Options{CustomFields: map[string][]string{}})
	a := bare.call("POST", "/services/rest/connect/v1.4/incidents", body, nil)
	if a.status != 400 || a.body["o:errorCode"] != CodeNotFound || !strings.Contains(a.body["detail"].(string), "Invalid property specified: customFields") {
		t.Fatalf("site without the field: %d %s", a.status, a.raw)
	}
}
