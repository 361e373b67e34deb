package servicenow

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

func TestDemoData(t *testing.T) {
	in := start(t, Options{})
	a := in.list("sys_user", url.Values{"sysparm_query": {"phone=" + crmtest.JanePhone}, "sysparm_fields": {"name,email,sys_id"}})
	rows := a.rows()
	if a.status != 200 || len(rows) != 1 || rows[0]["name"] != "Jane Doe" || rows[0]["email"] != crmtest.JaneEmail {
		t.Fatalf("jane: %d %+v", a.status, rows)
	}
	jane := rows[0]["sys_id"].(string)
	if len(jane) != 32 {
		t.Fatalf("sys_id %q", jane)
	}
	a = in.list("incident", url.Values{"sysparm_query": {"caller_id=" + jane + "^active=true"}, "sysparm_fields": {"number,short_description"}})
	if rows := a.rows(); len(rows) != 1 || rows[0]["short_description"] != crmtest.JaneCase || !strings.HasPrefix(rows[0]["number"].(string), "INC00") {
		t.Fatalf("open incidents %+v", rows)
	}
	a = in.list("sys_user", url.Values{"sysparm_query": {"phone=" + strings.ReplaceAll(crmtest.JohnPhone, " ", "")}})
	if len(a.rows()) != 0 {
		t.Fatal("phones compare as stored text")
	}
}

func TestAuthRequired(t *testing.T) {
	in := start(t, Options{})
	for _, auth := range []string{"", "Basic YWRtaW46d3Jvbmc=", "Bearer forged"} {
		a := in.call("GET", "/api/now/table/incident", "", auth)
		msg, detail := a.failure()
		if a.status != 401 || msg != "User Not Authenticated" || detail != "Required to provide Auth information" {
			t.Fatalf("%q: %d %v", auth, a.status, a.body)
		}
		if a.header.Get("WWW-Authenticate") != `BASIC realm="Service-now"` {
			t.Fatalf("WWW-Authenticate %q", a.header.Get("WWW-Authenticate"))
		}
	}
}

func TestErrorsAreServiceNowShaped(t *testing.T) {
	in := start(t, Options{})
	a := in.call("GET", "/api/now/table/sys_nonexistent", "")
	if msg, detail := a.failure(); a.status != 400 || msg != "Invalid table sys_nonexistent" || detail != nil {
		t.Fatalf("invalid table: %d %v", a.status, a.body)
	}
	a = in.call("GET", "/api/now/table/incident/0123456789abcdef0123456789abcdef", "")
	if msg, _ := a.failure(); a.status != 404 || msg != "No Record found" {
		t.Fatalf("missing: %d %v", a.status, a.body)
	}
	a = in.call("PATCH", "/api/now/v2/table/incident/0123456789abcdef0123456789abcdef", `{"state":"2"}`)
	if a.status != 404 {
		t.Fatalf("patch of a missing row: %d", a.status)
	}
	a = in.call("GET", "/api/now/attachment/x", "")
	if msg, _ := a.failure(); a.status != 400 || msg != "Requested URI does not represent any resource" {
		t.Fatalf("unknown path: %d %v", a.status, a.body)
	}
	a = in.call("POST", "/api/now/table/incident", `["not an object"]`)
	if a.status != 400 {
		t.Fatalf("bad body: %d", a.status)
	}
	a = in.call("POST", "/api/now/table/incident", `{"description":"no short description"}`)
	msg, detail := a.failure()
	if a.status != 403 || msg != "Operation Failed" || !strings.Contains(detail.(string), "Data Policy Exception") {
		t.Fatalf("data policy: %d %v", a.status, a.body)
	}
	a = in.list("incident", url.Values{"sysparm_limit": {"ten"}})
	if a.status != 400 {
		t.Fatalf("bad limit: %d", a.status)
	}
}

func TestCreateReadUpdateDelete(t *testing.T) {
	in := start(t, Options{})
	a := in.call("POST", "/api/now/table/incident", `{"short_description":"Paper jam","urgency":2,"u_unknown":"dropped","sys_id":"ignored"}`)
	row := a.row()
	id, _ := row["sys_id"].(string)
	if a.status != 201 || len(id) != 32 || id == "ignored" || row["number"] == "" || row["state"] != "1" || row["active"] != "true" || row["urgency"] != "2" {
		t.Fatalf("create: %d %v", a.status, row)
	}
	if _, ok := row["u_unknown"]; ok {
		t.Fatal("an unknown column was stored")
	}
	if a.header.Get("Location") != in.url+"/api/now/table/incident/"+id {
		t.Fatalf("Location %q", a.header.Get("Location"))
	}
	a = in.call("PATCH", "/api/now/table/incident/"+id+"?sysparm_fields=state,active,closed_at,sys_mod_count", `{"state":"6","work_notes":"Fixed by reseating the tray"}`)
	if row := a.row(); a.status != 200 || row["state"] != "6" || row["active"] != "false" || row["closed_at"] == "" || row["sys_mod_count"] != "1" || len(row) != 4 {
		t.Fatalf("update: %d %v", a.status, row)
	}
	if notes := in.sb.Journal(id, "work_notes"); len(notes) != 1 || notes[0] != "Fixed by reseating the tray" {
		t.Fatalf("journal %q", notes)
	}
	a = in.call("GET", "/api/now/table/task/"+id+"?sysparm_fields=work_notes,sys_class_name", "")
	if row := a.row(); row["work_notes"] != "" || row["sys_class_name"] != "incident" {
		t.Fatalf("read through task: %v", row)
	}
	if a = in.call("DELETE", "/api/now/table/incident/"+id, ""); a.status != 204 {
		t.Fatalf("delete: %d", a.status)
	}
	if a = in.call("GET", "/api/now/table/incident/"+id, ""); a.status != 404 {
		t.Fatalf("after delete: %d", a.status)
	}
}

func TestReferencesRender(t *testing.T) {
	in := start(t, Options{})
	jane := in.list("sys_user", url.Values{"sysparm_query": {"user_name=jane.doe"}, "sysparm_fields": {"sys_id"}}).rows()[0]["sys_id"].(string)
	q := url.Values{"sysparm_query": {"caller_id=" + jane + "^active=true"}, "sysparm_fields": {"caller_id,caller_id.email"}}
	row := in.list("incident", q).rows()[0]
	ref, ok := row["caller_id"].(map[string]any)
	if !ok || ref["value"] != jane || ref["link"] != in.url+"/api/now/table/sys_user/"+jane || row["caller_id.email"] != crmtest.JaneEmail {
		t.Fatalf("reference with link: %v", row)
	}
	q.Set("sysparm_exclude_reference_link", "true")
	if row := in.list("incident", q).rows()[0]; row["caller_id"] != jane {
		t.Fatalf("reference without link: %v", row)
	}
	q.Set("sysparm_display_value", "all")
	if ref, _ := in.list("incident", q).rows()[0]["caller_id"].(map[string]any); ref["display_value"] != "Jane Doe" || ref["value"] != jane {
		t.Fatalf("display all: %v", ref)
	}
}

func TestPaging(t *testing.T) {
	in := start(t, Options{Empty: true, MaxLimit: 2})
	for i := range 5 {
		in.sb.AddRecord("incident", map[string]string{"short_description": "Row " + strconv.Itoa(i)})
	}
	q := url.Values{"sysparm_query": {"short_descriptionSTARTSWITHrow^ORDERBYDESCnumber"}, "sysparm_limit": {"10"}, "sysparm_fields": {"short_description"}}
	a := in.list("incident", q)
	if len(a.rows()) != 2 || a.header.Get("X-Total-Count") != "5" || a.rows()[0]["short_description"] != "Row 4" {
		t.Fatalf("first page: %v %v", a.header, a.rows())
	}
	link := a.header.Get("Link")
	if !strings.Contains(link, `sysparm_offset=2`) || !strings.Contains(link, `rel="next"`) || !strings.Contains(link, `rel="last"`) ||
		strings.Contains(link, `rel="prev"`) {
		t.Fatalf("Link %q", link)
	}
	q.Set("sysparm_offset", "4")
	a = in.list("incident", q)
	if len(a.rows()) != 1 || strings.Contains(a.header.Get("Link"), `rel="next"`) || !strings.Contains(a.header.Get("Link"), `rel="prev"`) {
		t.Fatalf("last page: %v %v", a.header.Get("Link"), a.rows())
	}
}

// TestInvalidQueries: a default instance drops the part of a query that
// names an unknown column (the rest decides, possibly every row); with
// glide.invalid_query.returns_no_rows=true it answers none. A query that
// cannot be parsed answers none. All are kept for the tests.
func TestInvalidQueries(t *testing.T) {
	in := start(t, Options{})
	all := len(in.list("sys_user", url.Values{}).rows())
	for q, want := range map[string]int{"u_nope=1": all, "caller_id.u_nope=x": all, "u_nope=1^user_name=jane.doe": 1,
		"email=jane.doe@example.com^ORDERBYu_nope": 1, "active=true^ORnot a condition": 0} {
		a := in.list("sys_user", url.Values{"sysparm_query": {q}})
		if a.status != 200 || len(a.rows()) != want {
			t.Errorf("%q: %d, %d rows, want %d", q, a.status, len(a.rows()), want)
		}
	}
	if n := len(in.sb.InvalidQueries()); n != 5 {
		t.Fatalf("%d invalid queries kept, want 5", n)
	}
	strict := start(t, Options{InvalidQueryReturnsNoRows: true})
	for _, q := range []string{"u_nope=1", "active=true^ORnot a condition", "caller_id.u_nope=x", "email=x^ORDERBYu_nope"} {
		a := strict.list("sys_user", url.Values{"sysparm_query": {q}})
		if a.status != 200 || len(a.rows()) != 0 || a.header.Get("X-Total-Count") != "0" {
			t.Fatalf("strict %q: %d rows %d", q, a.status, len(a.rows()))
		}
	}
}

func TestHierarchy(t *testing.T) {
	in := start(t, Options{})
	// customer_contact extends sys_user: Ava shows up in a user query with her class.
	a := in.list("sys_user", url.Values{"sysparm_query": {"user_name=ava.chen"}, "sysparm_fields": {"sys_class_name,account"}})
	if rows := a.rows(); len(rows) != 1 || rows[0]["sys_class_name"] != "customer_contact" {
		t.Fatalf("ava: %v", rows)
	}
	a = in.list("task", url.Values{"sysparm_query": {"active=true"}, "sysparm_fields": {"sys_class_name"}})
	classes := map[any]bool{}
	for _, r := range a.rows() {
		classes[r["sys_class_name"]] = true
	}
	if !classes["incident"] || !classes["sn_customerservice_case"] {
		t.Fatalf("task classes %v", classes)
	}
}

func TestRecordPage(t *testing.T) {
	in := start(t, Options{})
	in.sb.AddRecord("incident", map[string]string{"sys_id": "0123456789abcdef0123456789abcdef", "number": "INC0099999",
		"short_description": "<script>alert(1)</script>"})
	resp, err := http.Get(in.url + "/nav_to.do?uri=" + url.QueryEscape("incident.do?sys_id=0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(page), "INC0099999") || strings.Contains(string(page), "<script>") {
		t.Fatalf("%d %s", resp.StatusCode, page)
	}
	resp, err = http.Get(in.url + "/nav_to.do?uri=" + url.QueryEscape("incident.do?sys_id=ffffffffffffffffffffffffffffffff"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("missing record: %d", resp.StatusCode)
	}
}

// TestDataDictionary: the instance describes its tables as ServiceNow's
// are described: a sys_db_object row per table with super_class naming
// the parent's row ("" at a root), and sys_dictionary rows of the columns
// each table defines itself (incident's own, task's inherited), read with
// the query the reference's examples use; unknown sysparm_fields names are
// left out ("Invalid fields are ignored").
func TestDataDictionary(t *testing.T) {
	in := start(t, Options{})
	obj := func(name string) map[string]any {
		rows := in.list("sys_db_object", url.Values{"sysparm_query": {"name=" + name},
			"sysparm_fields": {"sys_id,name,label,super_class,u_nope"}}).rows()
		if len(rows) != 1 {
			t.Fatalf("sys_db_object %s: %v", name, rows)
		}
		if _, ok := rows[0]["u_nope"]; ok {
			t.Fatalf("an unknown sysparm_fields name was answered: %v", rows[0])
		}
		return rows[0]
	}
	inc, task := obj("incident"), obj("task")
	if inc["label"] != "Incident" || task["super_class"] != "" {
		t.Fatalf("incident %v, task %v", inc, task)
	}
	if ref, _ := inc["super_class"].(map[string]any); ref["value"] != task["sys_id"] {
		t.Fatalf("incident.super_class %v, task %v", inc["super_class"], task["sys_id"])
	}
	columns := func(table string) map[any]map[string]any {
		rows := in.list("sys_dictionary", url.Values{"sysparm_query": {"name=" + table + "^internal_type!=collection"},
			"sysparm_fields": {"element,column_label,internal_type"}, "sysparm_exclude_reference_link": {"true"}}).rows()
		out := map[any]map[string]any{}
		for _, r := range rows {
			out[r["element"]] = r
		}
		return out
	}
	own, inherited := columns("incident"), columns("task")
	if own["caller_id"]["column_label"] != "Caller" || own["caller_id"]["internal_type"] != "reference" || own["short_description"] != nil {
		t.Fatalf("incident's own columns %v", own)
	}
	if inherited["short_description"]["internal_type"] != "string" || inherited["work_notes"]["internal_type"] != "journal_input" {
		t.Fatalf("task's columns %v", inherited)
	}
	if len(in.sb.InvalidQueries()) != 0 {
		t.Fatalf("the documented dictionary query read as invalid: %v", in.sb.InvalidQueries())
	}
}

// TestListsSeeWritesAtOnce: the sandbox has no search index (see the
// package doc): a row created or changed is answered by the next list
// query on its new values, as by a read by sys_id. A Zing text query
// (123TEXTQUERY321), which reads ServiceNow's lagging text index, is no
// query the sandbox serves: it is kept as invalid, never answered from a
// lag-free "index".
func TestListsSeeWritesAtOnce(t *testing.T) {
	in := start(t, Options{})
	a := in.call("POST", "/api/now/table/incident", `{"short_description":"Fresh","correlation_id":"crmflow:timeline:k1"}`)
	if a.status != 201 {
		t.Fatalf("create: %d", a.status)
	}
	id, _ := a.row()["sys_id"].(string)
	q := url.Values{"sysparm_query": {"correlation_id=crmflow:timeline:k1"}, "sysparm_fields": {"sys_id"}}
	if rows := in.list("incident", q).rows(); len(rows) != 1 || rows[0]["sys_id"] != id {
		t.Fatalf("new row not listed: %v", rows)
	}
	if a := in.call("PATCH", "/api/now/table/incident/"+id, `{"correlation_id":"crmflow:timeline:k2"}`); a.status != 200 {
		t.Fatalf("update: %d", a.status)
	}
	if rows := in.list("incident", q).rows(); len(rows) != 0 {
		t.Fatalf("old value still listed: %v", rows)
	}
	q.Set("sysparm_query", "correlation_id=crmflow:timeline:k2")
	if rows := in.list("incident", q).rows(); len(rows) != 1 {
		t.Fatalf("changed row not listed: %v", rows)
	}
	in.sb.ClearInvalidQueries()
	if rows := in.list("incident", url.Values{"sysparm_query": {"123TEXTQUERY321=Fresh"}}).rows(); len(rows) != 0 {
		t.Fatalf("a text query answered %d rows", len(rows))
	}
	if len(in.sb.InvalidQueries()) != 1 {
		t.Fatalf("a text query was served: %v", in.sb.InvalidQueries())
	}
}
