package kustomer

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// handleKlass resolves the {name} of /v1/klasses/{name}/…: a Klass the org
// does not define answers 404.
func (s *Server) handleKlass(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(s.opts.Klasses, r.PathValue("name")) {
			writeError(w, notFound("Klass "+r.PathValue("name")+" not found"))
			return
		}
		next(w, r)
	}
}

func klassOf(r *http.Request, typ string) string {
	if typ == typeKObject {
		return r.PathValue("name")
	}
	return ""
}

// handleCreate is POST on a collection: 201 with {"data": resource}.
// refused names attributes of typ this collection does not take (POST
// /v1/notes has no conversation: a note goes into one by
// /v1/conversations/{id}/notes).
func (s *Server) handleCreate(typ string, refused ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := decodeBody(r)
		if err == nil {
			err = validate(typ, body, true, refused...)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		s.mu.Lock()
		rec, err := s.create(typ, klassOf(r, typ), body)
		var out map[string]any
		if err == nil {
			out = s.view(rec)
		}
		s.mu.Unlock()
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"data": out})
	}
}

// handleCreateUnder is POST /v1/{parents}/{id}/{children}: the parent in the
// path becomes the child's relationship.
func (s *Server) handleCreateUnder(typ, parentTyp string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := decodeBody(r)
		if err == nil && typ == typeNote {
			// The note-within-conversation schema lists conversation too.
			delete(body, "conversation")
		}
		if err == nil {
			err = validate(typ, body, true, parentTyp)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		id := r.PathValue("id")
		if _, ok := s.find(parentTyp, "", id); !ok {
			writeError(w, notFound(parentTyp+" "+id+" not found"))
			return
		}
		body[parentTyp] = id
		rec, err := s.create(typ, "", body)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"data": s.view(rec)})
	}
}

// create stores a validated resource; the caller holds s.mu.
func (s *Server) create(typ, klass string, body map[string]any) (*record, *apiError) {
	rec := &record{typ: typ, klass: klass, attrs: map[string]any{}}
	if err := s.relate(rec, body); err != nil {
		return nil, err
	}
	if err := s.checkUnique(rec, body); err != nil {
		return nil, err
	}
	for k, v := range body {
		if k != "customer" && k != "conversation" && k != "company" && v != nil {
			rec.attrs[k] = v
		}
	}
	now := s.now()
	switch typ {
	case typeConversation:
		setDefault(rec.attrs, "status", "open")
		rec.attrs["messageCount"] = json.Number("0")
		rec.attrs["noteCount"] = json.Number("0")
	case typeMessage:
		if rec.conversation == "" {
			conv := s.insert(&record{typ: typeConversation, customer: rec.customer, attrs: map[string]any{
				"name": firstText(body["subject"], body["preview"]), "status": "open", "direction": body["direction"],
				"messageCount": json.Number("0"), "noteCount": json.Number("0")}}, now)
			rec.conversation = conv.id
		}
		conv := s.records[rec.conversation]
		bump(conv.attrs, "messageCount")
		channels, _ := conv.attrs["channels"].([]any)
		if ch := body["channel"]; !slices.Contains(channels, ch) {
			conv.attrs["channels"] = append(slices.Clone(channels), ch)
		}
		conv.updated = now
		s.indexed(conv)
	case typeNote:
		if conv := s.records[rec.conversation]; conv != nil {
			bump(conv.attrs, "noteCount")
			conv.updated = now
			s.indexed(conv)
		}
	}
	return s.insert(rec, now), nil
}

func setDefault(m map[string]any, k string, v any) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

func bump(m map[string]any, k string) {
	n, _ := m[k].(json.Number)
	i, _ := n.Int64()
	m[k] = json.Number(strconv.FormatInt(i+1, 10))
}

func firstText(vs ...any) string {
	for _, v := range vs {
		if s, _ := v.(string); strings.TrimSpace(s) != "" {
			if r := []rune(s); len(r) > 80 {
				return string(r[:80])
			}
			return s
		}
	}
	return ""
}

// relate resolves the relationship attributes of a body; the caller holds s.mu.
func (s *Server) relate(rec *record, body map[string]any) *apiError {
	get := func(k, typ string) (*record, *apiError) {
		id, _ := body[k].(string)
		if id == "" {
			return nil, nil
		}
		r, ok := s.find(typ, "", id)
		if !ok {
			return nil, badRequest("/data/attributes/"+k, "%s %s does not exist", typ, id)
		}
		return r, nil
	}
	cust, err := get("customer", typeCustomer)
	if err != nil {
		return err
	}
	conv, err := get("conversation", typeConversation)
	if err != nil {
		return err
	}
	comp, err := get("company", typeCompany)
	if err != nil {
		return err
	}
	if cust != nil {
		rec.customer = cust.id
	}
	if comp != nil {
		rec.company = comp.id
	}
	if conv != nil {
		if cust != nil && conv.customer != cust.id {
			return badRequest("/data/attributes/conversation", "conversation %s belongs to another customer", conv.id)
		}
		rec.conversation, rec.customer = conv.id, conv.customer
	}
	if rec.typ == typeMessage && rec.customer == "" {
		return badRequest("/data/attributes/customer", `"customer" or "conversation" is required`)
	}
	return nil
}

// checkUnique refuses a second customer with the same email, phone or
// externalId, and a second conversation, message, note, company or KObject
// (of the same Klass) with the same externalId; the caller holds s.mu.
func (s *Server) checkUnique(rec *record, body map[string]any) *apiError {
	for _, other := range s.all(rec.typ) {
		if other.id == rec.id || other.klass != rec.klass {
			continue
		}
		if ext, _ := body["externalId"].(string); ext != "" && other.attrs["externalId"] == ext {
			return conflict("/data/attributes/externalId", "%s with externalId %s already exists: %s", rec.typ, ext, other.id)
		}
		if rec.typ != typeCustomer {
			continue
		}
		for _, e := range valuesOf(body["emails"], "email") {
			for _, oe := range valuesOf(other.attrs["emails"], "email") {
				if strings.EqualFold(e, oe) {
					return conflict("/data/attributes/emails", "customer with email %s already exists: %s", e, other.id)
				}
			}
		}
		for _, p := range valuesOf(body["phones"], "phone") {
			for _, op := range valuesOf(other.attrs["phones"], "phone") {
				if samePhone(p, op) {
					return conflict("/data/attributes/phones", "customer with phone %s already exists: %s", p, other.id)
				}
			}
		}
	}
	return nil
}

// handleGet is GET of one resource by id or, where Kustomer offers it, by a
// lookup key in the path: externalId=…, and for customers email=… and phone=….
func (s *Server) handleGet(typ string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("ref")
		klass := klassOf(r, typ)
		s.mu.Lock()
		defer s.mu.Unlock()
		var rec *record
		if key, value, ok := strings.Cut(ref, "="); ok {
			if value == "" {
				writeError(w, badParam(key, "%s must not be empty", key))
				return
			}
			rec = s.lookup(typ, klass, key, value)
			if rec == nil && !slices.Contains(lookupKeys[typ], key) {
				writeError(w, badParam(key, "%s cannot be looked up by %s", typ, key))
				return
			}
		} else if found, ok := s.find(typ, klass, ref); ok {
			rec = found
		}
		if rec == nil {
			writeError(w, notFound(typ+" not found"))
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": s.view(rec)})
	}
}

// lookupKeys are the path lookups each type offers.
var lookupKeys = map[string][]string{
	typeCustomer: {"email", "phone", "externalId"}, typeConversation: {"externalId"}, typeMessage: {"externalid"},
	typeKObject: {"externalId"},
}

// lookup finds the first record matching a path lookup; the caller holds s.mu.
func (s *Server) lookup(typ, klass, key, value string) *record {
	if !slices.Contains(lookupKeys[typ], key) {
		return nil
	}
	for _, rec := range s.all(typ) {
		if rec.klass != klass {
			continue
		}
		switch key {
		case "externalId", "externalid":
			if rec.attrs["externalId"] == value {
				return rec
			}
		case "email":
			for _, e := range valuesOf(rec.attrs["emails"], "email") {
				if strings.EqualFold(e, value) {
					return rec
				}
			}
		case "phone":
			for _, p := range valuesOf(rec.attrs["phones"], "phone") {
				if samePhone(p, value) {
					return rec
				}
			}
		}
	}
	return nil
}

// handleUpdate is PATCH (the given attributes change; custom attributes
// merge) or PUT (the attributes are replaced) of one resource: 200 with it.
func (s *Server) handleUpdate(typ string, replace bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := decodeBody(r)
		if err == nil {
			err = validate(typ, body, false)
		}
		if err != nil {
			writeError(w, err)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		rec, ok := s.find(typ, klassOf(r, typ), r.PathValue("id"))
		if !ok {
			writeError(w, notFound(typ+" "+r.PathValue("id")+" not found"))
			return
		}
		next := *rec
		if err := s.relate(&next, body); err != nil {
			writeError(w, err)
			return
		}
		if err := s.checkUnique(rec, body); err != nil {
			writeError(w, err)
			return
		}
		attrs := maps.Clone(rec.attrs)
		if replace {
			attrs = map[string]any{}
			for _, k := range []string{"messageCount", "noteCount", "channels"} {
				if v, ok := rec.attrs[k]; ok {
					attrs[k] = v
				}
			}
		}
		for k, v := range body {
			switch {
			case k == "customer" || k == "conversation" || k == "company":
			case v == nil:
				delete(attrs, k)
			case k == "custom" && !replace:
				merged, _ := attrs["custom"].(map[string]any)
				merged = maps.Clone(merged)
				if merged == nil {
					merged = map[string]any{}
				}
				for ck, cv := range v.(map[string]any) {
					merged[ck] = cv
				}
				attrs["custom"] = merged
			default:
				attrs[k] = v
			}
		}
		rec.attrs, rec.customer, rec.conversation, rec.company = attrs, next.customer, next.conversation, next.company
		if replace && body["company"] == nil && typ == typeCustomer {
			rec.company = ""
		}
		rec.updated = s.now()
		s.indexed(rec)
		writeJSON(w, http.StatusOK, map[string]any{"data": s.view(rec)})
	}
}

// handleCustomerConversations is GET /v1/customers/{id}/conversations:
// the customer's conversations, most recently updated first, paged.
func (s *Server) handleCustomerConversations(w http.ResponseWriter, r *http.Request) {
	s.handleChildren(w, r, typeCustomer, typeConversation,
		func(c *record, id string) bool { return c.customer == id },
		func(a, b *record) int { return b.updated.Compare(a.updated) })
}

// handleConversationNotes is GET /v1/conversations/{id}/notes: the
// conversation's notes, oldest first, paged.
func (s *Server) handleConversationNotes(w http.ResponseWriter, r *http.Request) {
	s.handleChildren(w, r, typeConversation, typeNote,
		func(n *record, id string) bool { return n.conversation == id }, nil)
}

// handleChildren answers GET /v1/{parents}/{id}/{children}: the records of
// childType that belong to the parent (of parentType) named in the path,
// in order (nil: as stored), paged in the request's path; a missing parent
// is a 404.
func (s *Server) handleChildren(w http.ResponseWriter, r *http.Request, parentType, childType string,
	belongs func(child *record, parentID string) bool, order func(a, b *record) int) {
	pg, err := s.paging(r)
	if err != nil {
		writeError(w, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	if _, ok := s.find(parentType, "", id); !ok {
		writeError(w, notFound(parentType+" "+id+" not found"))
		return
	}
	var list []*record
	for _, c := range s.all(childType) {
		if belongs(c, id) {
			list = append(list, c)
		}
	}
	if order != nil {
		slices.SortStableFunc(list, order)
	}
	writeJSON(w, http.StatusOK, s.pageOf(list, pg, r.URL.Path))
}

// paging is a request's page and pageSize.
type paging struct{ page, size int }

func (s *Server) paging(r *http.Request) (paging, *apiError) {
	pg := paging{page: 1, size: maxPageSize}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"page", &pg.page}, {"pageSize", &pg.size}} {
		v := r.URL.Query().Get(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return pg, badParam(p.name, "%s must be a positive integer", p.name)
		}
		*p.dst = n
	}
	if pg.size > maxPageSize {
		return pg, badParam("pageSize", "pageSize must be at most %d", maxPageSize)
	}
	pg.size = min(pg.size, s.opts.PageSize)
	return pg, nil
}

// pageOf answers one page of records with Kustomer's meta and links
// (relative links; prev and next null at the ends); the caller holds s.mu.
func (s *Server) pageOf(list []*record, pg paging, path string) map[string]any {
	total := len(list)
	pages := max(1, (total+pg.size-1)/pg.size)
	from := min((pg.page-1)*pg.size, total)
	to := min(from+pg.size, total)
	data := make([]any, 0, to-from)
	for _, rec := range list[from:to] {
		data = append(data, s.view(rec))
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&" // a filtered list keeps its filter
	}
	link := func(p int) string {
		return path + sep + "page=" + strconv.Itoa(p) + "&pageSize=" + strconv.Itoa(pg.size)
	}
	links := map[string]any{"self": link(pg.page), "first": link(1), "last": link(pages), "prev": nil, "next": nil}
	if pg.page > 1 {
		links["prev"] = link(pg.page - 1)
	}
	if pg.page < pages {
		links["next"] = link(pg.page + 1)
	}
	return map[string]any{"meta": map[string]any{"pageSize": pg.size, "page": pg.page, "total": total, "totalPages": pages},
		"links": links, "data": data}
}
