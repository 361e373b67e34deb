package zdsandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Enumerations Zendesk validates.
var (
	roles       = []string{"end-user", "agent", "admin"}
	ticketTypes = []string{"problem", "incident", "question", "task"}
	emailRe     = regexp.MustCompile(`^[^@\s"<>]+@[^@\s"<>]+\.[^@\s"<>]+$`)
	// e164 is a phone number in E.164 form, as "Validate user phone
	// numbers" requires: +, a country code and the number, 15 digits at most.
	e164 = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
)

// decodeRoot reads {"<kind>": {...}} with numbers kept exact.
func decodeRoot(w http.ResponseWriter, r *http.Request, k kind) (map[string]any, bool) {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "BadRequest", "The request body is not valid JSON", nil)
		return nil, false
	}
	attrs, ok := body[string(k)].(map[string]any)
	if !ok {
		writeError(w, http.StatusBadRequest, "BadRequest", "Parameter "+string(k)+" is required", nil)
		return nil, false
	}
	return attrs, true
}

func (s *Server) handleCreate(k kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		attrs, ok := decodeRoot(w, r, k)
		if !ok {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		rec := &record{attrs: defaults(k)}
		comment, fail := s.apply(k, rec, attrs, true)
		if fail != nil {
			fail(w)
			return
		}
		stored := s.insert(k, rec.attrs)
		if k == kindTicket {
			if stored.attrs["submitter_id"] == nil {
				stored.attrs["submitter_id"] = s.agentID
			}
			if stored.attrs["requester_id"] == nil {
				stored.attrs["requester_id"] = s.agentID
			}
			stored.attrs["description"] = comment.body
			s.indexed(k, stored)
		}
		body := map[string]any{string(k): stored.view(k, origin(r))}
		if k == kindTicket {
			body["audit"] = s.audit(stored, s.agentID, nil, &comment)
		}
		w.Header().Set("Location", fmt.Sprintf("%s/api/v2/%s/%d.json", origin(r), k.plural(), stored.id))
		writeJSON(w, http.StatusCreated, body)
	}
}

func (s *Server) handleShow(k kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		rec, ok := s.find(k, r.PathValue("id"))
		if !ok {
			notFound(w)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{string(k): rec.view(k, origin(r))})
	}
}

func (s *Server) handleUpdate(k kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		_, exists := s.find(k, r.PathValue("id"))
		s.mu.Unlock()
		if !exists {
			notFound(w)
			return
		}
		attrs, ok := decodeRoot(w, r, k)
		if !ok {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		rec, ok := s.find(k, r.PathValue("id"))
		if !ok {
			notFound(w)
			return
		}
		if k == kindTicket && rec.attrs["status"] == "closed" {
			invalid(w, "status", "InvalidValue", "Status: closed prevents ticket update")
			return
		}
		work := &record{id: rec.id, attrs: clone(rec.attrs).(map[string]any)}
		comment, fail := s.apply(k, work, attrs, false)
		if fail != nil {
			fail(w)
			return
		}
		before := rec.attrs
		rec.attrs = work.attrs
		rec.updated = s.now()
		s.indexed(k, rec)
		body := map[string]any{string(k): rec.view(k, origin(r))}
		if k == kindTicket {
			body["audit"] = s.audit(rec, s.agentID, before, &comment)
		}
		writeJSON(w, http.StatusOK, body)
	}
}

// handleExternalSearch serves GET /api/v2/users/search and
// /api/v2/organizations/search by external_id (also query= for users and
// name= for organizations).
func (s *Server) handleExternalSearch(k kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		params := r.URL.Query()
		var match func(*record) bool
		switch {
		case params.Has("external_id"):
			want := params.Get("external_id")
			match = func(rec *record) bool { return rec.attrs["external_id"] == want }
		case k == kindUser && params.Get("query") != "":
			want := params.Get("query")
			match = func(rec *record) bool {
				return containsPhrase(fmt.Sprint(rec.attrs["name"]), want) || strings.EqualFold(fmt.Sprint(rec.attrs["email"]), want)
			}
		case k == kindOrganization && params.Get("name") != "":
			want := params.Get("name")
			match = func(rec *record) bool { return strings.EqualFold(fmt.Sprint(rec.attrs["name"]), want) }
		default:
			writeError(w, http.StatusBadRequest, "BadRequest", "Supply external_id or a search parameter", nil)
			return
		}
		s.mu.Lock()
		list := []any{}
		for _, id := range s.order[k] {
			if rec := s.records[k][id]; match(rec) {
				list = append(list, rec.view(k, origin(r)))
			}
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{k.plural(): list, "next_page": nil, "previous_page": nil, "count": len(list)})
	}
}

// handleShowMany serves GET /api/v2/users/show_many and
// /api/v2/organizations/show_many: up to 100 comma-separated ids or
// external_ids, read from the database (OAS ShowManyUsers,
// ShowManyOrganizations), so a record is there the moment it is written.
func (s *Server) handleShowMany(k kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		params := r.URL.Query()
		attr, raw := "id", params.Get("ids")
		if params.Has("external_ids") {
			attr, raw = "external_id", params.Get("external_ids")
		}
		if raw == "" {
			writeError(w, http.StatusBadRequest, "BadRequest", "Supply ids or external_ids", nil)
			return
		}
		wanted := strings.Split(raw, ",")
		if len(wanted) > 100 {
			writeError(w, http.StatusBadRequest, "BadRequest", "At most 100 ids or external_ids", nil)
			return
		}
		s.mu.Lock()
		list := []any{}
		for _, id := range s.order[k] {
			rec := s.records[k][id]
			have := strconv.FormatInt(rec.id, 10)
			if attr == "external_id" {
				have, _ = rec.attrs["external_id"].(string)
			}
			if have != "" && slices.ContainsFunc(wanted, func(v string) bool {
				return v == have || attr == "external_id" && strings.EqualFold(v, have)
			}) {
				list = append(list, rec.view(k, origin(r)))
			}
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{k.plural(): list, "next_page": nil, "previous_page": nil, "count": len(list)})
	}
}

func (s *Server) handleComments(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.find(kindTicket, r.PathValue("id"))
	if !ok {
		notFound(w)
		return
	}
	list := []any{}
	for _, c := range s.comments[rec.id] {
		list = append(list, clone(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"comments": list, "next_page": nil, "previous_page": nil, "count": len(list)})
}

// newComment is the comment a ticket write carries.
type newComment struct {
	body   string
	public bool
}

// apply validates attrs and writes them into rec (the caller holds s.mu).
// Unknown attributes are ignored, as Zendesk ignores them.
func (s *Server) apply(k kind, rec *record, attrs map[string]any, creating bool) (newComment, func(http.ResponseWriter)) {
	comment := newComment{public: true}
	fail := func(field, code, desc string) func(http.ResponseWriter) {
		return func(w http.ResponseWriter) { invalid(w, field, code, desc) }
	}
	for key, v := range attrs {
		switch key {
		case "id", "url", "created_at", "updated_at":
			continue
		case "external_id", "notes", "details", "phone", "time_zone", "locale", "raw_subject", "due_at":
			if v != nil && !isString(v) {
				return comment, fail(key, "InvalidValue", label(key)+": is invalid")
			}
			if p, _ := v.(string); key == "phone" && k == kindUser && s.opts.ValidatePhoneNumbers && p != "" && !e164.MatchString(p) {
				// The detail as a Zendesk engineer's published example shows it.
				return comment, fail("phone", "InvalidFormat", "Phone "+p+" is not properly formatted")
			}
			rec.attrs[key] = v
		case "tags", "domain_names":
			tags, ok := stringList(v)
			if !ok {
				return comment, fail(key, "InvalidValue", label(key)+": is invalid")
			}
			rec.attrs[key] = anyList(tags)
		case "organization_id", "requester_id", "submitter_id", "assignee_id", "group_id":
			if v == nil {
				rec.attrs[key] = nil
				continue
			}
			id, ok := idOf(v)
			target := kindUser
			if key == "organization_id" {
				target = kindOrganization
			}
			if key == "group_id" {
				rec.attrs[key] = id
				continue
			}
			if _, exists := s.find(target, strconv.FormatInt(id, 10)); !ok || !exists {
				return comment, fail(strings.TrimSuffix(key, "_id"), "InvalidValue", label(key)+": is invalid")
			}
			rec.attrs[key] = id
		case "user_fields", "organization_fields":
			m, ok := v.(map[string]any)
			if !ok {
				return comment, fail(key, "InvalidValue", label(key)+": is invalid")
			}
			cur, _ := rec.attrs[key].(map[string]any)
			if cur == nil {
				cur = map[string]any{}
			}
			for fk, fv := range m {
				cur[fk] = plain(fv)
			}
			rec.attrs[key] = cur
		default:
			if fn := s.kindAttr(k, rec, key, v, &comment); fn != nil {
				return comment, fn
			}
		}
	}
	switch k {
	case kindUser:
		if name, _ := rec.attrs["name"].(string); strings.TrimSpace(name) == "" {
			return comment, fail("name", "BlankValue", "Name: is too short (minimum one character)")
		}
		if ext, _ := rec.attrs["external_id"].(string); ext != "" && s.taken(kindUser, "external_id", ext, rec.id) {
			return comment, fail("external_id", "DuplicateValue", "External: has already been taken")
		}
		if email, _ := rec.attrs["email"].(string); email != "" && s.taken(kindUser, "email", email, rec.id) {
			return comment, fail("email", "DuplicateValue", "Email: is already being used by another user")
		}
	case kindOrganization:
		name, _ := rec.attrs["name"].(string)
		if strings.TrimSpace(name) == "" {
			return comment, fail("name", "BlankValue", "Name: cannot be blank")
		}
		if s.taken(kindOrganization, "name", name, rec.id) {
			return comment, fail("name", "DuplicateValue", "Name: has already been taken")
		}
	case kindTicket:
		if creating && strings.TrimSpace(comment.body) == "" {
			return comment, fail("description", "BlankValue", "Description: cannot be blank")
		}
		if creating && rec.attrs["subject"] == nil {
			first, _, _ := strings.Cut(comment.body, "\n")
			rec.attrs["subject"] = first
		}
		rec.attrs["raw_subject"] = rec.attrs["subject"]
	}
	return comment, nil
}

// kindAttr handles the attributes that only one kind has.
func (s *Server) kindAttr(k kind, rec *record, key string, v any, comment *newComment) func(http.ResponseWriter) {
	fail := func(field, code, desc string) func(http.ResponseWriter) {
		return func(w http.ResponseWriter) { invalid(w, field, code, desc) }
	}
	enum := func(values []string) func(http.ResponseWriter) {
		sv, _ := v.(string)
		if v != nil && !slices.Contains(values, sv) {
			return fail(key, "InvalidValue", label(key)+": is not included in the list")
		}
		rec.attrs[key] = v
		return nil
	}
	switch k {
	case kindUser:
		switch key {
		case "name":
			if !isString(v) {
				return fail(key, "InvalidValue", "Name: is invalid")
			}
			rec.attrs[key] = v
		case "email":
			sv, _ := v.(string)
			if v != nil && !emailRe.MatchString(sv) {
				return fail(key, "InvalidValue", "Email: "+sv+" is not properly formatted")
			}
			rec.attrs[key] = v
		case "role":
			return enum(roles)
		case "verified", "shared_phone_number", "active":
			rec.attrs[key] = v
		}
	case kindOrganization:
		if key == "name" {
			if !isString(v) {
				return fail(key, "InvalidValue", "Name: is invalid")
			}
			rec.attrs[key] = v
		}
	case kindTicket:
		switch key {
		case "subject":
			if v != nil && !isString(v) {
				return fail(key, "InvalidValue", "Subject: is invalid")
			}
			rec.attrs[key] = v
		case "status":
			return enum(statusOrder)
		case "priority":
			return enum(priorityOrder)
		case "type":
			return enum(ticketTypes)
		case "comment":
			m, ok := v.(map[string]any)
			if !ok {
				return fail("comment", "InvalidValue", "Comment: is invalid")
			}
			body, _ := m["body"].(string)
			if body == "" {
				body, _ = m["html_body"].(string)
			}
			comment.body = body
			if p, isBool := m["public"].(bool); isBool {
				comment.public = p
			}
		case "additional_tags", "remove_tags":
			tags, ok := stringList(v)
			if !ok {
				return fail(key, "InvalidValue", "Tags: is invalid")
			}
			cur := tagList(rec.attrs["tags"])
			for _, t := range tags {
				if key == "additional_tags" && !slices.Contains(cur, t) {
					cur = append(cur, t)
				}
				if key == "remove_tags" {
					cur = slices.DeleteFunc(cur, func(c string) bool { return c == t })
				}
			}
			rec.attrs["tags"] = anyList(cur)
		case "custom_fields":
			list, ok := v.([]any)
			if !ok {
				return fail(key, "InvalidValue", "Custom fields: is invalid")
			}
			cur := asList(rec.attrs["custom_fields"])
			for _, e := range list {
				m, _ := e.(map[string]any)
				id, okID := idOf(m["id"])
				if !okID {
					return fail(key, "InvalidValue", "Custom fields: is invalid")
				}
				cur = slices.DeleteFunc(cur, func(c any) bool { cm, _ := c.(map[string]any); x, _ := idOf(cm["id"]); return x == id })
				cur = append(cur, map[string]any{"id": id, "value": plain(m["value"])})
			}
			rec.attrs["custom_fields"] = cur
		}
	}
	return nil
}

// taken reports whether another record of k has attr equal (case-insensitively) to value.
func (s *Server) taken(k kind, attr, value string, self int64) bool {
	for id, rec := range s.records[k] {
		if v, _ := rec.attrs[attr].(string); id != self && strings.EqualFold(v, value) {
			return true
		}
	}
	return false
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

func stringList(v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	var out []string
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, false
		}
		for _, t := range strings.Fields(strings.ToLower(s)) {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out, true
}

// idOf reads an id given as a JSON number or a string of digits.
func idOf(v any) (int64, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = x
	case int64:
		return x, true
	default:
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// plain turns decoded json.Numbers into int64 or float64 for storage.
func plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = plain(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return v
}

// label is how Zendesk names an attribute in a validation message.
func label(key string) string {
	key = strings.TrimSuffix(key, "_id")
	key = strings.ReplaceAll(key, "_", " ")
	if key == "" {
		return key
	}
	return strings.ToUpper(key[:1]) + key[1:]
}
