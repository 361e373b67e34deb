package zdsandbox

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// kind is a resource type, named as search's type: keyword and JSON roots name it.
type kind string

const (
	kindUser         kind = "user"
	kindTicket       kind = "ticket"
	kindOrganization kind = "organization"
)

var kinds = []kind{kindUser, kindTicket, kindOrganization}

func (k kind) plural() string { return string(k) + "s" }

// stampLayout is how Zendesk writes date-times: UTC, seconds.
const stampLayout = "2006-01-02T15:04:05Z"

// record is one stored resource; attrs hold its JSON attributes except id,
// url and the time stamps.
type record struct {
	id      int64
	attrs   map[string]any
	created time.Time
	updated time.Time
}

// defaults are the attributes every new record of a kind has.
func defaults(k kind) map[string]any {
	switch k {
	case kindUser:
		return map[string]any{"name": nil, "email": nil, "phone": nil, "role": "end-user", "external_id": nil,
			"organization_id": nil, "tags": []any{}, "user_fields": map[string]any{}, "notes": "", "details": "",
			"active": true, "verified": false, "shared_phone_number": nil, "time_zone": "Pacific Time (US & Canada)",
			"locale": "en-US"}
	case kindTicket:
		return map[string]any{"subject": nil, "raw_subject": nil, "description": nil, "status": "new", "priority": nil,
			"type": nil, "requester_id": nil, "submitter_id": nil, "assignee_id": nil, "organization_id": nil,
			"group_id": nil, "external_id": nil, "tags": []any{}, "custom_fields": []any{}, "due_at": nil,
			"via": map[string]any{"channel": "api", "source": map[string]any{"from": map[string]any{}, "to": map[string]any{}, "rel": nil}}}
	case kindOrganization:
		return map[string]any{"name": nil, "external_id": nil, "details": nil, "notes": nil, "domain_names": []any{},
			"tags": []any{}, "organization_fields": map[string]any{}, "group_id": nil, "shared_tickets": false}
	}
	return map[string]any{}
}

// insert stores a record with already validated attributes; the caller
// holds s.mu (or is New).
func (s *Server) insert(k kind, attrs map[string]any) *record {
	at := s.now()
	rec := &record{id: s.nextID[k], attrs: defaults(k), created: at, updated: at}
	s.nextID[k]++
	maps.Copy(rec.attrs, attrs)
	if s.records[k] == nil {
		s.records[k] = map[int64]*record{}
	}
	s.records[k][rec.id] = rec
	s.order[k] = append(s.order[k], rec.id)
	s.indexed(k, rec)
	return rec
}

// indexKey names a record in the search index.
func indexKey(k kind, id int64) string { return string(k) + "/" + strconv.FormatInt(id, 10) }

// indexed hands the search index the record as it now is (created or
// changed); the caller holds s.mu. Search sees it after the index's lag.
func (s *Server) indexed(k kind, rec *record) {
	s.index.Put(indexKey(k, rec.id), rec.snapshot())
}

// snapshot is the record as the search index keeps it: a deep copy.
func (rec *record) snapshot() map[string]any {
	return map[string]any{"attrs": clone(rec.attrs), "created": rec.created, "updated": rec.updated}
}

// searchable is the version of rec a search sees now (an older one while
// the index lags), ok false while the record is not indexed yet; the
// caller holds s.mu.
func (s *Server) searchable(k kind, rec *record) (*record, bool) {
	snap, ok := s.index.Searchable(indexKey(k, rec.id), rec.snapshot())
	if !ok {
		return nil, false
	}
	attrs, _ := snap["attrs"].(map[string]any)
	created, _ := snap["created"].(time.Time)
	updated, _ := snap["updated"].(time.Time)
	return &record{id: rec.id, attrs: attrs, created: created, updated: updated}, true
}

func (s *Server) find(k kind, id string) (*record, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, false
	}
	rec, ok := s.records[k][n]
	return rec, ok
}

// view is a record as the API answers it.
func (rec *record) view(k kind, origin string) map[string]any {
	v := map[string]any{}
	for key, val := range rec.attrs {
		v[key] = clone(val)
	}
	v["id"] = rec.id
	v["url"] = fmt.Sprintf("%s/api/v2/%s/%d.json", origin, k.plural(), rec.id)
	v["created_at"] = rec.created.Format(stampLayout)
	v["updated_at"] = rec.updated.Format(stampLayout)
	return v
}

// clone deep-copies JSON values so views never alias the store.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clone(e)
		}
		return out
	}
	return v
}

// Record returns a copy of a stored record as the API shows it (for tests
// and demos); kind is "user", "ticket" or "organization".
func (s *Server) Record(k string, id int64) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.records[kind(k)][id]
	if !ok {
		return nil, false
	}
	return rec.view(kind(k), "https://sandbox.zendesk.com"), true
}

// FindID returns the id of the first record of kind whose attribute has value.
func (s *Server) FindID(k, attr, value string) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.order[kind(k)] {
		if v, _ := s.records[kind(k)][id].attrs[attr].(string); v == value {
			return id, true
		}
	}
	return 0, false
}

// Records returns copies of every stored record of kind ("user", "ticket"
// or "organization") as the API shows it, oldest first: the store, never
// the search index (for tests that count what a CRM holds).
func (s *Server) Records(k string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, 0, len(s.order[kind(k)]))
	for _, id := range s.order[kind(k)] {
		out = append(out, s.records[kind(k)][id].view(kind(k), "https://sandbox.zendesk.com"))
	}
	return out
}

// Comments returns copies of a ticket's comments, oldest first.
func (s *Server) Comments(ticketID int64) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, 0, len(s.comments[ticketID]))
	for _, c := range s.comments[ticketID] {
		out = append(out, clone(c).(map[string]any))
	}
	return out
}

// tagList reads a tags attribute.
func tagList(v any) []string {
	var out []string
	if list, ok := v.([]any); ok {
		for _, t := range list {
			if s, ok := t.(string); ok && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
