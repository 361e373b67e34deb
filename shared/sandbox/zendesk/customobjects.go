package zdsandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Custom objects as Zendesk's Custom Objects API (the "new" one, under
// /api/v2/custom_objects) serves them: an object has a key, titles and
// fields; its records have a string id, a name, an optional unique
// external_id and their values under custom_object_fields. Sources:
// developer.zendesk.com/api-reference/custom-data/custom-objects/
// (custom_objects, custom_object_fields, custom_object_records) and
// Zendesk's OpenAPI file as split per API in api-evangelist/zendesk
// openapi/_original/custom-objects-openapi-original.yml.

// customObject is one object definition and its records.
type customObject struct {
	key, title, titlePlural string
	fields                  []coField
	records                 map[string]*coRecord
	order                   []string
	created                 time.Time
}

// coField is a custom field of a custom object.
type coField struct {
	id          int64
	key, typ    string
	title       string
	description string
}

// coRecord is one custom object record.
type coRecord struct {
	id, name, externalID string
	hasExternalID        bool
	values               map[string]any
	createdBy, updatedBy int64
	created, updated     time.Time
}

// CustomObjectField declares a field of a custom object in Options or
// DefineCustomObject: key, type (text, textarea, integer, decimal,
// checkbox, date, dropdown…) and title.
type CustomObjectField struct {
	Key, Type, Title string
}

// DefineCustomObject adds a custom object to the account (as an admin's
// POST /api/v2/custom_objects and .../fields would).
func (s *Server) DefineCustomObject(key, title, titlePlural string, fields ...CustomObjectField) {
	s.mu.Lock()
	defer s.mu.Unlock()
	obj := &customObject{key: key, title: title, titlePlural: titlePlural, records: map[string]*coRecord{}, created: s.now()}
	for _, f := range fields {
		s.fieldSeq++
		obj.fields = append(obj.fields, coField{id: 4398096842000 + s.fieldSeq, key: f.Key, typ: f.Type, title: f.Title, description: f.Title})
	}
	s.customObjects[key] = obj
}

// CustomRecord returns a copy of a custom object record as the API shows it.
func (s *Server) CustomRecord(key, id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, ok := s.customObjects[key]
	if !ok {
		return nil, false
	}
	rec, ok := obj.records[id]
	if !ok {
		return nil, false
	}
	return obj.view(rec, "https://sandbox.zendesk.com"), true
}

// crockford is the alphabet of ULIDs, the shape of Zendesk's custom object
// record ids in its examples (01GB1Y8AR58M9Q1XD9N8GZ2FC5).
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newRecordID makes a 26-character ULID-shaped id from the clock and a
// sequence; the caller holds s.mu.
func (s *Server) newRecordID() string {
	s.recordSeq++
	n := uint64(s.now().UnixMilli())<<20 | uint64(s.recordSeq&0xfffff)
	var b [26]byte
	for i := 25; i >= 0; i-- {
		b[i] = crockford[n&31]
		n >>= 5
	}
	return string(b[:])
}

// view is a record as the API answers it: every field of the object under
// custom_object_fields (null when unset), ids of users as strings.
func (obj *customObject) view(rec *coRecord, origin string) map[string]any {
	vals := map[string]any{}
	for _, f := range obj.fields {
		vals[f.key] = clone(rec.values[f.key])
	}
	var ext any
	if rec.hasExternalID {
		ext = rec.externalID
	}
	return map[string]any{
		"url":                  fmt.Sprintf("%s/api/v2/custom_objects/%s/records/%s.json", origin, obj.key, rec.id),
		"id":                   rec.id,
		"name":                 rec.name,
		"custom_object_key":    obj.key,
		"custom_object_fields": vals,
		"created_by_user_id":   strconv.FormatInt(rec.createdBy, 10),
		"updated_by_user_id":   strconv.FormatInt(rec.updatedBy, 10),
		"created_at":           rec.created.Format(stampLayout),
		"updated_at":           rec.updated.Format(stampLayout),
		"external_id":          ext,
		"photo":                nil,
	}
}

func (s *Server) customObject(w http.ResponseWriter, r *http.Request) (*customObject, bool) {
	obj, ok := s.customObjects[r.PathValue("key")]
	if !ok {
		notFound(w)
	}
	return obj, ok
}

// handleCustomFields serves GET /api/v2/custom_objects/{key}/fields: the
// custom fields, and with include_standard_fields=true first the standard
// ones (standard::name, standard::external_id).
func (s *Server) handleCustomFields(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, ok := s.customObject(w, r)
	if !ok {
		return
	}
	list := []any{}
	stamp := obj.created.Format(stampLayout)
	if r.URL.Query().Get("include_standard_fields") == "true" {
		for i, std := range []struct{ key, title string }{{"standard::name", "Name"}, {"standard::external_id", "External ID"}} {
			list = append(list, map[string]any{"id": 4398096841000 + int64(i), "key": std.key, "type": "text", "title": std.title,
				"raw_title": std.title, "description": "", "raw_description": "", "active": true, "system": true, "position": i,
				"regexp_for_validation": nil, "created_at": stamp, "updated_at": stamp,
				"url": fmt.Sprintf("%s/api/v2/custom_objects/%s/fields/%d.json", origin(r), obj.key, 4398096841000+int64(i))})
		}
	}
	for i, f := range obj.fields {
		list = append(list, map[string]any{"id": f.id, "key": f.key, "type": f.typ, "title": f.title, "raw_title": f.title,
			"description": f.description, "raw_description": f.description, "active": true, "system": false, "position": i + 2,
			"regexp_for_validation": nil, "created_at": stamp, "updated_at": stamp,
			"url": fmt.Sprintf("%s/api/v2/custom_objects/%s/fields/%d.json", origin(r), obj.key, f.id)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"custom_object_fields": list, "next_page": nil, "previous_page": nil, "count": len(list)})
}

// handleCustomRecords serves GET /api/v2/custom_objects/{key}/records:
// filter[ids] and filter[external_ids] (comma-separated, case-sensitive),
// sort (id, updated_at, -id, -updated_at) and cursor pagination only
// (page[size] up to 100, page[after], page[before]).
func (s *Server) handleCustomRecords(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, ok := s.customObject(w, r)
	if !ok {
		return
	}
	keep := func(*coRecord) bool { return true }
	if v := params.Get("filter[ids]"); v != "" {
		ids := strings.Split(v, ",")
		keep = func(rec *coRecord) bool { return slices.Contains(ids, rec.id) }
	}
	if v := params.Get("filter[external_ids]"); v != "" {
		ids := strings.Split(v, ",")
		keep = func(rec *coRecord) bool { return rec.hasExternalID && slices.Contains(ids, rec.externalID) }
	}
	var all []*coRecord
	for _, id := range obj.order {
		if rec := obj.records[id]; keep(rec) {
			all = append(all, rec)
		}
	}
	switch params.Get("sort") {
	case "", "id":
	case "-id":
		slices.Reverse(all)
	case "updated_at":
		slices.SortStableFunc(all, func(a, b *coRecord) int { return a.updated.Compare(b.updated) })
	case "-updated_at":
		slices.SortStableFunc(all, func(a, b *coRecord) int { return b.updated.Compare(a.updated) })
	default:
		writeError(w, http.StatusBadRequest, "InvalidParameter", "sort must be one of id, updated_at, -id, -updated_at", nil)
		return
	}
	views := make([]any, len(all))
	for i, rec := range all {
		views[i] = obj.view(rec, origin(r))
	}
	page, ok := s.cursorPage(w, r, params, views)
	if !ok {
		return
	}
	page["custom_object_records"] = page["items"]
	delete(page, "items")
	page["count"] = len(page["custom_object_records"].([]any))
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) handleShowCustomRecord(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, ok := s.customObject(w, r)
	if !ok {
		return
	}
	rec, ok := obj.records[r.PathValue("id")]
	if !ok {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"custom_object_record": obj.view(rec, origin(r))})
}

// handleCreateCustomRecord serves POST /api/v2/custom_objects/{key}/records
// → 201 {"custom_object_record": {...}}.
func (s *Server) handleCreateCustomRecord(w http.ResponseWriter, r *http.Request) {
	attrs, ok := decodeRoot(w, r, "custom_object_record")
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, ok := s.customObject(w, r)
	if !ok {
		return
	}
	rec := &coRecord{values: map[string]any{}, createdBy: s.agentID, updatedBy: s.agentID, created: s.now(), updated: s.now()}
	if fail := obj.apply(rec, attrs, true); fail != nil {
		fail(w)
		return
	}
	rec.id = s.newRecordID()
	obj.records[rec.id] = rec
	obj.order = append(obj.order, rec.id)
	writeJSON(w, http.StatusCreated, map[string]any{"custom_object_record": obj.view(rec, origin(r))})
}

// handleUpdateCustomRecord serves PATCH …/records/{id}: only the given
// attributes and custom fields change.
func (s *Server) handleUpdateCustomRecord(w http.ResponseWriter, r *http.Request) {
	attrs, ok := decodeRoot(w, r, "custom_object_record")
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, ok := s.customObject(w, r)
	if !ok {
		return
	}
	cur, ok := obj.records[r.PathValue("id")]
	if !ok {
		notFound(w)
		return
	}
	work := *cur
	work.values = clone(cur.values).(map[string]any)
	if fail := obj.apply(&work, attrs, false); fail != nil {
		fail(w)
		return
	}
	work.updated, work.updatedBy = s.now(), s.agentID
	*cur = work
	writeJSON(w, http.StatusOK, map[string]any{"custom_object_record": obj.view(cur, origin(r))})
}

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// apply validates a record's attributes and writes them into rec (the
// caller holds s.mu). A record needs a name; an external_id is unique in
// its object; each custom field value must fit the field's type. Other
// attributes and unknown field keys are ignored, as the Support API
// ignores attributes it does not know (the reference says nothing of
// unknown custom_object_fields keys).
func (obj *customObject) apply(rec *coRecord, attrs map[string]any, creating bool) func(http.ResponseWriter) {
	fail := func(field, code, desc string) func(http.ResponseWriter) {
		return func(w http.ResponseWriter) { invalid(w, field, code, desc) }
	}
	if v, given := attrs["name"]; given {
		name, _ := v.(string)
		rec.name = name
	}
	if creating && strings.TrimSpace(rec.name) == "" {
		return fail("name", "BlankValue", "Name: cannot be blank")
	}
	if v, given := attrs["external_id"]; given {
		switch x := v.(type) {
		case nil:
			rec.externalID, rec.hasExternalID = "", false
		case string:
			for id, other := range obj.records {
				if id != rec.id && other.hasExternalID && other.externalID == x {
					return fail("external_id", "DuplicateValue", "External id: has already been taken")
				}
			}
			rec.externalID, rec.hasExternalID = x, true
		default:
			return fail("external_id", "InvalidValue", "External id: is invalid")
		}
	}
	if v, given := attrs["custom_object_fields"]; given {
		vals, ok := v.(map[string]any)
		if !ok {
			return fail("custom_object_fields", "InvalidValue", "Custom object fields: is invalid")
		}
		for key, val := range vals {
			i := slices.IndexFunc(obj.fields, func(f coField) bool { return f.key == key })
			if i < 0 {
				continue
			}
			f := obj.fields[i]
			if val != nil && !fitsType(f.typ, val) {
				return fail(key, "InvalidValue", f.title+": is invalid")
			}
			rec.values[key] = plain(val)
		}
	}
	return nil
}

// fitsType reports whether a decoded JSON value suits a field type.
func fitsType(typ string, v any) bool {
	switch typ {
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		return err == nil
	case "decimal":
		_, ok := v.(json.Number)
		return ok
	case "checkbox":
		_, ok := v.(bool)
		return ok
	case "date":
		s, ok := v.(string)
		return ok && dateRe.MatchString(s)
	case "multiselect":
		_, ok := stringList(v)
		return ok
	}
	_, ok := v.(string)
	return ok
}
