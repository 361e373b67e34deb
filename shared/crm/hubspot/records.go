package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// hsObject is a record as HubSpot answers it. Property values are strings
// or null.
type hsObject struct {
	ID         string         `json:"id"`
	Properties map[string]any `json:"properties"`
	UpdatedAt  string         `json:"updatedAt"`
}

// nameProperties make up a record's display name, by object type id.
var nameProperties = map[string][]string{
	typeContact: {"firstname", "lastname", "email"}, typeCompany: {"name", "domain"}, typeDeal: {"dealname"},
	typeTicket: {"subject"}, typeCall: {"hs_call_title"}, typeNote: {"hs_note_body"}, typeTask: {"hs_task_subject"},
	typeMeeting: {"hs_meeting_title"}, typeEmail: {"hs_email_subject"}, "0-7": {"name"}, "0-8": {"name"}, "0-14": {"hs_title"},
}

// customName is the name property custom objects usually have; HubSpot
// ignores requested properties an object lacks.
var customName = []string{"name"}

// defaultFields are shown on the card when a mapping names none.
var defaultFields = map[string][]string{
	typeContact: {"firstname", "lastname", "email", "phone", "mobilephone", "company"},
	typeCompany: {"name", "domain", "phone", "city"},
	typeDeal:    {"dealname", "amount", "dealstage", "closedate"},
	typeTicket:  {"subject", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority"},
	typeCall:    {"hs_call_title", "hs_timestamp", "hs_call_direction"},
	typeNote:    {"hs_note_body", "hs_timestamp"},
	typeTask:    {"hs_task_subject", "hs_task_status", "hs_timestamp"},
}

func names(typeID string) []string {
	if n, ok := nameProperties[typeID]; ok {
		return n
	}
	return customName
}

func fieldsOrDefault(typeID string, fields []string) []string {
	if len(fields) > 0 {
		return fields
	}
	return defaultFields[typeID]
}

// readList is what a read asks for: the name properties and the shown
// fields, each once.
func readList(typeID string, fields []string) []string {
	var out []string
	for _, n := range append(slices.Clone(names(typeID)), fields...) {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// toRecord converts an answer; show lists the fields the record carries.
// p may be nil (no account details): the record then has no URL.
func (p *portal) toRecord(o object, h hsObject, show []string) crm.Record {
	rec := crm.Record{Entity: o.entity, ID: h.ID, URL: p.recordURL(o, h.ID), Fields: map[string]any{}}
	rec.Display = display(o, h)
	if t, err := time.Parse(time.RFC3339Nano, h.UpdatedAt); err == nil {
		rec.Updated = t.UTC()
	}
	for _, f := range show {
		rec.Fields[f] = h.Properties[f]
	}
	return rec
}

// display is the record's name: a contact's first and last name (or
// email), a company's name (or domain), a ticket's subject…, else the
// object and id.
func display(o object, h hsObject) string {
	text := func(k string) string {
		s, _ := h.Properties[k].(string)
		return strings.TrimSpace(s)
	}
	if o.typeID == typeContact {
		if n := strings.TrimSpace(text("firstname") + " " + text("lastname")); n != "" {
			return n
		}
	}
	for _, k := range names(o.typeID) {
		if v := text(k); v != "" {
			if r := []rune(v); len(r) > 120 {
				v = string(r[:120]) + "…"
			}
			return v
		}
	}
	return o.entity + " " + h.ID
}

// Get reads one record; without fields it shows every property HubSpot
// answers with (the object's defaults).
func (c *connector) Get(ctx context.Context, ref crm.Ref, fields []string) (crm.Record, error) {
	const op = "hubspot: get record"
	o, err := checkRef(op, ref)
	if err != nil {
		return crm.Record{}, err
	}
	if err := checkProperties(op, "fields", fields); err != nil {
		return crm.Record{}, err
	}
	q := url.Values{}
	if len(fields) > 0 {
		q.Set("properties", strings.Join(readList(o.typeID, fields), ","))
	}
	var h hsObject
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op + " " + o.entity, Method: http.MethodGet, Path: objectPath(o, ref.ID), Query: q.Encode()}, &h); err != nil {
		return crm.Record{}, err
	}
	show := fields
	if len(show) == 0 {
		show = sortedKeys(h.Properties)
	}
	return c.portal(ctx).toRecord(o, h, show), nil
}

// Create makes one record: POST /crm/v3/objects/{type}, answered 201 with it.
func (c *connector) Create(ctx context.Context, entity string, fields map[string]any) (crm.Record, error) {
	const op = "hubspot: create"
	o, err := resolve(op, entity)
	if err != nil {
		return crm.Record{}, err
	}
	props, err := propertyValues(op, fields)
	if err != nil {
		return crm.Record{}, err
	}
	h, err := c.insert(ctx, op+" "+o.entity, o, props, nil)
	if err != nil {
		return crm.Record{}, err
	}
	return c.portal(ctx).toRecord(o, h, sortedKeys(fields)), nil
}

// createBody is a create: properties and inline associations.
type createBody struct {
	Properties   map[string]string `json:"properties"`
	Associations []association     `json:"associations,omitempty"`
}

type association struct {
	To struct {
		ID string `json:"id"`
	} `json:"to"`
	Types []associationSpec `json:"types"`
}

type associationSpec struct {
	Category string `json:"associationCategory"`
	TypeID   int    `json:"associationTypeId"`
}

func (c *connector) insert(ctx context.Context, op string, o object, props map[string]string, assoc []association) (hsObject, error) {
	var h hsObject
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: objectPath(o, ""),
		Body: createBody{Properties: props, Associations: assoc}}, &h)
	if err != nil {
		return hsObject{}, err
	}
	if !recordIDShape.MatchString(h.ID) {
		return hsObject{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "create answered without a record id"}
	}
	return h, nil
}

// Update writes fields into one record: PATCH, answered 200 (404 when the
// record does not exist; HubSpot's PATCH never creates).
func (c *connector) Update(ctx context.Context, ref crm.Ref, fields map[string]any) error {
	const op = "hubspot: update"
	o, err := checkRef(op, ref)
	if err != nil {
		return err
	}
	props, err := propertyValues(op, fields)
	if err != nil {
		return err
	}
	_, err = c.api.Do(ctx, crmhttp.Call{Op: op + " " + o.entity, Method: http.MethodPatch, Path: objectPath(o, ref.ID),
		Body: map[string]any{"properties": props}}, nil)
	return err
}

// propertyValues converts fields to HubSpot's string property values:
// numbers in full, booleans as true/false, null as "" (which clears), and
// a list of scalars as the ;-separated form multiple checkboxes take.
func propertyValues(op string, fields map[string]any) (map[string]string, error) {
	out := make(map[string]string, len(fields))
	for _, k := range sortedKeys(fields) {
		if !validProperty(k) {
			return nil, crm.Refusal(op, "fields."+k, "%s is not a HubSpot property name (flat names such as firstname, hs_pipeline_stage)", quoteName(k))
		}
		v, err := propertyText(fields[k])
		if err != nil {
			return nil, crm.Refusal(op, "fields."+k, "property %s: %v", k, err)
		}
		out[k] = v
	}
	return out, nil
}

func propertyText(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if _, nested := e.([]any); nested {
				return "", fmt.Errorf("lists cannot be nested")
			}
			s, err := propertyText(e)
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ";"), nil
	}
	s, err := scalarText(v)
	if err != nil {
		return "", fmt.Errorf("%w, or a list of them", err)
	}
	return s, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
