package oracle

import (
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
)

func TestQuote(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{in: "jane.doe@example.com", want: "'jane.doe@example.com'"},
		{in: "O'Brien", want: "'O''Brien'"},
		{in: `a\' OR id != '`, want: `'a\'' OR id != '''`},
		{in: `x" OR "1"="1`, want: `'x" OR "1"="1'`},
		{in: "", want: "''"},
		{in: "%_*", want: "'%_*'"},
		{in: "a;SELECT id FROM accounts", bad: true},
		{in: "line\nbreak", bad: true},
		{in: "tab\there", bad: true},
		{in: "\xff", bad: true},
	} {
		got, err := quote(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("quote(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestCompileFilter(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    crm.Filter
		want string
		bad  bool
	}{
		{name: "eq", f: crm.Filter{Field: "name.last", Op: crm.OpEq, Value: "O'Doe"}, want: "name.last = 'O''Doe'"},
		{name: "ne number", f: crm.Filter{Field: "severity.id", Op: crm.OpNe, Value: 2.0}, want: "severity.id != 2"},
		{name: "empty eq", f: crm.Filter{Field: "title", Op: crm.OpEq, Value: ""}, want: "title IS NULL"},
		{name: "empty ne", f: crm.Filter{Field: "title", Op: crm.OpNe, Value: ""}, want: "title IS NOT NULL"},
		{name: "empty gt", f: crm.Filter{Field: "title", Op: crm.OpGt, Value: ""}, bad: true},
		{name: "bool", f: crm.Filter{Field: "disabled", Op: crm.OpEq, Value: true}, want: "disabled = 1"},
		{name: "contains", f: crm.Filter{Field: "subject", Op: crm.OpContains, Value: "print"}, want: "subject LIKE '%print%'"},
		{name: "startsWith", f: crm.Filter{Field: "emails.address", Op: crm.OpStartsWith, Value: "jane"}, want: "emails.address LIKE 'jane%'"},
		{name: "contains wildcard", f: crm.Filter{Field: "subject", Op: crm.OpContains, Value: "100%"}, bad: true},
		{name: "contains underscore", f: crm.Filter{Field: "login", Op: crm.OpStartsWith, Value: "jane_"}, bad: true},
		{name: "in", f: crm.Filter{Field: "statusWithType.status.id", Op: crm.OpIn, Value: []any{1.0, 8.0}}, want: "statusWithType.status.id IN (1, 8)"},
		{name: "in text", f: crm.Filter{Field: "name.first", Op: crm.OpIn, Value: []any{"Jane", "O'Neil"}}, want: "name.first IN ('Jane', 'O''Neil')"},
		{name: "range", f: crm.Filter{Field: "updatedTime", Op: crm.OpGte, Value: "2026-11-01T00:00:00Z"}, want: "updatedTime >= '2026-11-01T00:00:00Z'"},
		{name: "keyword field", f: crm.Filter{Field: "name.or", Op: crm.OpEq, Value: "x"}, bad: true},
		{name: "semicolon", f: crm.Filter{Field: "subject", Op: crm.OpEq, Value: "a; SELECT"}, bad: true},
		{name: "groups", f: crm.Filter{Any: []crm.Filter{
			{Field: "name.last", Op: crm.OpEq, Value: "Doe"},
			{All: []crm.Filter{{Field: "name.first", Op: crm.OpEq, Value: "John"}, {Field: "title", Op: crm.OpContains, Value: "Lead"}}},
		}}, want: "(name.last = 'Doe' OR (name.first = 'John' AND title LIKE '%Lead%'))"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.f.Validate(); err != nil {
				t.Fatalf("invalid test filter: %v", err)
			}
			got, err := compileFilter(tc.f)
			if (err != nil) != tc.bad || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestNames(t *testing.T) {
	for name, want := range map[string]bool{"contacts": true, "incidents": true, "CO.CallNote": true, "Contacts": true,
		"contacts;": false, "CO.Call.Note": false, "select": false, "a b": false, "": false} {
		if _, err := canonicalEntity(name); (err == nil) != want {
			t.Errorf("canonicalEntity(%q): %v, want ok %v", name, err, want)
		}
	}
	for name, want := range map[string]bool{"emails.address": true, "customFields.c.job_title": true,
		"statusWithType.status.lookupName": true, "name.": false, "a..b": false, "x.like": false, "1a": false,
		strings.Repeat("a.", 8) + "a": false} {
		if validField(name) != want {
			t.Errorf("validField(%q) != %v", name, want)
		}
	}
	for id, want := range map[string]bool{"1": true, "123456": true, "0": false, "01": false, "-1": false, "1 OR 1=1": false} {
		if validID(id) != want {
			t.Errorf("validID(%q) != %v", id, want)
		}
	}
}

func TestQueryParamEncodesSpaces(t *testing.T) {
	if got := queryParam("SELECT id FROM contacts WHERE name.first = 'A+B'"); got !=
		"query=SELECT%20id%20FROM%20contacts%20WHERE%20name.first%20%3D%20%27A%2BB%27" {
		t.Fatal(got)
	}
}

func TestWriteMarker(t *testing.T) {
	for key, want := range map[string]string{"job-0001": "crmflow:timeline:job-0001",
		"job_abcdefghijklmnopqrstuvwxyz": "crmflow:timeline:job_abcdefghijklmnopqrstuvwxyz"} {
		if got := writeMarker(crm.WriteActivity, key); got != want {
			t.Errorf("marker of %q = %q", key, got)
		}
	}
	for _, key := range []string{"a b", "a'b", strings.Repeat("k", 60), "100%"} {
		m := writeMarker(crm.WriteMemorialization, key)
		if !strings.HasPrefix(m, "crmflow:datamemorialization:sha256:") || len(m) > maxMarker || !plainKey.MatchString(m) {
			t.Errorf("marker of %q = %q", key, m)
		}
	}
	if writeMarker(crm.WriteActivity, "") != "" {
		t.Fatal("empty key")
	}
}

func TestSetPath(t *testing.T) {
	body := map[string]any{"customFields": map[string]any{"c": map[string]any{"other": "x"}}}
	setPath(body, "customFields.c.crmflow_key", "m")
	c := body["customFields"].(map[string]any)["c"].(map[string]any)
	if c["other"] != "x" || c["crmflow_key"] != "m" {
		t.Fatalf("%+v", body)
	}
	setPath(body, "crmflow_key", "n")
	if body["crmflow_key"] != "n" {
		t.Fatalf("%+v", body)
	}
}

func TestExpand(t *testing.T) {
	got, err := expand("op", map[string]any{"name.first": "Jane", "name.last": "Doe", "organization.id": "7", "title": "CEO"})
	if err != nil {
		t.Fatal(err)
	}
	name := got["name"].(map[string]any)
	if name["first"] != "Jane" || name["last"] != "Doe" || got["organization"].(map[string]any)["id"] != int64(7) || got["title"] != "CEO" {
		t.Fatalf("%+v", got)
	}
	if _, err := expand("op", map[string]any{"name": "x", "name.first": "y"}); err == nil {
		t.Fatal("conflict accepted")
	}
	if _, err := expand("op", map[string]any{"bad key": "x"}); crm.CodeOf(err) != crm.InvalidArgument {
		t.Fatalf("bad key: %v", err)
	}
}
