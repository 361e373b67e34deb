package kustomer

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/phone"
)

// Resource types, as the "type" member of JSON:API answers names them.
const (
	typeCustomer     = "customer"
	typeCompany      = "company"
	typeConversation = "conversation"
	typeMessage      = "message"
	typeNote         = "note"
	typeKObject      = "kobject"
)

// stampLayout is how Kustomer writes date-times: UTC with milliseconds.
const stampLayout = "2006-01-02T15:04:05.000Z"

// record is one stored resource. Relationships are ids; attributes hold
// the JSON values as decoded (numbers as json.Number).
type record struct {
	typ          string
	klass        string // KObjects only
	id           string
	attrs        map[string]any
	customer     string
	conversation string
	company      string
	created      time.Time
	updated      time.Time
}

// newID hands out Kustomer-shaped ids (24 hex digits, like MongoDB
// ObjectIds) in creation order; the caller holds s.mu (or is New).
func (s *Server) newID() string {
	s.nextID++
	return fmt.Sprintf("5f3a1c2b%016x", 0x9d8e7f0012a4b000+s.nextID)
}

// insert stores a record; the caller holds s.mu.
func (s *Server) insert(r *record, at time.Time) *record {
	r.id = s.newID()
	r.created, r.updated = at, at
	if r.attrs == nil {
		r.attrs = map[string]any{}
	}
	s.records[r.id] = r
	s.order = append(s.order, r.id)
	s.indexed(r)
	return r
}

// indexed hands the search index the record as it now is (created or
// changed); the caller holds s.mu. Search sees it after the index's lag.
func (s *Server) indexed(r *record) { s.index.Put(r.id, r.snapshot()) }

// snapshot is the record as the search index keeps it: a copy whose
// attributes later writes cannot change (they replace nested values, never
// edit them).
func (r *record) snapshot() map[string]any {
	c := *r
	c.attrs = maps.Clone(r.attrs)
	return map[string]any{"record": &c}
}

// searchable is the version of r a search sees now (an older one while the
// index lags), ok false while r is not indexed yet; the caller holds s.mu.
func (s *Server) searchable(r *record) (*record, bool) {
	snap, ok := s.index.Searchable(r.id, r.snapshot())
	if !ok {
		return nil, false
	}
	v, ok := snap["record"].(*record)
	return v, ok
}

// find returns a stored record of a type (and Klass, for KObjects).
func (s *Server) find(typ, klass, id string) (*record, bool) {
	r, ok := s.records[id]
	if !ok || r.typ != typ || r.klass != klass {
		return nil, false
	}
	return r, true
}

// all lists the records of a type in creation order; the caller holds s.mu.
func (s *Server) all(typ string) []*record {
	var out []*record
	for _, id := range s.order {
		if r := s.records[id]; r.typ == typ {
			out = append(out, r)
		}
	}
	return out
}

func selfPath(r *record) string {
	switch r.typ {
	case typeCustomer:
		return "/v1/customers/" + r.id
	case typeCompany:
		return "/v1/companies/" + r.id
	case typeConversation:
		return "/v1/conversations/" + r.id
	case typeMessage:
		return "/v1/messages/" + r.id
	case typeNote:
		return "/v1/notes/" + r.id
	}
	return "/v1/klasses/" + r.klass + "/" + r.id
}

func relation(typ, id, self string) map[string]any {
	return map[string]any{"data": map[string]any{"type": typ, "id": id}, "links": map[string]any{"self": self}}
}

// view is a record as the API answers it.
func (s *Server) view(r *record) map[string]any {
	attrs := maps.Clone(r.attrs)
	attrs["createdAt"] = r.created.Format(stampLayout)
	attrs["updatedAt"] = r.updated.Format(stampLayout)
	attrs["modifiedAt"] = r.updated.Format(stampLayout)
	if r.typ == typeCustomer {
		attrs["displayName"] = customerDisplayName(r)
	}
	rel := map[string]any{"org": relation("org", s.orgID, "/v1/orgs/"+s.orgID)}
	if r.customer != "" {
		rel["customer"] = relation(typeCustomer, r.customer, "/v1/customers/"+r.customer)
	}
	if r.conversation != "" {
		rel["conversation"] = relation(typeConversation, r.conversation, "/v1/conversations/"+r.conversation)
	}
	if r.company != "" {
		rel["company"] = relation(typeCompany, r.company, "/v1/companies/"+r.company)
	}
	if r.typ == typeKObject {
		rel["klass"] = map[string]any{"data": map[string]any{"type": "klass", "id": r.klass}}
	}
	if r.typ == typeCustomer {
		rel["messages"] = map[string]any{"links": map[string]any{"self": "/v1/customers/" + r.id + "/messages"}}
	}
	typ := r.typ
	if r.typ == typeKObject {
		typ = "kobject." + r.klass // Kustomer's type of a KObject: kobject.order
	}
	return map[string]any{"type": typ, "id": r.id, "attributes": attrs, "relationships": rel,
		"links": map[string]any{"self": selfPath(r)}}
}

func customerDisplayName(r *record) string {
	if n, _ := r.attrs["name"].(string); strings.TrimSpace(n) != "" {
		return n
	}
	if e := firstOf(r.attrs["emails"], "email"); e != "" {
		return e
	}
	return firstOf(r.attrs["phones"], "phone")
}

// firstOf is the first entry's key of an emails/phones list.
func firstOf(v any, key string) string {
	list, _ := v.([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			if s, _ := m[key].(string); s != "" {
				return s
			}
		}
	}
	return ""
}

// valuesOf lists every entry's key of an emails/phones list.
func valuesOf(v any, key string) []string {
	var out []string
	list, _ := v.([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			if s, _ := m[key].(string); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// Add stores a resource of typ (customer, company, conversation, message,
// note, or kobject.{klass}) with the given attributes, unvalidated, and
// returns its id. Relationship attributes (customer, conversation,
// company) become relationships. It is for tests and demos.
func (s *Server) Add(typ string, attrs map[string]any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.add(typ, attrs, s.now())
}

func (s *Server) add(typ string, attrs map[string]any, at time.Time) string {
	r := &record{typ: typ, attrs: map[string]any{}}
	if k, ok := strings.CutPrefix(typ, "kobject."); ok {
		r.typ, r.klass = typeKObject, k
	}
	for k, v := range attrs {
		switch k {
		case "customer":
			r.customer, _ = v.(string)
		case "conversation":
			r.conversation, _ = v.(string)
		case "company":
			r.company, _ = v.(string)
		default:
			r.attrs[k] = v
		}
	}
	return s.insert(r, at).id
}

// Record returns a copy of a stored resource's attributes and its
// relationship ids (under "customer", "conversation", "company").
func (s *Server) Record(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.records[id]
	if !ok {
		return nil, false
	}
	out := maps.Clone(r.attrs)
	for k, v := range map[string]string{"customer": r.customer, "conversation": r.conversation, "company": r.company} {
		if v != "" {
			out[k] = v
		}
	}
	return out, true
}

// Count is how many resources of typ (or kobject.{klass}) the org holds.
func (s *Server) Count(typ string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	klass := ""
	if k, ok := strings.CutPrefix(typ, "kobject."); ok {
		typ, klass = typeKObject, k
	}
	n := 0
	for _, r := range s.records {
		if r.typ == typ && r.klass == klass {
			n++
		}
	}
	return n
}

// IDs lists the ids of a type in creation order.
func (s *Server) IDs(typ string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.all(typ) {
		out = append(out, r.id)
	}
	return slices.Clip(out)
}

// samePhone compares phone numbers as Kustomer's phone matching is taken
// to: by E.164 form where the number parses (10-digit numbers are NANP), by
// digits otherwise.
func samePhone(a, b string) bool {
	pa, errA := phone.Parse(a)
	pb, errB := phone.Parse(b)
	if errA == nil && errB == nil {
		return pa.E164() == pb.E164()
	}
	da := phone.Digits(a)
	return da != "" && da == phone.Digits(b)
}
