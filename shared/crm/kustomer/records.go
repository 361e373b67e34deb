package kustomer

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// resource is a JSON:API resource as Kustomer answers it.
type resource struct {
	Type          string                     `json:"type"`
	ID            string                     `json:"id"`
	Attributes    map[string]any             `json:"attributes"`
	Relationships map[string]json.RawMessage `json:"relationships"`
}

// rel is the id of a to-one relationship ("" when absent or to-many).
func (r resource) rel(name string) string {
	var link struct {
		Data *struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if raw, ok := r.Relationships[name]; !ok || json.Unmarshal(raw, &link) != nil || link.Data == nil || !idShape.MatchString(link.Data.ID) {
		return ""
	}
	return link.Data.ID
}

// single is an answer holding one resource; list one page of them.
type single struct {
	Data resource `json:"data"`
}

type list struct {
	Data  []resource `json:"data"`
	Links struct {
		Next string `json:"next"`
	} `json:"links"`
}

// defaultFields are shown on the card when a mapping names none.
var defaultFields = map[string][]string{
	entCustomer: {"name", "email", "phone", "externalId"}, entCompany: {"name", "domains"},
	entConversation: {"name", "status", "priority", "channels"}, entMessage: {"channel", "direction", "subject", "preview", "sentAt"},
	entNote: {"body"},
}

var kobjectFields = []string{"title", "externalId"}

func fieldsOrDefault(o object, fields []string) []string {
	switch {
	case len(fields) > 0:
		return fields
	case o.isKObject():
		return kobjectFields
	}
	return defaultFields[o.entity]
}

// toRecord converts an answer; show lists the fields the record carries.
// It also remembers a conversation's customer for RecordURL.
func (c *connector) toRecord(o object, r resource, show []string) crm.Record {
	rec := crm.Record{Entity: o.entity, ID: r.ID, Display: display(o, r), Fields: map[string]any{}}
	customer, conversation := r.rel("customer"), r.rel("conversation")
	switch o.entity {
	case entCustomer:
		customer = r.ID
	case entConversation:
		conversation = r.ID
	}
	c.remember(conversation, customer)
	rec.URL = c.recordURL(o, r.ID, customer, conversation)
	if s, _ := r.Attributes["updatedAt"].(string); s != "" {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			rec.Updated = t.UTC()
		}
	}
	for _, f := range show {
		rec.Fields[f] = fieldValue(o, r, f)
	}
	return rec
}

// fieldValue reads a field: an attribute by dotted path (custom.tierStr),
// a relationship's id (customer, conversation, company), id, or for
// customers and companies email and phone, the first of emails and phones.
func fieldValue(o object, r resource, name string) any {
	if name == "id" {
		return r.ID
	}
	if o.entity == entCustomer || o.entity == entCompany {
		switch name {
		case "email":
			return firstEntry(r.Attributes["emails"], "email")
		case "phone":
			return firstEntry(r.Attributes["phones"], "phone")
		}
	}
	var v any = r.Attributes
	for _, seg := range strings.Split(name, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[seg]
	}
	if v == nil && (name == "customer" || name == "conversation" || name == "company") {
		if id := r.rel(name); id != "" {
			return id
		}
	}
	return v
}

// firstEntry is the first entry's key of an emails or phones list, or nil.
func firstEntry(v any, key string) any {
	l, _ := v.([]any)
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			if s, _ := m[key].(string); s != "" {
				return s
			}
		}
	}
	return nil
}

// display is the record's name: a customer's display name (or email or
// phone), a conversation's name, a message's subject or preview, a note's
// body, a KObject's title…, else the entity and id.
func display(o object, r resource) string {
	text := func(v any) string {
		s, _ := v.(string)
		return strings.TrimSpace(s)
	}
	var candidates []string
	a := r.Attributes
	switch {
	case o.entity == entCustomer:
		e, _ := firstEntry(a["emails"], "email").(string)
		p, _ := firstEntry(a["phones"], "phone").(string)
		candidates = []string{text(a["displayName"]), text(a["name"]), e, p}
	case o.entity == entCompany || o.entity == entConversation:
		candidates = []string{text(a["name"])}
	case o.entity == entMessage:
		candidates = []string{text(a["subject"]), text(a["preview"])}
	case o.entity == entNote:
		candidates = []string{text(a["body"])}
	case o.isKObject():
		candidates = []string{text(a["title"]), text(a["externalId"])}
	}
	for _, v := range candidates {
		if v != "" {
			if rs := []rune(v); len(rs) > 120 {
				v = string(rs[:120]) + "…"
			}
			return v
		}
	}
	return o.entity + " " + r.ID
}

func checkFields(op, at string, names []string) error {
	for i, n := range names {
		if !validPath(n) {
			return crm.Refusal(op, fmt.Sprintf("%s[%d]", at, i), "field %s is not a Kustomer attribute name or dotted path", quoteName(n))
		}
	}
	return nil
}

// validPath: a field name, or a dotted path of them (custom.tierStr).
func validPath(name string) bool {
	if !crm.ValidField(name) {
		return false
	}
	return !slices.Contains(strings.Split(name, "."), "")
}

// Get reads one record; without fields it shows every attribute Kustomer
// answers with.
func (c *connector) Get(ctx context.Context, ref crm.Ref, fields []string) (crm.Record, error) {
	const op = "kustomer: get record"
	o, err := checkRef(op, ref)
	if err != nil {
		return crm.Record{}, err
	}
	if err := checkFields(op, "fields", fields); err != nil {
		return crm.Record{}, err
	}
	res, err := c.read(ctx, op+" "+o.entity, o.path(ref.ID))
	if err != nil {
		return crm.Record{}, err
	}
	show := fields
	if len(show) == 0 {
		show = sortedKeys(res.Attributes)
	}
	return c.toRecord(o, res, show), nil
}

// read GETs one resource.
func (c *connector) read(ctx context.Context, op, path string) (resource, error) {
	var s single
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: path}, &s)
	if err != nil {
		return resource{}, err
	}
	if !idShape.MatchString(s.Data.ID) {
		return resource{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "answer without a record id"}
	}
	return s.Data, nil
}

// Create makes one record: POST to the object's collection (201).
func (c *connector) Create(ctx context.Context, entity string, fields map[string]any) (crm.Record, error) {
	const op = "kustomer: create"
	o, err := resolve(op, entity)
	if err != nil {
		return crm.Record{}, err
	}
	body, err := writeBody(op, o, fields)
	if err != nil {
		return crm.Record{}, err
	}
	res, err := c.write(ctx, op+" "+o.entity, http.MethodPost, createPath(o, body), body)
	if err != nil {
		return crm.Record{}, err
	}
	return c.toRecord(o, res, sortedKeys(fields)), nil
}

// createPath is where a create is posted: the object's collection, except
// for a note given its conversation, which goes to
// /v1/conversations/{id}/notes ("Create note within conversation"), since
// POST /v1/notes takes no conversation attribute. The conversation leaves
// the body then; the path names it.
func createPath(o object, body map[string]any) string {
	if o.entity == entNote {
		if conv, _ := body["conversation"].(string); idShape.MatchString(conv) {
			delete(body, "conversation")
			return "/v1/conversations/" + conv + "/notes"
		}
	}
	return o.collection()
}

// write sends a body and reads the resource answered.
func (c *connector) write(ctx context.Context, op, method, path string, body any) (resource, error) {
	var s single
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: method, Path: path, Body: body}, &s)
	if err != nil {
		return resource{}, err
	}
	if !idShape.MatchString(s.Data.ID) {
		return resource{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "answer without a record id"}
	}
	return s.Data, nil
}

// Update writes fields into one record: PATCH (Kustomer's partial update)
// for customers, conversations, messages and notes; PUT for companies,
// whose one documented update is PUT /v1/companies/{id} ("Update company
// attributes": the attributes given). KObjects are updated with PUT, the one verb
// Kustomer documents for them; the driver reads the object first and sends
// its writable attributes with the changes, so nothing is lost whether PUT
// replaces or merges.
func (c *connector) Update(ctx context.Context, ref crm.Ref, fields map[string]any) error {
	const op = "kustomer: update"
	o, err := checkRef(op, ref)
	if err != nil {
		return err
	}
	body, err := writeBody(op, o, fields)
	if err != nil {
		return err
	}
	switch {
	case o.entity == entCompany:
		_, err = c.write(ctx, op+" "+o.entity, http.MethodPut, o.path(ref.ID), body)
		return err
	case !o.isKObject():
		_, err = c.write(ctx, op+" "+o.entity, http.MethodPatch, o.path(ref.ID), body)
		return err
	}
	cur, err := c.read(ctx, op+" "+o.entity, o.path(ref.ID))
	if err != nil {
		return err
	}
	_, err = c.write(ctx, op+" "+o.entity, http.MethodPut, o.path(ref.ID), mergeKObject(cur, body))
	return err
}

// kobjectWritable are the KObject attributes a PUT takes back.
var kobjectWritable = []string{"title", "description", "externalId", "icon", "images", "custom", "tags"}

func mergeKObject(cur resource, changes map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range kobjectWritable {
		if v, ok := cur.Attributes[k]; ok && v != nil {
			out[k] = v
		}
	}
	for _, k := range []string{"customer", "company"} {
		if id := cur.rel(k); id != "" {
			out[k] = id
		}
	}
	for k, v := range changes {
		if k == "custom" {
			merged := map[string]any{}
			if old, ok := out["custom"].(map[string]any); ok {
				for ck, cv := range old {
					merged[ck] = cv
				}
			}
			if nv, ok := v.(map[string]any); ok {
				for ck, cv := range nv {
					merged[ck] = cv
				}
			}
			out[k] = merged
			continue
		}
		out[k] = v
	}
	return out
}

// writeBody turns fields into a create or update body: dotted paths become
// nested objects (custom.tierStr → {"custom":{"tierStr":…}}), and for
// customers and companies email and phone become one-entry emails and
// phones lists. Values go as given: JSON encoding keeps each one a value.
func writeBody(op string, o object, fields map[string]any) (map[string]any, error) {
	body := map[string]any{}
	for _, k := range sortedKeys(fields) {
		if !validPath(k) {
			return nil, crm.Refusal(op, "fields."+k, "field %s is not a Kustomer attribute name or dotted path", quoteName(k))
		}
		v := fields[k]
		if o.entity == entCustomer || o.entity == entCompany {
			if list, key, ok := shorthand(k); ok {
				if _, both := fields[list]; both {
					return nil, crm.Refusal(op, "fields."+k, "give either %s or %s, not both", k, list)
				}
				s, isText := v.(string)
				if !isText || strings.TrimSpace(s) == "" {
					return nil, crm.Refusal(op, "fields."+k, "field %s must be a non-empty string", k)
				}
				body[list] = []any{map[string]any{key: s}}
				continue
			}
		}
		if err := setPath(body, strings.Split(k, "."), v); err != nil {
			return nil, crm.Refusal(op, "fields."+k, "field %s: %v", k, err)
		}
	}
	return body, nil
}

func shorthand(field string) (list, key string, ok bool) {
	switch field {
	case "email":
		return "emails", "email", true
	case "phone":
		return "phones", "phone", true
	}
	return "", "", false
}

func setPath(m map[string]any, segs []string, v any) error {
	for _, s := range segs[:len(segs)-1] {
		next, ok := m[s]
		if !ok {
			child := map[string]any{}
			m[s] = child
			m = child
			continue
		}
		child, ok := next.(map[string]any)
		if !ok {
			return fmt.Errorf("%s is set both as a value and as an object", s)
		}
		// A copy, so that the caller's map is never written to.
		child = maps.Clone(child)
		m[s] = child
		m = child
	}
	last := segs[len(segs)-1]
	if _, taken := m[last]; taken {
		return fmt.Errorf("%s is set twice", last)
	}
	m[last] = v
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
