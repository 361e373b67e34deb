package kustomer

import (
	"cmp"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// handleSearch is POST /v1/customers/search?page=&pageSize=: customers (or
// conversations, by queryContext) matching every "and" criterion and, when
// "or" has any, at least one of those, over the search index (new and
// changed records only after Options.IndexLag).
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	pg, err := s.paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	if pg.page > maxSearchPage || pg.page*pg.size > maxSearchHits {
		writeError(w, badParam("page", "search cannot page past page %d or %d records", maxSearchPage, maxSearchHits))
		return
	}
	body, rerr := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if rerr != nil {
		writeError(w, badRequest("", "request body too large"))
		return
	}
	req, err := parseSearch(body)
	if err != nil {
		writeError(w, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var hits []*record
	for _, cur := range s.all(req.QueryContext) {
		// The index's version: none for a record not indexed yet, the old
		// values of one changed within the lag.
		rec, indexed := s.searchable(cur)
		if indexed && s.matchAll(rec, req.And) && (len(req.Or) == 0 || s.matchAny(rec, req.Or)) {
			hits = append(hits, rec)
		}
	}
	for i := len(req.Sort) - 1; i >= 0; i-- {
		srt := req.Sort[i]
		slices.SortStableFunc(hits, func(a, b *record) int {
			c := cmp.Compare(sortKey(a, srt.Attribute), sortKey(b, srt.Attribute))
			if srt.Descending {
				return -c
			}
			return c
		})
	}
	writeJSON(w, http.StatusOK, s.pageOf(hits, pg, "/v1/customers/search"))
}

func sortKey(r *record, attr string) string {
	switch {
	case strings.HasSuffix(attr, "_created_at"):
		return r.created.Format(stampLayout)
	case strings.HasSuffix(attr, "_updated_at"), strings.HasSuffix(attr, "_modified_at"):
		return r.updated.Format(stampLayout)
	}
	vals := attrValues(r, attr)
	if len(vals) == 0 {
		return ""
	}
	return strings.ToLower(vals[0])
}

func (s *Server) matchAll(r *record, list []Criterion) bool {
	for _, c := range list {
		if !s.match(r, c) {
			return false
		}
	}
	return true
}

func (s *Server) matchAny(r *record, list []Criterion) bool {
	for _, c := range list {
		if s.match(r, c) {
			return true
		}
	}
	return false
}

// match evaluates one criterion; a conversation attribute in a customer
// search matches when any of the customer's conversations matches.
func (s *Server) match(r *record, c Criterion) bool {
	switch {
	case c.And != nil:
		return s.matchAll(r, c.And)
	case c.Or != nil:
		return s.matchAny(r, c.Or)
	}
	if r.typ == typeCustomer && strings.HasPrefix(c.Attribute, "conversation_") {
		for _, cur := range s.all(typeConversation) {
			conv, indexed := s.searchable(cur)
			if indexed && conv.customer == r.id && s.match(conv, c) {
				return true
			}
		}
		return false
	}
	typ, _ := attrTypeOf(c.Attribute, r.typ)
	vals := attrValues(r, c.Attribute)
	if c.Operator == "not_equals" {
		for _, v := range vals {
			if compare(typ, v, c.Value) == 0 {
				return false
			}
		}
		return true
	}
	for _, v := range vals {
		switch c.Operator {
		case "equals":
			if compare(typ, v, c.Value) == 0 {
				return true
			}
		case "contains":
			if want, _ := c.Value.(string); strings.Contains(strings.ToLower(v), strings.ToLower(want)) {
				return true
			}
		default:
			d, ok := ordered(typ, v, c.Value)
			if ok && ((c.Operator == "gt" && d > 0) || (c.Operator == "gte" && d >= 0) ||
				(c.Operator == "lt" && d < 0) || (c.Operator == "lte" && d <= 0)) {
				return true
			}
		}
	}
	return false
}

// compare says whether a stored value equals the criterion's: 0 when it does.
func compare(t attrType, stored string, want any) int {
	switch t {
	case atString:
		if strings.EqualFold(stored, fmt.Sprint(want)) {
			return 0
		}
	case atPhone:
		if samePhone(stored, fmt.Sprint(want)) {
			return 0
		}
	case atNumber, atDatetime:
		if d, ok := ordered(t, stored, want); ok && d == 0 {
			return 0
		}
	case atBoolean:
		if stored == fmt.Sprint(want) {
			return 0
		}
	default:
		if stored == fmt.Sprint(want) {
			return 0
		}
	}
	return 1
}

// ordered compares numbers as numbers and date-times as instants; a bare
// date compares as midnight UTC.
func ordered(t attrType, stored string, want any) (int, bool) {
	switch t {
	case atNumber:
		a, err := strconv.ParseFloat(stored, 64)
		b, ok := want.(float64)
		if err != nil || !ok {
			return 0, false
		}
		return cmp.Compare(a, b), true
	case atDatetime:
		a, ok1 := parseTime(stored)
		ws, _ := want.(string)
		b, ok2 := parseTime(ws)
		if !ok1 || !ok2 {
			return 0, false
		}
		return a.Compare(b), true
	}
	return 0, false
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// attrValues are a record's values for a search attribute, as text.
func attrValues(r *record, attr string) []string {
	one := func(v any) []string {
		if v == nil {
			return nil
		}
		return []string{fmt.Sprint(v)}
	}
	strs := func(v any) []string {
		list, _ := v.([]any)
		out := make([]string, 0, len(list))
		for _, e := range list {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	if m := customAttr.FindStringSubmatch(attr); m != nil {
		custom, _ := r.attrs["custom"].(map[string]any)
		return one(custom[m[2]])
	}
	_, field, _ := strings.Cut(attr, "_")
	switch field {
	case "name", "externalId", "locale", "status", "priority", "direction":
		return one(r.attrs[field])
	case "email":
		return valuesOf(r.attrs["emails"], "email")
	case "phone":
		return valuesOf(r.attrs["phones"], "phone")
	case "tags", "channels":
		return strs(r.attrs[field])
	case "customer_id":
		return one(r.customer)
	case "created_at":
		return []string{r.created.Format(stampLayout)}
	case "updated_at", "modified_at":
		return []string{r.updated.Format(stampLayout)}
	}
	return nil
}
