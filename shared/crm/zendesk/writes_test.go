package zendesk

import (
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
