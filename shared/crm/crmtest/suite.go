package crmtest

import (
	"context"
	"flag"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/sandbox"
)

var update = flag.Bool("update", false, "rewrite golden files of CRM requests")

// Sandbox is what the suite needs from a CRM sandbox.
type Sandbox interface {
	Inject(sandbox.Fault)
	ClearFaults()
	CallsPrefix(prefix string) int
	TotalCalls() int
	// ExpireTokens makes every issued access token invalid, as when a session ends.
	ExpireTokens()
	// TokenRequests counts requests to the token endpoint (0 for CRMs without one).
	TokenRequests() int
}

// Harness tells the suite how to reach one CRM and what its native names are.
type Harness struct {
	Type crm.Type
	// Make starts a fresh sandbox with the demo data and returns a connector
	// for it built on hc (the suite records requests through hc).
	Make func(t *testing.T, hc *http.Client) (crm.Connector, Sandbox)
	// Person is the person-like entity Jane is stored as (Contact, contacts, sys_user…).
	Person string
	// PersonEmailField and PersonPhoneField hold Jane's email and phone on Person.
	PersonEmailField string
	// PersonWithPhone is the create fields of a Person with a name and a
	// phone number as given (the phone scenarios, phones.go).
	PersonWithPhone func(first, last, phone string) map[string]any
	// UniquePersonPhone is true for a CRM that refuses a second person
	// with a number (Kustomer matches contacts to one customer by phone).
	UniquePersonPhone bool
	// CustomQuery is a portable-filter search that finds Jane (and not John).
	CustomQuery crm.Query
	// Create is a standard create that must succeed; UpdateFields change it.
	CreateEntity string
	CreateFields map[string]any
	// UpdateField and UpdateValue are set by Update and read back by Get.
	UpdateField string
	UpdateValue string
	// Memorialize is a create-mode memorialization write that must succeed.
	Memorialize crm.Memorialization
	// MissingID is a well-formed id of Person that does not exist.
	MissingID string
	// TokenAuth is true when the connector gets tokens from a token endpoint
	// and must refresh once on 401.
	TokenAuth bool
	// RateLimit and ServerError are the CRM's own answers for those failures.
	RateLimit     sandbox.Fault
	RateLimitWait time.Duration // the Retry-After the driver must report, 0 if the CRM sends none
	ServerError   sandbox.Fault

	// The fidelity scenarios (fidelity.go).

	// Driver is the driver under test, for its static checks.
	Driver crm.Driver
	// Spellings maps documented spellings of entities to their canonical form;
	// it must hold at least one other spelling of CreateEntity and of Person.
	Spellings map[string]string
	// BadEntities are names the driver must refuse (a Refusal naming "entity").
	BadEntities []string
	// BadID is an id of Person whose shape the driver refuses before any call
	// (a Refusal naming "id"); "" when the CRM takes any id string.
	BadID string
	// GoodMappings must pass Driver.CheckMapping; BadMappings must be refused
	// naming Field.
	GoodMappings []crm.MappingCheck
	BadMappings  []BadMapping
	// CRMRefusal is a create the CRM itself refuses (not the driver): 422
	// material, with the CRM's status and human message kept.
	CRMRefusal Create
	// NoAppURL, when set, makes a connector whose configuration leaves the
	// agent app's URL underivable: its records carry no URL and nothing fails.
	// nil when the CRM's record URLs always follow from baseUrl.
	NoAppURL func(t *testing.T, hc *http.Client) crm.Connector
	// DescribeFields are fields Describe(Person) must list (besides
	// PersonEmailField).
	DescribeFields []string
}

// Create is an entity and fields to create.
type Create struct {
	Entity string
	Fields map[string]any
}

// BadMapping is a mapping CheckMapping must refuse, and the field it names.
type BadMapping struct {
	Check crm.MappingCheck
	Field string
}

// Run runs every scenario against h.
func Run(t *testing.T, h Harness) {
	t.Helper()
	all := append(append(scenarios, fidelityScenarios...), phoneScenarios...)
	for i, sc := range all {
		t.Run(sc.name, func(t *testing.T) {
			if i >= len(scenarios) && len(h.Spellings) == 0 {
				t.Fatalf("%s: the harness lists no Spellings: every driver's fidelity scenarios run (fill Spellings, BadEntities, mappings, CRMRefusal, Inspector)", h.Type)
			}
			rec := &recorder{}
			hc := &http.Client{Transport: rec.wrap(http.DefaultTransport), Timeout: 10 * time.Second}
			c, sb := h.Make(t, hc)
			rec.recording = sc.golden
			sc.run(t, h, c, sb)
			if sc.golden {
				rec.check(t, h.Type, sc.name, *update)
			}
		})
	}
}

type scenario struct {
	name   string
	golden bool
	run    func(t *testing.T, h Harness, c crm.Connector, sb Sandbox)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func janeVariants(t *testing.T) []string {
	v, err := phone.Variants(JaneANI)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func findJane(t *testing.T, h Harness, recs []crm.Record) crm.Record {
	t.Helper()
	for _, r := range recs {
		if r.Entity == h.Person && strings.Contains(r.Display, JaneFirst) {
			return r
		}
	}
	t.Fatalf("Jane not among %d records: %+v", len(recs), recs)
	return crm.Record{}
}

func wantCode(t *testing.T, err error, code crm.Code) *crm.Error {
	t.Helper()
	e, ok := crm.AsError(err)
	if !ok {
		t.Fatalf("error %v is not a *crm.Error (want %s)", err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s, want %s (%v)", e.Code, code, err)
	}
	return e
}

var scenarios = []scenario{
	{"SearchByPhone", true, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: janeVariants(t), Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		jane := findJane(t, h, recs)
		if jane.ID == "" || jane.URL == "" {
			t.Fatalf("record lacks id or url: %+v", jane)
		}
		if len(recs) != 1 {
			t.Fatalf("got %d records, want only Jane: %+v", len(recs), recs)
		}
	}},
	{"SearchByPhoneOtherFormat", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		v, _ := phone.Variants(JohnPhone)
		recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: v, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || !strings.Contains(recs[0].Display, JohnFirst) {
			t.Fatalf("want John only, got %+v", recs)
		}
	}},
	{"SearchByPhoneNoMatch", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		v, _ := phone.Variants(UnknownANI)
		recs, err := c.SearchByPhone(ctx(t), crm.PhoneSearch{Variants: v, Limit: 10})
		if err != nil || len(recs) != 0 {
			t.Fatalf("want no match and no error, got %d, %v", len(recs), err)
		}
	}},
	{"SearchByEmail", true, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		findJane(t, h, recs)
		if len(recs) != 1 {
			t.Fatalf("got %d records, want 1", len(recs))
		}
	}},
	{"SearchByEmailInjection", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		for _, v := range []string{JaneEmail + "' OR '1'='1", `x" OR "1"="1`, `a@b.com^ORemail!=x`, `*`, `a\' OR Id != '`} {
			recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: v, Limit: 10})
			if err != nil && crm.CodeOf(err) != crm.InvalidArgument {
				t.Fatalf("%q: %v", v, err)
			}
			if len(recs) != 0 {
				t.Fatalf("%q matched %d records: value was not escaped", v, len(recs))
			}
		}
	}},
	{"CustomSearch", true, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		recs, err := c.Search(ctx(t), h.CustomQuery)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 0 {
			t.Fatal("custom search found nothing")
		}
		for _, r := range recs {
			if strings.Contains(r.Display, JohnFirst) {
				t.Fatalf("custom search matched John: %+v", r)
			}
		}
	}},
	{"CustomSearchInjection", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		q := h.CustomQuery
		for _, v := range []string{"x' OR 'a'='a", `x" OR "a"="a`, "x^ORactive=true", "x) or (1 eq 1", `\`, "%", "*"} {
			q.Filter = crm.Filter{Field: h.PersonEmailField, Op: crm.OpEq, Value: v}
			q.Entity = h.Person
			recs, err := c.Search(ctx(t), q)
			if err != nil {
				t.Fatalf("%q: %v", v, err)
			}
			if len(recs) != 0 {
				t.Fatalf("%q matched %d records: value was not escaped", v, len(recs))
			}
		}
	}},
	{"GetAndNotFound", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		recs, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		jane := findJane(t, h, recs)
		got, err := c.Get(ctx(t), crm.Ref{Entity: h.Person, ID: jane.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != jane.ID || !strings.Contains(got.Display, JaneFirst) {
			t.Fatalf("get: %+v", got)
		}
		_, err = c.Get(ctx(t), crm.Ref{Entity: h.Person, ID: h.MissingID}, nil)
		wantCode(t, err, crm.NotFound)
	}},
	{"CreateUpdate", true, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		rec, err := c.Create(ctx(t), h.CreateEntity, h.CreateFields)
		if err != nil {
			t.Fatal(err)
		}
		if rec.ID == "" || rec.URL == "" || rec.Entity != h.CreateEntity {
			t.Fatalf("created record: %+v", rec)
		}
		ref := crm.Ref{Entity: h.CreateEntity, ID: rec.ID}
		if err := c.Update(ctx(t), ref, map[string]any{h.UpdateField: h.UpdateValue}); err != nil {
			t.Fatal(err)
		}
		got, err := c.Get(ctx(t), ref, []string{h.UpdateField})
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := got.Fields[h.UpdateField].(string); v != h.UpdateValue {
			t.Fatalf("after update %s = %v, want %q", h.UpdateField, got.Fields[h.UpdateField], h.UpdateValue)
		}
		err = c.Update(ctx(t), crm.Ref{Entity: h.Person, ID: h.MissingID}, map[string]any{h.UpdateField: "x"})
		wantCode(t, err, crm.NotFound)
	}},
	{"RelatedOpen", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		if !c.Capabilities().RelatedOpen {
			t.Skip("CRM cannot list open cases")
		}
		recs, _ := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 1})
		jane := findJane(t, h, recs)
		open, err := c.RelatedOpen(ctx(t), crm.Ref{Entity: h.Person, ID: jane.ID}, 5)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range open {
			found = found || strings.Contains(r.Display, JaneCase)
		}
		if !found {
			t.Fatalf("Jane's open case %q not among %+v", JaneCase, open)
		}
	}},
	{"ActivityAndFindWrite", true, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		recs, _ := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 1})
		jane := findJane(t, h, recs)
		start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
		a := crm.Activity{Key: "job-0001", Subject: "Inbound call", Description: "Asked about the printer",
			Direction: "inbound", MediaType: "voice", Phone: JaneANI, Start: start, End: start.Add(125 * time.Second),
			Duration: 125 * time.Second, Disposition: "Resolved", AgentName: "Agent Smith", ContactID: "5001234",
			Links: []crm.Ref{{Entity: h.Person, ID: jane.ID}}}
		res, err := c.AddActivity(ctx(t), a)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Records) == 0 || res.Records[0].ID == "" {
			t.Fatalf("activity wrote no record: %+v", res)
		}
		if !c.Capabilities().FindWriteByKey {
			return
		}
		// Without the write's links (nil: unknown), then with them, as the
		// job consumer asks.
		for _, links := range [][]crm.Ref{nil, a.Links} {
			got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: a.Key, Links: links})
			if err != nil || !found {
				t.Fatalf("FindWrite after write (links %v): found=%v err=%v", links, found, err)
			}
			if got.Records[0] != res.Records[0] {
				t.Fatalf("FindWrite (links %v) = %+v, want %+v", links, got.Records, res.Records)
			}
		}
		if _, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteActivity, Key: "job-never-written"}); err != nil || found {
			t.Fatalf("FindWrite of unknown key: found=%v err=%v", found, err)
		}
	}},
	{"Memorialize", true, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		recs, _ := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 1})
		jane := findJane(t, h, recs)
		m := h.Memorialize
		m.Key = "job-0002"
		m.Links = []crm.Ref{{Entity: h.Person, ID: jane.ID}}
		res, err := c.WriteRecord(ctx(t), m)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Records) == 0 {
			t.Fatalf("memorialization wrote no record")
		}
		if c.Capabilities().FindWriteByKey {
			for _, links := range [][]crm.Ref{nil, m.Links} {
				got, found, err := c.FindWrite(ctx(t), crm.WriteLookup{Kind: crm.WriteMemorialization, Entity: m.Entity, Key: m.Key, Links: links})
				if err != nil || !found || got.Records[0] != res.Records[0] {
					t.Fatalf("FindWrite (links %v): %+v found=%v err=%v", links, got, found, err)
				}
			}
		}
	}},
	{"RateLimit", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		f := h.RateLimit
		f.Times = 1
		sb.Inject(f)
		_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 1})
		e := wantCode(t, err, crm.ResourceExhausted)
		if !e.Retryable {
			t.Fatal("rate limit not retryable")
		}
		if e.RetryAfter != h.RateLimitWait {
			t.Fatalf("RetryAfter = %v, want %v", e.RetryAfter, h.RateLimitWait)
		}
	}},
	{"ServerError", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		f := h.ServerError
		f.Times = 1
		sb.Inject(f)
		_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 1})
		e := wantCode(t, err, crm.Unavailable)
		if !e.Retryable {
			t.Fatal("5xx not retryable")
		}
	}},
	{"Deadline", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		sb.Inject(sandbox.Fault{Delay: 2 * time.Second})
		cx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := c.SearchByEmail(cx, crm.EmailSearch{Email: JaneEmail, Limit: 1})
		wantCode(t, err, crm.DeadlineExceeded)
	}},
	{"TokenRefreshOnce", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		if !h.TokenAuth {
			t.Skip("no token endpoint")
		}
		if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 1}); err != nil {
			t.Fatal(err)
		}
		before := sb.TokenRequests()
		sb.ExpireTokens()
		if _, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 1}); err != nil {
			t.Fatalf("after token expiry: %v", err)
		}
		if got := sb.TokenRequests() - before; got != 1 {
			t.Fatalf("token requests after expiry = %d, want 1", got)
		}
	}},
	{"ConcurrentOneToken", false, func(t *testing.T, h Harness, c crm.Connector, sb Sandbox) {
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := c.SearchByEmail(ctx(t), crm.EmailSearch{Email: JaneEmail, Limit: 1})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if h.TokenAuth && sb.TokenRequests() != 1 {
			t.Fatalf("token requests = %d for 20 concurrent searches, want 1", sb.TokenRequests())
		}
	}},
}
