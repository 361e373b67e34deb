package workflow

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/store"
)

// Scores of the match kinds (store.Match.Score): an exact E.164 match over
// the national form over other digits; an email matches exactly or not.
var matchScores = map[string]float64{
	store.MatchExact:    1,
	store.MatchNational: 0.9,
	store.MatchDigits:   0.8,
	store.MatchEmail:    1,
	store.MatchFilter:   1,
}

// unseenScore is the score of a record the CRM matched on a field it did
// not return (a phone field outside the display fields, a CRM-side
// normalized copy): the CRM vouches for it, we cannot say how well.
const unseenScore = 0.5

// namedValue is one field of a record as a matcher reads it.
type namedValue struct {
	name  string
	value any
}

// crmFields are r's fields in name order (the order ties break in).
func crmFields(r crm.Record) []namedValue {
	out := make([]namedValue, 0, len(r.Fields))
	for k, v := range r.Fields {
		out = append(out, namedValue{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func cardFields(r store.CardRecord) []namedValue {
	out := make([]namedValue, len(r.Fields))
	for i, f := range r.Fields {
		out[i] = namedValue{f.Name, f.Value}
	}
	return out
}

// recordMatcher explains how a record's fields match what a search looked
// for: its best-scoring field. ok is false when no field holds the value.
type recordMatcher func([]namedValue) (m store.Match, ok bool)

// phoneMatcher matches a field holding n in any form (phone.MatchKind).
func phoneMatcher(n phone.Number) recordMatcher {
	return func(fs []namedValue) (store.Match, bool) {
		var best store.Match
		for _, f := range fs {
			s, ok := f.value.(string)
			if !ok {
				continue
			}
			if kind, ok := phone.MatchKind(n, s); ok && matchScores[kind] > best.Score {
				best = store.Match{Field: f.name, Kind: kind, Score: matchScores[kind]}
			}
		}
		return best, best.Score > 0
	}
}

// emailMatcher matches a field holding email, case and spaces aside.
func emailMatcher(email string) recordMatcher {
	return func(fs []namedValue) (store.Match, bool) {
		for _, f := range fs {
			if s, ok := f.value.(string); ok && strings.EqualFold(strings.TrimSpace(s), email) {
				return store.Match{Field: f.name, Kind: store.MatchEmail, Score: matchScores[store.MatchEmail]}, true
			}
		}
		return store.Match{}, false
	}
}

// explain is the match of a record the CRM answered: its matching field
// when it returned one, else the search's kind at unseenScore; a custom
// search's records all match its filter.
func (r searchRun) explain(rec crm.Record) *store.Match {
	if r.own == nil {
		return &store.Match{Kind: store.MatchFilter, Score: matchScores[store.MatchFilter]}
	}
	if m, ok := r.own(crmFields(rec)); ok {
		return &m
	}
	return &store.Match{Kind: r.unseenKind, Score: unseenScore}
}

// rank orders a search's results: by score, then by entity (the
// configuration's entityOrder, then the mapping's entities, then the rest
// in the CRM's order), then the most recently updated first. Equal records
// keep the CRM's order.
func rank(recs []store.CardRecord, order []string) {
	pos := func(entity string) int {
		for i, e := range order {
			if strings.EqualFold(e, entity) {
				return i
			}
		}
		return len(order)
	}
	slices.SortStableFunc(recs, func(a, b store.CardRecord) int {
		if c := cmp.Compare(score(b), score(a)); c != 0 {
			return c
		}
		if c := cmp.Compare(pos(a.Entity), pos(b.Entity)); c != 0 {
			return c
		}
		return updated(b).Compare(updated(a))
	})
}

func score(r store.CardRecord) float64 {
	if r.Match == nil {
		return 0
	}
	return r.Match.Score
}

func updated(r store.CardRecord) time.Time {
	if r.Updated == nil {
		return time.Time{}
	}
	return *r.Updated
}

// entityOrder is the ranking's entity order: the configuration's, then
// the dynamic data mapping's entities it does not name.
func entityOrder(cfg store.Configuration, m store.DynamicDataMapping) []string {
	out := slices.Clone(cfg.EntityOrder)
	for _, e := range m.Entities {
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, e.Entity) }) {
			out = append(out, e.Entity)
		}
	}
	return out
}

// BestMatch names the one record a search is sure of: the only match, or
// the top one when its score beats the next by the configuration's
// bestMatchMargin.
type BestMatch struct {
	Entity string  `json:"entity"`
	ID     string  `json:"id"`
	URL    string  `json:"url,omitempty"`
	Score  float64 `json:"score"`
}

// bestOf is the ranked results' best match, nil when they are ambiguous
// (or empty).
func bestOf(recs []store.CardRecord, margin *float64) *BestMatch {
	if len(recs) == 0 {
		return nil
	}
	top := recs[0]
	// The tolerance keeps a margin of 0.1 between scores 1 and 0.9, whose
	// float difference is 0.09999999999999998.
	if len(recs) > 1 && (margin == nil || score(top)-score(recs[1]) < *margin-1e-9) {
		return nil
	}
	return &BestMatch{Entity: top.Entity, ID: top.ID, URL: top.URL, Score: score(top)}
}
