package zdsandbox

import (
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/sandbox/sbtest"
)

// clock is a test clock moved by hand.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.at = c.at.Add(d)
	c.mu.Unlock()
}

// TestSearchLagsKeyLookupsDoNot: with the index lagging, a new user and a
// changed ticket reach search only after the lag, while reads by id, the
// external_id look-ups, show_many and the audit list see them at once.
func TestSearchLagsKeyLookupsDoNot(t *testing.T) {
	c := &clock{at: sbtest.Start}
	a := start(t, Options{Now: c.now})
	a.sb.SetIndexLag(time.Minute)
	search := func(q string) float64 {
		t.Helper()
		_, b, _ := a.do("GET", "/api/v2/search.json?query="+url.QueryEscape(q), "", tokenAuth)
		return b["count"].(float64)
	}

	s, b, _ := a.do("POST", "/api/v2/users.json", `{"user":{"name":"Fresh User","email":"fresh@example.com","external_id":"crm-7"}}`, tokenAuth)
	if s != 201 {
		t.Fatalf("create: %d %v", s, b)
	}
	uid := b["user"].(map[string]any)["id"].(float64)
	if n := search(`type:user email:"fresh@example.com"`); n != 0 {
		t.Fatalf("a new user is searchable at once: %v", n)
	}
	for _, path := range []string{fmt.Sprintf("/api/v2/users/%.0f.json", uid), "/api/v2/users/show_many.json?external_ids=crm-7",
		"/api/v2/users/search.json?external_id=crm-7"} {
		s, b, _ := a.do("GET", path, "", tokenAuth)
		if s != 200 || (b["user"] == nil && len(b["users"].([]any)) != 1) {
			t.Errorf("%s: %d %v", path, s, b)
		}
	}

	// A change: search finds the old tag, not the new one, until the lag passes.
	tid := ticketID(t, a, "Printer on fire")
	if s, b, _ := a.do("PUT", fmt.Sprintf("/api/v2/tickets/%d.json", tid),
		`{"ticket":{"comment":{"body":"note","public":false},"additional_tags":["crmflow_tl_abc"]}}`, tokenAuth); s != 200 {
		t.Fatalf("update: %d %v", s, b)
	}
	if n := search("type:ticket tags:crmflow_tl_abc"); n != 0 {
		t.Fatalf("a changed ticket is found by its new tag at once: %v", n)
	}
	if n := search(`type:ticket "Printer on fire"`); n != 1 {
		t.Fatalf("the changed ticket's indexed version is gone: %v", n)
	}
	_, b, _ = a.do("GET", fmt.Sprintf("/api/v2/tickets/%d/audits.json", tid), "", tokenAuth)
	if !auditHasTag(b, "crmflow_tl_abc") {
		t.Fatalf("audit list without the new tag: %v", b)
	}

	c.advance(time.Minute)
	if n := search(`type:user email:"fresh@example.com"`); n != 1 {
		t.Fatalf("the new user is not searchable after the lag: %v", n)
	}
	if n := search("type:ticket tags:crmflow_tl_abc"); n != 1 {
		t.Fatalf("the changed ticket is not found by its tag after the lag: %v", n)
	}
}

func ticketID(t *testing.T, a *account, subject string) int64 {
	t.Helper()
	id, ok := a.sb.FindID("ticket", "subject", subject)
	if !ok {
		t.Fatalf("no ticket %q", subject)
	}
	return id
}

// auditHasTag reports whether an audit list answer has a Change (or
// Create) event of tags whose value holds tag.
func auditHasTag(b map[string]any, tag string) bool {
	audits, _ := b["audits"].([]any)
	for _, a := range audits {
		events, _ := a.(map[string]any)["events"].([]any)
		for _, e := range events {
			ev, _ := e.(map[string]any)
			if ev["field_name"] != "tags" {
				continue
			}
			vals, _ := ev["value"].([]any)
			for _, v := range vals {
				if v == tag {
					return true
				}
			}
		}
	}
	return false
}

// TestAudits: a created ticket's audit has its Create events and its first
// comment; an update's audit its Change events and comment, the comment
// sharing its id with the ticket's comment list; both paginate.
func TestAudits(t *testing.T) {
	a := start(t, Options{Empty: true})
	s, b, _ := a.do("POST", "/api/v2/tickets.json", `{"ticket":{"subject":"Call","comment":{"body":"first"},"tags":["crmflow"]}}`, tokenAuth)
	if s != 201 {
		t.Fatalf("create: %d %v", s, b)
	}
	created := b["audit"].(map[string]any)
	id := b["ticket"].(map[string]any)["id"].(float64)
	s, b, _ = a.do("PUT", fmt.Sprintf("/api/v2/tickets/%.0f.json", id), `{"ticket":{"status":"open","comment":{"body":"second","public":false}}}`, tokenAuth)
	if s != 200 {
		t.Fatalf("update: %d %v", s, b)
	}
	updated := b["audit"].(map[string]any)
	_, list, _ := a.do("GET", fmt.Sprintf("/api/v2/tickets/%.0f/audits.json", id), "", tokenAuth)
	audits := list["audits"].([]any)
	if len(audits) != 2 || list["count"].(float64) != 2 {
		t.Fatalf("audits: %v", list)
	}
	if audits[0].(map[string]any)["id"] != created["id"] || audits[1].(map[string]any)["id"] != updated["id"] {
		t.Errorf("list %v, answers %v and %v", audits, created["id"], updated["id"])
	}
	kinds := map[string]bool{}
	for _, e := range audits[1].(map[string]any)["events"].([]any) {
		ev := e.(map[string]any)
		kinds[fmt.Sprint(ev["type"], ":", ev["field_name"])] = true
		if ev["type"] == "Comment" && (ev["body"] != "second" || ev["public"] != false) {
			t.Errorf("comment event %v", ev)
		}
		if ev["type"] == "Change" && ev["field_name"] == "status" && (ev["value"] != "open" || ev["previous_value"] != "new") {
			t.Errorf("status change %v", ev)
		}
	}
	if !kinds["Comment:<nil>"] || !kinds["Change:status"] {
		t.Errorf("update audit events %v", kinds)
	}
	if !auditHasTag(map[string]any{"audits": audits[:1]}, "crmflow") {
		t.Errorf("create audit without the tags: %v", audits[0])
	}
	_, cl, _ := a.do("GET", fmt.Sprintf("/api/v2/tickets/%.0f/comments.json", id), "", tokenAuth)
	comments := cl["comments"].([]any)
	if len(comments) != 2 || comments[1].(map[string]any)["audit_id"] != updated["id"] {
		t.Errorf("comments %v", comments)
	}
	_, p1, _ := a.do("GET", fmt.Sprintf("/api/v2/tickets/%.0f/audits.json?per_page=1", id), "", tokenAuth)
	if len(p1["audits"].([]any)) != 1 || p1["next_page"] == nil {
		t.Errorf("offset page: %v", p1)
	}
	_, c1, _ := a.do("GET", fmt.Sprintf("/api/v2/tickets/%.0f/audits.json?page[size]=1", id), "", tokenAuth)
	if len(c1["audits"].([]any)) != 1 || c1["meta"].(map[string]any)["has_more"] != true {
		t.Errorf("cursor page: %v", c1)
	}
	if s, _, _ := a.do("GET", "/api/v2/tickets/999999/audits.json", "", tokenAuth); s != 404 {
		t.Errorf("unknown ticket: %d", s)
	}
}

func TestShowMany(t *testing.T) {
	a := start(t, Options{})
	_, b, _ := a.do("POST", "/api/v2/organizations.json", `{"organization":{"name":"Globex","external_id":"ORG-1"}}`, tokenAuth)
	oid := b["organization"].(map[string]any)["id"].(float64)
	_, b, _ = a.do("GET", "/api/v2/organizations/show_many.json?external_ids=org-1,none", "", tokenAuth)
	if l := b["organizations"].([]any); len(l) != 1 || l[0].(map[string]any)["id"] != oid {
		t.Errorf("organizations by external id (case-insensitive): %v", b)
	}
	_, b, _ = a.do("GET", fmt.Sprintf("/api/v2/organizations/show_many.json?ids=%.0f", oid), "", tokenAuth)
	if l := b["organizations"].([]any); len(l) != 1 {
		t.Errorf("organizations by id: %v", b)
	}
	if s, _, _ := a.do("GET", "/api/v2/users/show_many.json", "", tokenAuth); s != 400 {
		t.Errorf("no ids: %d", s)
	}
}
