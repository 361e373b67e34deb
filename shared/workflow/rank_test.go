package workflow

import (
	"context"
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/phone/libphone"
	"github.com/crmflow/crmflow/shared/store"
)

func at(h int) time.Time { return time.Date(2026, 12, 1, h, 0, 0, 0, time.UTC) }

// setConfig changes the fixture's configuration (a new version, so the
// connection cache takes it).
func (f fixture) setConfig(t *testing.T, change func(*store.Configuration)) {
	t.Helper()
	ctx := context.Background()
	c, err := f.st.GetConfiguration(ctx, "t1", "c1")
	if err != nil {
		t.Fatal(err)
	}
	change(&c)
	if err := f.st.PutConfiguration(ctx, &c); err != nil {
		t.Fatal(err)
	}
}

func (f fixture) search(t *testing.T, number string) Result {
	t.Helper()
	res, err := f.svc.Search(context.Background(), "t1", req("search_phone", map[string]any{"phoneNumber": number}))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func resultIDs(res Result) []string {
	var out []string
	for _, r := range res.Records {
		out = append(out, r.ID)
	}
	return out
}

// TestSharedNumberRanked: a household's number on a contact, a lead and an
// account answers all three, ranked exact E.164 over national, then by the
// configuration's entity order, then the most recently updated; each
// explained by its field; none named best (the default pops only an
// unambiguous match), and nothing pops.
func TestSharedNumberRanked(t *testing.T) {
	f := newFixture(t,
		crm.Record{Entity: "Contact", ID: "c1", Display: "Jane Doe", Updated: at(1), Fields: map[string]any{"Name": "Jane Doe", "MobilePhone": "+1 415 555 0100"}},
		crm.Record{Entity: "Lead", ID: "l1", Display: "John Doe", Updated: at(3), Fields: map[string]any{"Name": "John Doe", "Phone": "(415) 555-0100"}},
		crm.Record{Entity: "Account", ID: "a1", Display: "Doe household", Updated: at(2), Fields: map[string]any{"Name": "Doe household", "Phone": "+14155550100"}},
	)
	res := f.search(t, "+14155550100")
	if got := resultIDs(res); len(got) != 3 || got[0] != "a1" || got[1] != "c1" || got[2] != "l1" {
		t.Fatalf("order %v, want a1 c1 (exact, newest first) then l1 (national)", got)
	}
	if m := res.Records[1].Match; m == nil || *m != (store.Match{Field: "MobilePhone", Kind: store.MatchExact, Score: 1}) {
		t.Errorf("contact's match %+v", m)
	}
	if m := res.Records[2].Match; m == nil || *m != (store.Match{Field: "Phone", Kind: store.MatchNational, Score: 0.9}) {
		t.Errorf("lead's match %+v", m)
	}
	if res.MatchCount != 3 || res.BestMatch != nil || res.ScreenPopURL != "" {
		t.Errorf("shared number: matchCount %d, bestMatch %+v, pop %q", res.MatchCount, res.BestMatch, res.ScreenPopURL)
	}

	f.setConfig(t, func(c *store.Configuration) { c.EntityOrder = []string{"Contact", "Lead", "Account"}; c.Version++ })
	if got := resultIDs(f.search(t, "+14155550100")); got[0] != "c1" || got[1] != "a1" || got[2] != "l1" {
		t.Errorf("with entityOrder Contact, Lead, Account: %v, want c1 a1 l1 (score first)", got)
	}
	// Two exact matches tie whatever the margin: still no best match.
	margin := 0.1
	f.setConfig(t, func(c *store.Configuration) { c.BestMatchMargin = &margin; c.Version++ })
	if res := f.search(t, "+14155550100"); res.BestMatch != nil {
		t.Errorf("a tie named best: %+v", res.BestMatch)
	}
}

// TestBestMatchMargin: the top match is named best when its score beats the
// next one's by the configuration's margin, not otherwise.
func TestBestMatchMargin(t *testing.T) {
	f := newFixture(t,
		crm.Record{Entity: "Contact", ID: "c1", Display: "Jane Doe", Fields: map[string]any{"Phone": "+14155550100"}},
		crm.Record{Entity: "Lead", ID: "l1", Display: "John Doe", Fields: map[string]any{"Phone": "415-555-0100"}},
	)
	for _, c := range []struct {
		margin *float64
		best   bool
	}{{nil, false}, {ptr(0.1), true}, {ptr(0.2), false}} {
		f.setConfig(t, func(cfg *store.Configuration) { cfg.BestMatchMargin = c.margin; cfg.Version++ })
		res := f.search(t, "+14155550100")
		if got := res.BestMatch != nil; got != c.best || (got && (res.BestMatch.ID != "c1" || res.BestMatch.Score != 1)) {
			t.Errorf("margin %v: bestMatch %+v, want best=%v (c1)", c.margin, res.BestMatch, c.best)
		}
		if res.ScreenPopURL != "" {
			t.Errorf("margin %v: two matches popped %q", c.margin, res.ScreenPopURL)
		}
	}
	// One match is the best one.
	g := newFixture(t, crm.Record{Entity: "Contact", ID: "c1", Display: "Jane Doe", Fields: map[string]any{"Phone": "+14155550100"}})
	if res := g.search(t, "+14155550100"); res.BestMatch == nil || res.BestMatch.ID != "c1" {
		t.Errorf("single match: %+v", res)
	}
}

func ptr(f float64) *float64 { return &f }

// TestNationalNumbers: a UK and a Japanese caller typed in national format
// find records stored in E.164 and the other way round, in the
// configuration's defaultRegion, each match saying how.
func TestNationalNumbers(t *testing.T) {
	for _, c := range []struct {
		region, stored, searched, kind string
	}{
		{"GB", "+44 20 7946 0958", "020 7946 0958", store.MatchExact},
		{"GB", "020 7946 0958", "+442079460958", store.MatchNational},
		{"JP", "+81 3-1234-5678", "03-1234-5678", store.MatchExact},
		{"JP", "03-1234-5678", "+81312345678", store.MatchNational},
	} {
		f := newFixture(t, crm.Record{Entity: "Contact", ID: "c1", Display: "Caller", Fields: map[string]any{"Phone": c.stored}})
		f.svc.UsePhones(libphone.Parse)
		f.setConfig(t, func(cfg *store.Configuration) { cfg.DefaultRegion = c.region; cfg.Version++ })
		res := f.search(t, c.searched)
		if res.MatchCount != 1 {
			t.Errorf("%s: %q searched as %q: %d matches", c.region, c.stored, c.searched, res.MatchCount)
			continue
		}
		if m := res.Records[0].Match; m == nil || m.Kind != c.kind || m.Field != "Phone" {
			t.Errorf("%s: %q searched as %q: match %+v, want %s", c.region, c.stored, c.searched, m, c.kind)
		}
	}
}

// TestMatchUnseenField: a record the CRM matched on a field it did not
// return is the search's kind at unseenScore; a custom search's records all
// match its filter.
func TestMatchUnseenField(t *testing.T) {
	// The CRM matched on a field it did not return: kind of the search, score 0.5.
	rec := crm.Record{Entity: "Contact", ID: "c1", Fields: map[string]any{"Name": "Jane"}}
	run := searchRun{own: phoneMatcher(libphoneNumber(t, "+14155550100")), unseenKind: store.MatchDigits}
	if m := run.explain(rec); m.Field != "" || m.Kind != store.MatchDigits || m.Score != unseenScore {
		t.Errorf("unseen field: %+v", m)
	}
	if m := (searchRun{}).explain(rec); m.Kind != store.MatchFilter || m.Score != 1 {
		t.Errorf("custom search: %+v", m)
	}
}

func libphoneNumber(t *testing.T, raw string) phone.Number {
	t.Helper()
	n, err := libphone.Parse(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	return n
}
