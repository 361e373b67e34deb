package salesforce

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"github.com/crmflow/crmflow/shared/phone"
)

// defaultSearchLimit is SOSL's cap on results.
const defaultSearchLimit = 2000

// handleSearch serves GET /services/data/{v}/search/?q=SOSL.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request, version string) {
	s.serveStatement(w, r, badRequest("MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces."), func(src string) (any, error) {
		q, err := ParseSOSL(src)
		if err != nil {
			return nil, err
		}
		recs, apiErr := s.search(q, version)
		if apiErr != nil {
			return nil, apiErr
		}
		resp := newObject()
		resp.set("searchRecords", recs)
		return resp, nil
	})
}

// search runs a parsed SOSL statement; the caller holds s.mu.
func (s *Server) search(q *Search, version string) ([]*object, *apiError) {
	specs := q.Returning
	if len(specs) == 0 {
		for _, name := range []string{"Account", "Contact", "Lead", "Case", "Opportunity", "WorkOrder"} {
			specs = append(specs, Returning{Entity: name, Query: &Query{Entity: name, Limit: -1, Fields: []string{"Id"}}})
		}
	}
	limit := q.Limit
	if limit < 0 || limit > defaultSearchLimit {
		limit = defaultSearchLimit
	}
	out := []*object{}
	for _, spec := range specs {
		e, ok := s.entityByName(spec.Entity)
		if !ok {
			return nil, badRequest("INVALID_TYPE", "sObject type '%s' is not supported.", spec.Entity)
		}
		scope := searchScope(e, q.In)
		// SOSL finds ids in the search index, then reads the records from
		// the database (Large Data Volumes guide, "Search Architecture"):
		// the terms match the indexed version, fields and WHERE the
		// current record, and a record not yet indexed is not found.
		match := func(rec map[string]any) bool {
			id, _ := rec["Id"].(string)
			indexed, ok := s.index.Searchable(id, rec)
			return ok && termsMatch(q.Find, indexed, scope)
		}
		recs, paths, err := s.selectRecords(e, spec.Query, match)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			if len(out) == limit {
				return out, nil
			}
			out = append(out, s.project(e, rec, paths, version))
		}
	}
	return out, nil
}

// scope is the fields a search group looks in: phone fields compare by digits.
type scope struct {
	text   []string
	phones []string
}

func searchScope(e *entity, group string) scope {
	var sc scope
	for _, name := range slices.Sorted(maps.Keys(e.fields)) {
		f := e.fields[name]
		switch {
		case f.typ == tPhone && (group == "PHONE" || group == "ALL"):
			sc.phones = append(sc.phones, name)
		case f.typ == tEmail && (group == "EMAIL" || group == "ALL"):
			sc.text = append(sc.text, name)
		case group == "ALL" && f.typ.stringLike() && f.typ != tID && f.typ != tRef:
			sc.text = append(sc.text, name)
		}
	}
	if group == "NAME" || group == "SIDEBAR" {
		sc.text = e.nameFields
	}
	return sc
}

func termsMatch(x SearchExpr, rec map[string]any, sc scope) bool {
	switch x := x.(type) {
	case *SearchAnd:
		for _, t := range x.Terms {
			if !termsMatch(t, rec, sc) {
				return false
			}
		}
		return true
	case *SearchOr:
		for _, t := range x.Terms {
			if termsMatch(t, rec, sc) {
				return true
			}
		}
		return false
	case *SearchNot:
		return !termsMatch(x.X, rec, sc)
	case *SearchTerm:
		for _, f := range sc.phones {
			if v, ok := rec[f].(string); ok && phoneMatch(x, v) {
				return true
			}
		}
		words := termWords(x)
		for _, f := range append(sc.text, sc.phones...) {
			if v, ok := rec[f].(string); ok && containsWords(tokenize(v), words) {
				return true
			}
		}
	}
	return false
}

// phoneMatch compares a term with a phone field the way SOSL normalizes
// phone numbers: digits only, with or without the leading country code 1.
func phoneMatch(t *SearchTerm, stored string) bool {
	if len(t.Wild) > 0 || strings.ContainsFunc(t.Text, func(r rune) bool { return !strings.ContainsRune("0123456789 +-().", r) }) {
		return false
	}
	a, b := nationalDigits(t.Text), nationalDigits(stored)
	return len(a) >= 7 && a == b
}

func nationalDigits(s string) string {
	d := phone.Digits(s)
	if len(d) == 11 && d[0] == '1' {
		return d[1:]
	}
	return d
}

// Wildcards are carried through tokenizing as private-use runes.
const (
	wildMany = '\uE000'
	wildOne  = '\uE001'
)

// termWords splits a term into lower-case words, keeping its wildcards.
func termWords(t *SearchTerm) []string {
	wild := map[int]bool{}
	for _, w := range t.Wild {
		wild[w] = true
	}
	var b strings.Builder
	for i, r := range t.Text {
		switch {
		case wild[i] && r == '*':
			b.WriteRune(wildMany)
		case wild[i] && r == '?':
			b.WriteRune(wildOne)
		default:
			b.WriteRune(r)
		}
	}
	return tokenize(b.String())
}

// tokenize splits text into lower-case words at anything but letters and digits.
func tokenize(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != wildMany && r != wildOne
	})
}

// containsWords reports whether want occurs as consecutive words of have.
func containsWords(have, want []string) bool {
	if len(want) == 0 {
		return false
	}
	for i := 0; i+len(want) <= len(have); i++ {
		ok := true
		for j, w := range want {
			if !globMatch([]rune(w), []rune(have[i+j])) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// globMatch matches a word against a pattern with * and ? wildcards, in
// linear time (backtracking only to the last *).
func globMatch(p, s []rune) bool {
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == wildOne || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == wildMany:
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == wildMany {
		pi++
	}
	return pi == len(p)
}
