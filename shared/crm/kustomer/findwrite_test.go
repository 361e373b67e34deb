package kustomer

import (
	"net/http"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	kussandbox "github.com/crmflow/crmflow/shared/sandbox/kustomer"
)

// Every object a create-mode memorialization may make carries its key in
// externalId, and FindWrite finds it by a consistent read while the
// search index lags by an hour: it never searches.
func TestFindWriteEveryObjectWhileSearchLags(t *testing.T) {
	c, sb := startSandbox(t, nil, kussandbox.Options{IndexLag: time.Hour})
	jane := crm.Ref{Entity: "customer", ID: sb.IDs("customer")[0]}
	open, err := c.RelatedOpen(ctx(t), jane, 1)
	if err != nil || len(open) != 1 {
		t.Fatalf("%v %v", open, err)
	}
	conv := crm.Ref{Entity: "conversation", ID: open[0].ID}
	links := []crm.Ref{jane, conv}
	for _, tc := range []struct {
		entity string
		fields map[string]any
	}{
		{"customer", map[string]any{"name": "Lag Tester", "email": "lag.tester@example.com"}},
		{"company", map[string]any{"name": "Lagging Ltd"}},
		{"conversation", map[string]any{"name": "Call summary"}},
		{"message", map[string]any{"app": "crmflow", "channel": "voice", "direction": "in", "preview": "Call"}},
		{"note", map[string]any{"body": "Caller confirmed."}},
		{"kobject.order", map[string]any{"title": "Call about an order"}},
	} {
		t.Run(tc.entity, func(t *testing.T) {
			key := "job-lag-" + tc.entity
			res, err := c.WriteRecord(ctx(t), crm.Memorialization{Key: key, Entity: tc.entity, Mode: crm.ModeCreate,
				Links: links, Fields: tc.fields})
			if err != nil {
				t.Fatal(err)
			}
			if stored, _ := sb.Record(res.Records[0].ID); stored["externalId"] != key {
				t.Fatalf("stored %v", stored)
			}
			searches := sb.Calls("POST /v1/customers/search")
			got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: tc.entity, Key: key, Links: links})
			if err != nil || !found || got.Records[0] != res.Records[0] {
				t.Fatalf("%+v %v %v, want %+v", got, found, err, res)
			}
			if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: tc.entity, Key: key + "-other", Links: links}); found || err != nil {
				t.Fatalf("another key found: %v %v", found, err)
			}
			if n := sb.Calls("POST /v1/customers/search") - searches; n != 0 {
				t.Fatalf("FindWrite searched %d times", n)
			}
		})
	}
	// The search itself does lag: the new customer is not found by it yet.
	if recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "lag.tester@example.com"}); err != nil || len(recs) != 0 {
		t.Fatalf("search within the lag: %+v %v", recs, err)
	}
}

// A company is found in the company list filtered by externalId; a record
// the filter answers with another externalId is not taken.
func TestFindCompanyChecksTheKey(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/companies", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("externalId") != "job 1&x" {
			t.Errorf("query %s", r.URL.RawQuery)
		}
		w.Write([]byte(`{"meta":{"pageSize":100,"page":1},"data":[{"type":"company","id":"5f3a1c2b0000000000000001",` +
			`"attributes":{"name":"Other","externalId":"job 1"}}],"links":{"self":"/v1/companies","next":null}}`))
	})
	c := fakeAPI(t, mux)
	if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "companies", Key: "job 1&x", Links: []crm.Ref{}}); found || err != nil {
		t.Fatalf("%v %v", found, err)
	}
}

// A company list answer without the key that looks unfiltered (two records,
// neither carrying it) is an error, never "not written": were Kustomer
// ignoring the externalId filter, a guess could create the company twice.
func TestFindCompanyRefusesAnUnfilteredList(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/companies", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"meta":{"pageSize":100,"page":1},"data":[` +
			`{"type":"company","id":"5f3a1c2b0000000000000001","attributes":{"name":"Old","externalId":"job 0"}},` +
			`{"type":"company","id":"5f3a1c2b0000000000000002","attributes":{"name":"Other"}}],` +
			`"links":{"self":"/v1/companies","next":null}}`))
	})
	c := fakeAPI(t, mux)
	_, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: "company", Key: "job 1", Links: []crm.Ref{}})
	if found || crm.CodeOf(err) != crm.Internal {
		t.Fatalf("found %v, err %v: want an Internal error", found, err)
	}
}
