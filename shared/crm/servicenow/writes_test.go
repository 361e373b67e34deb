package servicenow

import (
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

func printerID(t *testing.T, sb *snsandbox.Server) string {
	return findRow(t, sb, "incident", "short_description", "Printer on fire")
}

func TestActivityOnLinkedIncidentIsAWorkNote(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{MaxLimit: 2})
	jane, printer := janeID(t, sb), printerID(t, sb)
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a := crm.Activity{Key: "job-42", Subject: "Follow-up call", Description: "Printer replaced.", Direction: "outbound",
		MediaType: "voice", Phone: "+14155550100", Start: start, End: start.Add(65 * time.Second), Duration: 65 * time.Second,
		AgentName: "Agent Smith", RecordingURL: "https://rec.example/1",
		Links: []crm.Ref{{Entity: "sys_user", ID: jane}, {Entity: "incident", ID: printer}}}
	res, err := c.AddActivity(ctx(t), a)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 || res.Records[0] != (crm.Ref{Entity: "incident", ID: printer}) {
		t.Fatalf("records %+v", res.Records)
	}
	notes := sb.Journal(printer, "work_notes")
	if len(notes) != 1 {
		t.Fatalf("work notes %q", notes)
	}
	for _, want := range []string{"Follow-up call", "Printer replaced.", "outbound voice · 1m5s", "Agent: Agent Smith",
		"Recording: https://rec.example/1", "[crmflow:timeline:job-42]"} {
		if !strings.Contains(notes[0], want) {
			t.Errorf("note lacks %q:\n%s", want, notes[0])
		}
	}
	if len(sb.Records("interaction")) != 1 {
		t.Fatal("an interaction was created besides the work note")
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-42"})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite = %+v, %v, %v", got, found, err)
	}
	// A key that is a prefix of the written one is a different write.
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-4"}); err != nil || found {
		t.Fatalf("prefix key found=%v err=%v", found, err)
	}
}

func TestActivityForContactOpensInteraction(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	ava := findRow(t, sb, "customer_contact", "user_name", "ava.chen")
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "chat-7", MediaType: "chat", Direction: "inbound",
		Links: []crm.Ref{{Entity: "customer_contact", ID: ava}}})
	if err != nil {
		t.Fatal(err)
	}
	row, ok := sb.Record("interaction", res.Records[0].ID)
	if !ok {
		t.Fatal("no interaction")
	}
	for k, want := range map[string]string{"type": "chat", "opened_for": ava, "contact": ava, "state": "closed_complete",
		"active": "false", "short_description": "Inbound chat", "correlation_id": "crmflow:timeline:chat-7", "correlation_display": "crmflow"} {
		if row[k] != want {
			t.Errorf("%s = %q, want %q", k, row[k], want)
		}
	}
}

func TestActivityRefusesBadLinks(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	for _, l := range []crm.Ref{{Entity: "sys_user", ID: "abc"}, {Entity: "sys-user", ID: janeID(t, sb)}} {
		_, err := c.AddActivity(ctx(t), crm.Activity{Key: "k", Links: []crm.Ref{l}})
		wantCode(t, err, crm.InvalidArgument)
	}
	if sb.CallsPrefix("POST") != 0 || sb.CallsPrefix("PATCH") != 0 {
		t.Fatal("a refused activity was written")
	}
}

func TestWriteMarker(t *testing.T) {
	if got := writeMarker(crm.WriteActivity, "job-1"); got != "crmflow:timeline:job-1" {
		t.Fatalf("got %q", got)
	}
	long := strings.Repeat("k", 200)
	for _, key := range []string{long, "with space", "caret^", "line\nbreak"} {
		m := writeMarker(crm.WriteMemorialization, key)
		if len(m) > maxCorrelationID || !strings.HasPrefix(m, "crmflow:datamemorialization:sha256:") {
			t.Fatalf("marker of %q: %q", key, m)
		}
		if _, err := escapeValue(m); err != nil {
			t.Fatalf("marker %q is not query-safe", m)
		}
	}
	if writeMarker(crm.WriteActivity, "") != "" {
		t.Fatal("empty key has a marker")
	}
	if writeMarker(crm.WriteActivity, "k") == writeMarker(crm.WriteMemorialization, "k") {
		t.Fatal("kinds share a marker")
	}
}

func TestMemorializeWithUnusualKey(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	key := "tenant/7 job ^" + strings.Repeat("x", 150)
	m := crm.Memorialization{Key: key, Entity: "interaction", Mode: crm.ModeCreate,
		Fields: map[string]any{"short_description": "Summary"}, Links: []crm.Ref{{Entity: "sys_user", ID: janeID(t, sb)},
			{Entity: "incident", ID: printerID(t, sb)}}}
	res, err := c.WriteRecord(ctx(t), m)
	if err != nil {
		t.Fatal(err)
	}
	row, _ := sb.Record("interaction", res.Records[0].ID)
	if row["opened_for"] != janeID(t, sb) || row["parent"] != printerID(t, sb) {
		t.Fatalf("relations %v", row)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "interaction", Key: key})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite = %+v, %v, %v", got, found, err)
	}
}

func TestMemorializeCustomTable(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	m := crm.Memorialization{Key: "job-9", Entity: "u_call_note", Mode: crm.ModeCreate,
		Fields: map[string]any{"u_summary": "Asked for a callback", "u_duration": 125}}
	res, err := c.WriteRecord(ctx(t), m)
	if err != nil {
		t.Fatal(err)
	}
	row, _ := sb.Record("u_call_note", res.Records[0].ID)
	if row["u_summary"] != "Asked for a callback" || row["u_duration"] != "125" {
		t.Fatalf("row %v", row)
	}
	calls := sb.TotalCalls()
	_, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "u_call_note", Key: "job-9"})
	if err != nil || found || sb.TotalCalls() != calls {
		t.Fatalf("a non-task table was searched for a key: found=%v err=%v", found, err)
	}
	// The data policy on u_summary refuses an empty one.
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "u_call_note", Fields: map[string]any{"u_duration": 1}})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.Status != 403 || !strings.Contains(e.Message, "mandatory: Summary") {
		t.Fatalf("got %+v", e)
	}
}

func TestMemorializeUpdateMode(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	jane, printer := janeID(t, sb), printerID(t, sb)
	m := crm.Memorialization{Entity: "incident", Mode: crm.ModeUpdate, Fields: map[string]any{"urgency": "1", "work_notes": "Called back"},
		Links: []crm.Ref{{Entity: "sys_user", ID: jane}, {Entity: "incident", ID: printer}}}
	res, err := c.WriteRecord(ctx(t), m)
	if err != nil || len(res.Records) != 1 || res.Records[0].ID != printer {
		t.Fatalf("got %+v, %v", res, err)
	}
	if row, _ := sb.Record("incident", printer); row["urgency"] != "1" {
		t.Fatalf("urgency %q", row["urgency"])
	}
	if notes := sb.Journal(printer, "work_notes"); len(notes) != 1 || notes[0] != "Called back" {
		t.Fatalf("notes %q", notes)
	}
	m.Links = m.Links[:1]
	_, err = c.WriteRecord(ctx(t), m)
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "incident", Mode: "merge"})
	wantCode(t, err, crm.InvalidArgument)
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "incident", Fields: map[string]any{"caller_id.email": "x"}})
	wantCode(t, err, crm.InvalidArgument)
}

func TestFindWriteArguments(t *testing.T) {
	c, _ := startSandbox(t, nil, snsandbox.Options{})
	_, _, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity})
	wantCode(t, err, crm.InvalidArgument)
	_, _, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: "other", Key: "k"})
	wantCode(t, err, crm.InvalidArgument)
	_, _, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "in.cident", Key: "k"})
	wantCode(t, err, crm.InvalidArgument)
}

func TestCreateRefusesBadNames(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	for _, tc := range []struct {
		entity string
		fields map[string]any
	}{
		{"incident", map[string]any{"Short_Description": "x"}},
		{"incident", map[string]any{"short_description\"": "x"}},
		{"incident?sysparm_query=x", map[string]any{"short_description": "x"}},
		{"", nil},
	} {
		_, err := c.Create(ctx(t), tc.entity, tc.fields)
		wantCode(t, err, crm.InvalidArgument)
	}
	if sb.TotalCalls() != 0 {
		t.Fatal("refused creates reached the instance")
	}
	err := c.Update(ctx(t), crm.Ref{Entity: "incident", ID: "../sys_user"}, map[string]any{"state": "2"})
	wantCode(t, err, crm.InvalidArgument)
}
