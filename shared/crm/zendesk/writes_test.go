package zendesk

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	zdsandbox "github.com/crmflow/crmflow/shared/sandbox/zendesk"
)

func TestActivityOnLinkedTicketFoundByTag(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{})
	a := crm.Activity{Key: "job 7/ä", Subject: "Inbound call", Description: "notes", MediaType: "voice",
		Links: []crm.Ref{{Entity: "user", ID: janeID(t, sb)}, {Entity: "ticket", ID: "1"}}}
	res, err := c.AddActivity(ctx(t), a)
	if err != nil || len(res.Records) != 1 || res.Records[0] != (crm.Ref{Entity: "ticket", ID: "1"}) {
		t.Fatalf("%+v %v", res, err)
	}
	comments := sb.Comments(1)
	last := comments[len(comments)-1]
	if last["public"] != false || !strings.Contains(last["body"].(string), "notes") {
		t.Fatalf("comment %+v", last)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: a.Key})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite %+v %v %v", got, found, err)
	}
}

// Search lags behind writes in Zendesk; a new call ticket is still found
// at once because FindWrite reads external_id from the ticket list.
func TestFindWriteDoesNotNeedTheSearchIndex(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{IndexLag: time.Hour})
	jane := janeID(t, sb)
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-9", Links: []crm.Ref{{Entity: "user", ID: jane}}})
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-9"})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite %+v %v %v", got, found, err)
	}
	id, _ := strconv.ParseInt(res.Records[0].ID, 10, 64)
	tk, _ := sb.Record("ticket", id)
	if tk["requester_id"].(int64) != mustInt(t, jane) || tk["subject"] != "Inbound call" {
		t.Fatalf("ticket %+v", tk)
	}
}

func mustInt(t *testing.T, s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMemorializeUserAndUpdateMode(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{})
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: "job-3", Entity: "user", Mode: crm.ModeCreate,
		Fields: map[string]any{"name": "Caller 4155550142"}, Links: []crm.Ref{{Entity: "organization", ID: "360000000001"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "user", Key: "job-3"})
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite %+v %v %v", got, found, err)
	}
	jane := janeID(t, sb)
	up, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "user", Mode: crm.ModeUpdate,
		Fields: map[string]any{"notes": "Called about the printer"}, Links: []crm.Ref{{Entity: "user", ID: jane}, {Entity: "ticket", ID: "1"}}})
	if err != nil || len(up.Records) != 1 {
		t.Fatalf("%+v %v", up, err)
	}
	u, _ := sb.Record("user", mustInt(t, jane))
	if u["notes"] != "Called about the printer" {
		t.Fatalf("user %+v", u)
	}
	_, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "organization", Mode: crm.ModeUpdate, Fields: map[string]any{"notes": "x"}})
	wantCode(t, err, crm.InvalidArgument)
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "organization", Key: "job-3"}); err != nil || found {
		t.Fatalf("other entity: %v %v", found, err)
	}
}

func TestWriteMarkers(t *testing.T) {
	if m := writeMarker(crm.WriteActivity, "job-1"); m != "crmflow:timeline:job-1" {
		t.Fatal(m)
	}
	if m := writeMarker(crm.WriteActivity, "a b"); !strings.HasPrefix(m, "crmflow:timeline:sha256:") || len(m) != 24+32 {
		t.Fatal(m)
	}
	tag := writeTag(crm.WriteActivity, "Job-1")
	if tag != strings.ToLower(tag) || strings.ContainsAny(tag, " :") || tag == writeTag(crm.WriteMemorialization, "Job-1") {
		t.Fatal(tag)
	}
}

// Under a search index that lags by an hour, every memorialized resource
// is found by its key at once, and no lookup goes through search: users
// and organizations through show_many, tickets through the ticket list,
// custom object records through their list.
func TestFindWriteIsConsistentForEveryResource(t *testing.T) {
	c, sb := startSandbox(t, nil, zdsandbox.Options{IndexLag: time.Hour})
	writes := []crm.Memorialization{
		{Key: "job-u", Entity: "user", Fields: map[string]any{"name": "Caller 4155550142"}},
		{Key: "job-o", Entity: "organization", Fields: map[string]any{"name": "Globex"}},
		{Key: "job-t", Entity: "ticket", Fields: map[string]any{"subject": "Call", "comment.body": "notes"}},
		{Key: "job-c", Entity: "call_note", Fields: map[string]any{"name": "Call", "summary": "notes"}},
	}
	for _, m := range writes {
		m.Mode = crm.ModeCreate
		res, err := c.WriteRecord(ctx(t), m)
		if err != nil {
			t.Fatalf("%s: %v", m.Entity, err)
		}
		sb.ResetCalls()
		got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: m.Entity, Key: m.Key})
		if err != nil || !found || got.Records[0] != res.Records[0] {
			t.Errorf("%s: FindWrite %+v %v %v, wrote %+v", m.Entity, got, found, err, res)
		}
		if n := sb.CallsPrefix("GET /api/v2/search"); n != 0 {
			t.Errorf("%s: FindWrite searched (%d calls)", m.Entity, n)
		}
		if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: m.Entity, Key: m.Key + "-other"}); err != nil || found {
			t.Errorf("%s: another key found: %v %v", m.Entity, found, err)
		}
	}
}

// A comment on a linked ticket is found in the ticket's audits, at once
// under a lagging index, given the links the activity was written with;
// another key, or a ticket without the comment, is not found.
func TestActivityOnLinkedTicketFoundInAudits(t *testing.T) {
	// PageSize 2 makes the audit list paginate.
	c, sb := startSandbox(t, nil, zdsandbox.Options{IndexLag: time.Hour, PageSize: 2})
	links := []crm.Ref{{Entity: "user", ID: janeID(t, sb)}, {Entity: "ticket", ID: "1"}}
	for i := range 3 { // earlier audits on the ticket, so the key is on a later page
		if err := c.Update(ctx(t), crm.Ref{Entity: "ticket", ID: "1"}, map[string]any{"priority": []string{"low", "normal", "high"}[i]}); err != nil {
			t.Fatal(err)
		}
	}
	a := crm.Activity{Key: "job-41", Subject: "Inbound call", Description: "notes", Links: links}
	res, err := c.AddActivity(ctx(t), a)
	if err != nil {
		t.Fatal(err)
	}
	sb.ResetCalls()
	l := crm.WriteLookup{Kind: crm.WriteActivity, Key: a.Key, Links: links}
	got, found, err := c.FindWrite(ctx(t), l)
	if err != nil || !found || got.Records[0] != res.Records[0] {
		t.Fatalf("FindWrite %+v %v %v", got, found, err)
	}
	if n := sb.CallsPrefix("GET /api/v2/search"); n != 0 || sb.CallsPrefix("GET /api/v2/tickets/1/audits") < 2 {
		t.Errorf("search calls %d, audit pages %d", n, sb.CallsPrefix("GET /api/v2/tickets/1/audits"))
	}
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-42", Links: links}); err != nil || found {
		t.Errorf("another key: %v %v", found, err)
	}
	other := []crm.Ref{{Entity: "ticket", ID: "3"}}
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: a.Key, Links: other}); err != nil || found {
		t.Errorf("another ticket: %v %v", found, err)
	}
	// With the links unknown (nil) the comment is looked for through
	// search, which has not indexed it.
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: a.Key}); err != nil || found {
		t.Errorf("FindWrite without links under lag: %v %v", found, err)
	}
	// A new call ticket (no ticket linked) is found by external_id.
	userOnly := links[:1]
	nt, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-43", Links: userOnly})
	if err != nil {
		t.Fatal(err)
	}
	if got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-43", Links: userOnly}); err != nil || !found || got.Records[0] != nt.Records[0] {
		t.Errorf("new call ticket: %+v %v %v", got, found, err)
	}
}

func TestTagValues(t *testing.T) {
	for _, c := range []struct {
		in   any
		want []string
	}{
		{[]any{"a", "crmflow_tl_1"}, []string{"a", "crmflow_tl_1"}},
		{"a crmflow_tl_1", []string{"a", "crmflow_tl_1"}},
		{nil, nil},
		{float64(3), nil},
	} {
		if got := tagValues(c.in); !slices.Equal(got, c.want) {
			t.Errorf("%v: %v", c.in, got)
		}
	}
}
