package hubspot

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// handleSearch is POST /crm/v3/objects/{objectType}/search: the matching
// records in creation order (or by the one sort), one page of them, with
// paging.next.after while more follow. It reads the search index
// (Options.IndexLag): a record created or changed less than the lag ago
// is found as it was before, or not at all.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request, t *objectType) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err != nil {
		s.writeAPIError(w, validation("Invalid input JSON: %v", err))
		return
	}
	req, perr := parseSearch(body)
	if perr != nil {
		s.writeAPIError(w, perr)
		return
	}
	s.mu.Lock()
	if perr := s.checkSearchNames(t, req); perr != nil {
		s.mu.Unlock()
		s.writeAPIError(w, perr)
		return
	}
	var hits []*object
	for _, id := range s.order[t.id] {
		// The index's version: none for a record not indexed yet, the
		// one before a change still within the lag.
		if o, indexed := s.searchable(t, s.objects[t.id][id]); indexed && s.matchesRequest(t, o, req) {
			hits = append(hits, o)
		}
	}
	if len(req.Sorts) == 1 {
		sortHits(t, hits, req.Sorts[0])
	}
	limit := min(req.Limit, s.pageSize(maxSearchPage))
	results := []map[string]any{}
	for i := req.After; i < len(hits) && i < req.After+limit; i++ {
		results = append(results, view(t, hits[i], req.Properties, t.created, t.modified, "hs_object_id"))
	}
	s.mu.Unlock()
	out := map[string]any{"total": len(hits), "results": results}
	if next := req.After + limit; limit > 0 && next < len(hits) && next < maxSearchTotal {
		after := strconv.Itoa(next)
		out["paging"] = map[string]any{"next": map[string]any{"after": after, "link": "?after=" + after}}
	}
	writeJSON(w, http.StatusOK, out)
}

// checkSearchNames refuses filters and sorts on properties the object does
// not have; associations.{objectType} is HubSpot's pseudo-property for
// "associated with the record whose id is the value".
func (s *Server) checkSearchNames(t *objectType, req *SearchRequest) *apiError {
	for i, g := range req.FilterGroups {
		for j, f := range g.Filters {
			if target, ok := strings.CutPrefix(f.PropertyName, "associations."); ok {
				if _, known := s.types.lookup(target); !known || (f.Operator != "EQ" && f.Operator != "IN") {
					return validation("filterGroups[%d].filters[%d]: %s with %s is not a supported association filter", i, j, f.PropertyName, f.Operator)
				}
				continue
			}
			if _, ok := t.props[f.PropertyName]; !ok {
				return validation("filterGroups[%d].filters[%d]: Property %q does not exist on %s", i, j, f.PropertyName, t.name)
			}
		}
	}
	for _, so := range req.Sorts {
		if _, ok := t.props[so.PropertyName]; !ok {
			return validation("sorts: Property %q does not exist on %s", so.PropertyName, t.name)
		}
	}
	return nil
}

// matchesRequest: any group whose filters all match, and the query; the
// caller holds s.mu.
func (s *Server) matchesRequest(t *objectType, o *object, req *SearchRequest) bool {
	if req.Query != "" && !matchesQuery(t, o, req.Query) {
		return false
	}
	if len(req.FilterGroups) == 0 {
		return true
	}
	for _, g := range req.FilterGroups {
		all := true
		for _, f := range g.Filters {
			if !s.matches(t, o, f) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// matchesQuery looks for the query text in the default searchable properties.
func matchesQuery(t *objectType, o *object, q string) bool {
	q = strings.ToLower(q)
	for _, p := range t.searchable {
		if strings.Contains(strings.ToLower(o.props[p]), q) {
			return true
		}
	}
	return false
}

// matches applies one filter to a record; the caller holds s.mu.
func (s *Server) matches(t *objectType, o *object, f Filter) bool {
	if target, ok := strings.CutPrefix(f.PropertyName, "associations."); ok {
		tt, _ := s.types.lookup(target)
		ids := f.Values
		if f.Operator == "EQ" {
			ids = []string{f.Value}
		}
		for _, id := range ids {
			if _, linked := s.assoc[objKey{t.id, o.id}][objKey{tt.id, id}]; linked {
				return true
			}
		}
		return false
	}
	def := t.props[f.PropertyName]
	v, has := o.props[f.PropertyName]
	switch f.Operator {
	case "HAS_PROPERTY":
		return has
	case "NOT_HAS_PROPERTY":
		return !has
	case "EQ":
		return has && equal(def, v, f.Value)
	case "NEQ":
		return !has || !equal(def, v, f.Value)
	case "IN":
		return has && inList(def, v, f.Values)
	case "NOT_IN":
		return !has || !inList(def, v, f.Values)
	case "CONTAINS_TOKEN":
		return has && containsTokens(v, f.Value)
	case "NOT_CONTAINS_TOKEN":
		return !has || !containsTokens(v, f.Value)
	case "BETWEEN":
		lo, ok1 := compare(def, v, f.Value)
		hi, ok2 := compare(def, v, f.HighValue)
		return has && ok1 && ok2 && lo >= 0 && hi <= 0
	}
	c, ok := compare(def, v, f.Value)
	if !has || !ok {
		return false
	}
	switch f.Operator {
	case "LT":
		return c < 0
	case "LTE":
		return c <= 0
	case "GT":
		return c > 0
	case "GTE":
		return c >= 0
	}
	return false
}

// equal: text ignores case, enumerations do not, numbers and date-times
// compare by value.
func equal(def propDef, stored, operand string) bool {
	switch def.kind {
	case kindText:
		return strings.EqualFold(stored, operand)
	case kindEnum:
		return stored == operand
	}
	c, ok := compare(def, stored, operand)
	return ok && c == 0
}

// inList matches exactly; for text HubSpot compares with the stored value
// in lowercase, so values with capitals never match (its docs ask for
// lowercase values).
func inList(def propDef, stored string, values []string) bool {
	for _, v := range values {
		switch def.kind {
		case kindText:
			if strings.ToLower(stored) == v {
				return true
			}
		case kindEnum:
			if stored == v {
				return true
			}
		default:
			if c, ok := compare(def, stored, v); ok && c == 0 {
				return true
			}
		}
	}
	return false
}

// compare orders a stored value against an operand by the property's kind;
// ok is false when the operand is not of that kind.
func compare(def propDef, stored, operand string) (int, bool) {
	switch def.kind {
	case kindNumber:
		a, err1 := strconv.ParseFloat(stored, 64)
		b, err2 := strconv.ParseFloat(operand, 64)
		if err1 != nil || err2 != nil {
			return 0, false
		}
		return cmpFloat(a, b), true
	case kindDateTime:
		a, ok1 := parseStamp(stored)
		b, ok2 := parseStamp(operand)
		if !ok1 || !ok2 {
			return 0, false
		}
		return a.Compare(b), true
	case kindText:
		return strings.Compare(strings.ToLower(stored), strings.ToLower(operand)), true
	}
	return strings.Compare(stored, operand), true
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// containsTokens: every token of the query matches some token of the value,
// case-insensitively, with * standing for any run of characters. Values
// split on white space; punctuation at a token's ends is dropped, so an
// email address or a phone number stays one token.
func containsTokens(stored, query string) bool {
	qt := tokens(query)
	if len(qt) == 0 {
		return false
	}
	st := tokens(stored)
	for _, q := range qt {
		if !slices.ContainsFunc(st, func(tok string) bool { return glob(q, tok) }) {
			return false
		}
	}
	return true
}

func tokens(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace) {
		if f = strings.TrimFunc(f, func(r rune) bool { return strings.ContainsRune(`.,;:!?()[]{}"'`, r) }); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// glob matches s against a pattern where * is any run of characters.
func glob(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

func sortHits(t *objectType, hits []*object, so Sort) {
	def := t.props[so.PropertyName]
	slices.SortStableFunc(hits, func(a, b *object) int {
		va, okA := a.props[so.PropertyName]
		vb, okB := b.props[so.PropertyName]
		switch {
		case !okA && !okB:
			return 0
		case !okA:
			return 1 // records without the property come last either way
		case !okB:
			return -1
		}
		c, _ := compare(def, va, vb)
		if so.Descending {
			c = -c
		}
		return c
	})
}

// pageSize is the page cap: Options.PageSize when set below HubSpot's.
func (s *Server) pageSize(hubspotMax int) int {
	if s.opts.PageSize > 0 && s.opts.PageSize < hubspotMax {
		return s.opts.PageSize
	}
	return hubspotMax
}

// pageParams reads ?limit and ?after of a list endpoint.
func pageParams(limitText, afterText string, def, max int) (int, int, *apiError) {
	limit, after := def, 0
	if limitText != "" {
		n, err := strconv.Atoi(limitText)
		if err != nil || n < 1 || n > max {
			return 0, 0, validation("limit: must be an integer between 1 and %d", max)
		}
		limit = n
	}
	if afterText != "" {
		n, err := strconv.Atoi(afterText)
		if err != nil || n < 0 {
			return 0, 0, validation("after: %s is not a valid paging cursor", afterText)
		}
		after = n
	}
	return limit, after, nil
}
