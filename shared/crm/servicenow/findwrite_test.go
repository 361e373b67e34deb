package servicenow

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	snsandbox "github.com/crmflow/crmflow/shared/sandbox/servicenow"
)

// queryLog records the table and sysparm_query of every Table API read.
type queryLog struct {
	mu   sync.Mutex
	seen []string
}

func (q *queryLog) RoundTrip(r *http.Request) (*http.Response, error) {
	if i := strings.Index(r.URL.Path, "/table/"); i >= 0 && r.Method == http.MethodGet {
		q.mu.Lock()
		q.seen = append(q.seen, r.URL.Path[i+len("/table/"):]+"?"+r.URL.Query().Get("sysparm_query"))
		q.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

// take returns the reads since the last take.
func (q *queryLog) take() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.seen
	q.seen = nil
	return out
}

// TestFindWriteReadsTheLinkedRecordsNotes: a work note on a linked record
// is found by one read of that record's journal entries (element_id), and
// with the links unknown by the wider reads; a key never written is not
// found either way.
func TestFindWriteReadsTheLinkedRecordsNotes(t *testing.T) {
	log := &queryLog{}
	c, sb := startSandbox(t, &http.Client{Transport: log}, snsandbox.Options{})
	jane, printer := janeID(t, sb), printerID(t, sb)
	links := []crm.Ref{{Entity: "sys_user", ID: jane}, {Entity: "incident", ID: printer}}
	res, err := c.AddActivity(ctx(t), crm.Activity{Key: "job-note-1", Subject: "Call", Links: links})
	if err != nil || res.Records[0] != links[1] {
		t.Fatalf("activity: %+v %v", res, err)
	}
	log.take()
	got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-note-1", Links: links})
	if err != nil || !found || got.Records[0] != links[1] {
		t.Fatalf("FindWrite with links = %+v, %v, %v", got, found, err)
	}
	reads := log.take()
	if len(reads) != 1 || !strings.HasPrefix(reads[0], "sys_journal_field?element_id="+printer+"^element=work_notes^valueLIKE[crmflow:timeline:job-note-1]") {
		t.Fatalf("reads %q", reads)
	}
	got, found, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-note-1"})
	if err != nil || !found || got.Records[0] != links[1] {
		t.Fatalf("FindWrite without links = %+v, %v, %v", got, found, err)
	}
	if reads := log.take(); len(reads) != 2 || !strings.HasPrefix(reads[0], "interaction?correlation_id=") {
		t.Fatalf("reads %q", reads)
	}
	// The same key on another record is not this write.
	var other string
	for _, r := range sb.Records("incident") {
		if r["sys_id"] != printer {
			other = r["sys_id"]
		}
	}
	_, found, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-note-1",
		Links: []crm.Ref{{Entity: "incident", ID: other}}})
	if err != nil || found {
		t.Fatalf("found on a record the note is not on: %v, %v", found, err)
	}
	_, found, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-note-2", Links: links})
	if err != nil || found {
		t.Fatalf("unwritten key found: %v, %v", found, err)
	}
	_, _, err = c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "k", Links: []crm.Ref{{Entity: "incident", ID: "INC0010001"}}})
	wantCode(t, err, crm.InvalidArgument)
}

// TestFindWriteInteractionByLinks: with no task record linked, the write is
// an interaction, read by correlation_id alone.
func TestFindWriteInteractionByLinks(t *testing.T) {
	log := &queryLog{}
	c, sb := startSandbox(t, &http.Client{Transport: log}, snsandbox.Options{})
	for _, links := range [][]crm.Ref{{{Entity: "sys_user", ID: janeID(t, sb)}}, {}} {
		key := "job-ims-" + string(rune('a'+len(links)))
		res, err := c.AddActivity(ctx(t), crm.Activity{Key: key, Subject: "Call", Links: links})
		if err != nil || res.Records[0].Entity != "interaction" {
			t.Fatalf("activity: %+v %v", res, err)
		}
		log.take()
		got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: key, Links: links})
		if err != nil || !found || got.Records[0] != res.Records[0] {
			t.Fatalf("FindWrite = %+v, %v, %v", got, found, err)
		}
		if reads := log.take(); len(reads) != 1 || !strings.HasPrefix(reads[0], "interaction?correlation_id=crmflow:timeline:"+key+"^") {
			t.Fatalf("reads %q", reads)
		}
	}
}

// TestFindWriteIsImmediate: a FindWrite read is a Table API condition, a
// database read, so a memorialization created into incident, interaction
// or sn_customerservice_case is found the moment the create is answered;
// a create-mode mapping into each of those passes the save-time check, and
// one into a table without correlation_id is refused.
func TestFindWriteIsImmediate(t *testing.T) {
	c, sb := startSandbox(t, nil, snsandbox.Options{})
	jane := janeID(t, sb)
	for _, table := range []string{"incident", "interaction", "sn_customerservice_case"} {
		key := "job-now-" + table
		res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: key, Entity: table, Mode: crm.ModeCreate,
			Fields: map[string]any{"short_description": "Call"}, Links: []crm.Ref{{Entity: "sys_user", ID: jane}}})
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: table, Key: key,
			Links: []crm.Ref{{Entity: "sys_user", ID: jane}}})
		if err != nil || !found || got.Records[0] != res.Records[0] {
			t.Fatalf("%s: FindWrite = %+v, %v, %v", table, got, found, err)
		}
		// A mapping into the table passes the save-time check.
		if err := mappingCheck(crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: table, Mode: crm.ModeCreate,
			Targets: []string{"short_description"}}); err != nil {
			t.Fatalf("%s refused: %v", table, err)
		}
	}
	// A table without correlation_id is refused at save time instead.
	err := mappingCheck(crm.MappingCheck{Kind: crm.MappingMemorialization, Entity: "u_call_note", Mode: crm.ModeCreate,
		Targets: []string{"u_summary"}})
	if e := wantCode(t, err, crm.InvalidArgument); e.Field != "entity" || !strings.Contains(e.Message, "correlation_id") {
		t.Fatalf("refusal %+v", e)
	}
}
