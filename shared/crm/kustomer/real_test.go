package kustomer

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
)

// realFile reads a published answer (testdata/real/SOURCES.md).
func realFile(t *testing.T, name string) []byte {
	t.Helper()
	return crmtest.RealFile(t, name)
}

// replay is an org that answers every request with one recorded answer and
// remembers the requests' method and path.
func replay(t *testing.T, status int, header http.Header, body []byte) (*connector, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.EscapedPath())
		mu.Unlock()
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
	c := fakeAPI(t, mux)
	c.app = "https://acme.kustomerapp.com"
	return c, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// TestRealFilesAreListed: every file under testdata/real is named in
// SOURCES.md and decoded by a test here.
func TestRealFilesAreListed(t *testing.T) { crmtest.CheckRealFilesListed(t) }

// TestRealSearchPage: a published search page decodes to its customers
// (name, display name, stamps) and its relative links.next is followed on
// the same path with the page Kustomer names.
func TestRealSearchPage(t *testing.T) {
	c, seen := replay(t, 200, nil, realFile(t, "customers-search-200.json"))
	recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "dave@example.com", Limit: 3})
	if err != nil || len(recs) != 3 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	r := recs[0]
	if r.ID != "576db7781126c61100824494" || r.Entity != "customer" || r.Display != "Dave" ||
		!r.Updated.Equal(time.Date(2016, 6, 24, 22, 43, 4, 298e6, time.UTC)) ||
		r.URL != "https://acme.kustomerapp.com/app/customers/576db7781126c61100824494" || r.Fields["name"] != "Dave Smith" {
		t.Fatalf("record %+v", r)
	}
	if calls := seen(); len(calls) != 2 || calls[1] != "POST /v1/customers/search" {
		t.Fatalf("calls %v", calls)
	}
	if q, ok := nextPage("/v1/customers/search?page=2&pageSize=100", searchPath); !ok || q.Get("page") != "2" {
		t.Fatalf("next %v %v", q, ok)
	}
}

// TestRealCustomerAnswers: the exact lookups, a create and a patch answer
// one customer; its emails and phones give the email and phone shorthands.
func TestRealCustomerAnswers(t *testing.T) {
	for file, want := range map[string]map[string]any{
		"customer-by-email-200.json": {"name": "John Smith Jr.", "email": "abu@kustomer.com", "phone": nil, "externalId": "my-customer-database-id"},
		"customer-by-phone-200.json": {"name": nil},
		"customer-create-201.json":   {"name": "John Smith"},
		"customer-patch-200.json":    {"name": nil},
	} {
		c, _ := replay(t, 200, nil, realFile(t, file))
		rec, err := c.Get(ctx(t), crm.Ref{Entity: "customers", ID: "58210c3db0f09110006b7953"}, []string{"name", "email", "phone", "externalId"})
		if err != nil || rec.Entity != "customer" || !idShape.MatchString(rec.ID) || rec.Display == "" {
			t.Fatalf("%s: %+v %v", file, rec, err)
		}
		for k, v := range want {
			if v != nil && rec.Fields[k] != v {
				t.Errorf("%s: %s = %v, want %v", file, k, rec.Fields[k], v)
			}
		}
	}
	c, _ := replay(t, 201, nil, realFile(t, "customer-create-201.json"))
	rec, err := c.Create(ctx(t), "customer", map[string]any{"name": "John Smith"})
	if err != nil || rec.ID != "5822a4a5aa5f92110005d69a" || rec.Display != "John Smith" {
		t.Fatalf("create %+v %v", rec, err)
	}
	c, _ = replay(t, 200, nil, realFile(t, "customers-list-200.json"))
	rec, found, err := c.Sample(ctx(t), "customers")
	if err != nil || !found || rec.ID != "5822a4a5aa5f92110005d69a" {
		t.Fatalf("sample %+v %v %v", rec, found, err)
	}
}

// TestRealConversationsMessagesNotes: a conversation created for a
// customer, the customer's conversations (one, done: none open), a message
// created for a customer (its conversation comes back too), a message
// found by its externalId, a note created in a conversation.
func TestRealConversationsMessagesNotes(t *testing.T) {
	c, seen := replay(t, 201, nil, realFile(t, "conversation-create-201.json"))
	res, err := c.WriteRecord(ctx(t), crm.Memorialization{Entity: "conversations", Key: "job-1", Fields: map[string]any{"name": "Foobar"},
		Links: []crm.Ref{{Entity: "customer", ID: "58210c3db0f09110006b7953"}}})
	if err != nil || res.Records[0] != (crm.Ref{Entity: "conversation", ID: "58228e05d4e96711004eccb7"}) || seen()[0] != "POST /v1/conversations" {
		t.Fatalf("%+v %v %v", res, err, seen())
	}
	if u := c.RecordURL(crm.Ref{Entity: "conversation", ID: "58228e05d4e96711004eccb7"}); !strings.HasSuffix(u, "/event/58228e05d4e96711004eccb7") {
		t.Fatalf("conversation URL %q", u)
	}

	c, _ = replay(t, 200, nil, realFile(t, "customer-conversations-200.json"))
	open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: "customer", ID: "58210c3db0f09110006b7953"}, 5)
	if err != nil || len(open) != 0 {
		t.Fatalf("open %+v %v", open, err)
	}

	c, seen = replay(t, 201, nil, realFile(t, "customer-message-create-201.json"))
	res, err = c.AddActivity(ctx(t), crm.Activity{Key: "call-1", Links: []crm.Ref{{Entity: "customer", ID: "57c08ccde595371400462df2"}}})
	if err != nil || len(res.Records) != 2 || res.Records[0].ID != "57a6082ae92c9510005e35ea" ||
		res.Records[1] != (crm.Ref{Entity: "conversation", ID: "58288a637c7f551a00b5b716"}) {
		t.Fatalf("message %+v %v", res, err)
	}
	if seen()[0] != "POST /v1/customers/57c08ccde595371400462df2/messages" {
		t.Fatalf("calls %v", seen())
	}

	const key = "<CADBFQxRPMLtQrBS9x+mt=7Wcy0GEw0FxcneO5sn=k4XgGDyVZg@mail.gmail.com>"
	c, seen = replay(t, 200, nil, realFile(t, "message-by-externalid-200.json"))
	found, ok, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: key})
	if err != nil || !ok || found.Records[0].ID != "57c8d2b01a57ed1400392073" {
		t.Fatalf("find %+v %v %v", found, ok, err)
	}
	if p := seen()[0]; !strings.HasPrefix(p, "GET /v1/messages/externalid=") {
		t.Fatalf("lookup %s", p)
	}
	if _, ok, _ := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "another"}); ok {
		t.Fatal("a message with another externalId was taken for the write")
	}

	c, seen = replay(t, 201, nil, realFile(t, "conversation-note-create-201.json"))
	res, err = c.WriteRecord(ctx(t), crm.Memorialization{Entity: "note", Key: "job-2", Fields: map[string]any{"body": "Hey"},
		Links: []crm.Ref{{Entity: "conversation", ID: "57c8d2b365f7cc14004e674f"}}})
	if err != nil || res.Records[0] != (crm.Ref{Entity: "note", ID: "5828a3be7c7f551a00b5b720"}) ||
		seen()[0] != "POST /v1/conversations/57c8d2b365f7cc14004e674f/notes" {
		t.Fatalf("note %+v %v %v", res, err, seen())
	}
}

// TestRealKlasses: a KObject created (type kobject.order) and the Klass
// list Describe reads for a KObject's label.
func TestRealKlasses(t *testing.T) {
	c, seen := replay(t, 201, nil, realFile(t, "kobject-create-201.json"))
	rec, err := c.Create(ctx(t), "order", map[string]any{"title": "Order #1059"})
	if err != nil || rec.Entity != "kobject.order" || rec.ID != "5826ab180fcc2514008b2a94" ||
		rec.Display != "Order #1059 (3 items ordered for $64.67)" || seen()[0] != "POST /v1/klasses/order" {
		t.Fatalf("%+v %v %v", rec, err, seen())
	}

	klasses := realFile(t, "klasses-200.json")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/klasses", func(w http.ResponseWriter, r *http.Request) { w.Write(klasses) })
	mux.HandleFunc("GET /v1/metadata/{resource}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(404)
		w.Write(realFile(t, "error-documented-400.json"))
	})
	c = fakeAPI(t, mux)
	meta, err := c.Describe(ctx(t), "purchase")
	if err != nil || meta.Entity != "kobject.purchase" || meta.Label != "Purchase" {
		t.Fatalf("%+v %v", meta, err)
	}
	// The first Klass of the example spells its display name "displayname":
	// the Klass name stands in.
	if meta, err := c.Describe(ctx(t), "call_back_request"); err != nil || meta.Label != "call_back_request" {
		t.Fatalf("%+v %v", meta, err)
	}
	if _, err := c.Describe(ctx(t), "orders"); crm.CodeOf(err) != crm.NotFound {
		t.Fatalf("unknown Klass: %v", err)
	}
}

// TestRealErrors: the documented error bodies keep Kustomer's code and its
// detail (or message), with the source pointer; a 429 waits until
// x-ratelimit-reset.
func TestRealErrors(t *testing.T) {
	c, _ := replay(t, 400, nil, realFile(t, "error-documented-400.json"))
	_, err := c.Create(ctx(t), "customer", map[string]any{"name": "x"})
	e := wantCode(t, err, crm.InvalidArgument)
	if e.IsRefusal() || e.Status != 400 || e.CRMCode != "bad_request" || e.Message != "Invalid request body or parameters. (/data/attributes/x)" {
		t.Fatalf("%+v", e)
	}
	c, _ = replay(t, 400, nil, realFile(t, "error-documented-minimal-400.json"))
	_, err = c.Create(ctx(t), "customer", map[string]any{"name": "x"})
	if e := wantCode(t, err, crm.InvalidArgument); e.CRMCode != "bad_request" || e.Message != "Invalid request body or parameters." {
		t.Fatalf("%+v", e)
	}
	reset := testNow.Add(17 * time.Second).Unix()
	h := http.Header{"X-Ratelimit-Limit": {"300"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(reset, 10)}}
	c, _ = replay(t, 429, h, realFile(t, "documented-rate-limit-429.json"))
	_, err = c.SearchByEmail(ctx(t), crm.EmailSearch{Email: "a@b.example"})
	if e := wantCode(t, err, crm.ResourceExhausted); !e.Retryable || e.RetryAfter != 17*time.Second || e.CRMCode != "too_many_requests" {
		t.Fatalf("%+v", e)
	}
}
