package zendesk

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
)

// resource is a Zendesk resource type: its entity name (the search type:
// value and JSON root) and its path segment.
type resource struct {
	entity string
	plural string
	// show are the fields a search shows when the mapping names none.
	show []string
}

var resources = map[string]resource{
	"user":         {entity: "user", plural: "users", show: []string{"name", "email", "phone", "role", "organization_id"}},
	"ticket":       {entity: "ticket", plural: "tickets", show: []string{"subject", "status", "priority", "requester_id", "updated_at"}},
	"organization": {entity: "organization", plural: "organizations", show: []string{"name", "details", "external_id"}},
}

var (
	// idRe is a Zendesk record id: a positive integer.
	idRe = lazyre.New(`^[1-9][0-9]{0,18}$`)
	// segment is one part of a dotted field path (user_fields.job_title, custom_fields.360001).
	segment = lazyre.New(`^[A-Za-z0-9_]+$`)
	// customField is the search keyword form of a ticket custom field.
	customField = lazyre.New(`^custom_field_([1-9][0-9]{0,18})$`)
)

func validID(id string) bool { return idRe.MatchString(id) }

func checkEntity(op, entity string) (resource, error) {
	r, ok := resources[entity]
	if !ok {
		return resource{}, &crm.Error{Code: crm.InvalidArgument, Op: op,
			Message: fmt.Sprintf("entity %q is not a Zendesk resource (user, ticket, organization)", entity)}
	}
	return r, nil
}

func checkRef(op string, ref crm.Ref) (resource, error) {
	r, err := checkEntity(op, ref.Entity)
	if err != nil {
		return r, err
	}
	if !validID(ref.ID) {
		return r, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf("id %q is not a Zendesk id", ref.ID)}
	}
	return r, nil
}

// validPath reports whether name is a field path the driver may use.
func validPath(name string) bool {
	if !crm.ValidField(name) {
		return false
	}
	for s := range strings.SplitSeq(name, ".") {
		if !segment.MatchString(s) {
			return false
		}
	}
	return true
}

func checkFields(op string, fields []string) error {
	for _, f := range fields {
		if !validPath(f) {
			return &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf("field %q is not a Zendesk attribute path", f)}
		}
	}
	return nil
}

// object is a resource as Zendesk answers it.
type object map[string]any

// lookup reads a dotted path: nested objects (user_fields.job_title), a
// ticket custom field by id (custom_fields.360001 or custom_field_360001).
func (o object) lookup(path string) (any, bool) {
	if m := customField.FindStringSubmatch(path); m != nil {
		path = "custom_fields." + m[1]
	}
	var cur any = map[string]any(o)
	for s := range strings.SplitSeq(path, ".") {
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[s]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			found := false
			for _, e := range x {
				if m, ok := e.(map[string]any); ok && text(m["id"]) == s {
					cur, found = m["value"], true
					break
				}
			}
			if !found {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return cur, true
}

// text renders a JSON value as text ("" for null).
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// id reads the record's id.
func (o object) id() string { return text(o["id"]) }

// display names a record for the agent: "#42 Printer on fire" for tickets,
// the name for users and organizations.
func (o object) display(entity string) string {
	if entity == "ticket" {
		if s := text(o["subject"]); s != "" {
			return "#" + o.id() + " " + s
		}
		return "#" + o.id()
	}
	if n := text(o["name"]); n != "" {
		return n
	}
	return o.id()
}

// record turns an answer into a portable record with the asked fields.
func (c *connector) record(entity string, o object, fields []string) crm.Record {
	rec := crm.Record{Entity: entity, ID: o.id(), Display: o.display(entity), Fields: map[string]any{}}
	rec.URL = c.RecordURL(crm.Ref{Entity: entity, ID: rec.ID})
	if t, err := time.Parse(time.RFC3339, text(o["updated_at"])); err == nil {
		rec.Updated = t.UTC()
	}
	for _, f := range fields {
		if v, ok := o.lookup(f); ok {
			rec.Fields[f] = portable(v)
		}
	}
	return rec
}

// portable turns json.Numbers into text (ids) so records hold plain values.
func portable(v any) any {
	switch x := v.(type) {
	case json.Number:
		return x.String()
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = portable(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = portable(e)
		}
		return out
	}
	return v
}

// body builds {"<entity>": attributes} from portable fields: dotted paths
// become nested objects, and custom_fields.<id> on tickets becomes
// Zendesk's [{"id","value"}] list.
func body(op, entity string, fields map[string]any) (map[string]any, error) {
	attrs := map[string]any{}
	var custom []any
	for _, name := range sortedKeys(fields) {
		if !validPath(name) {
			return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf("field %q is not a Zendesk attribute path", name)}
		}
		v := fields[name]
		if entity == "ticket" {
			if m := customField.FindStringSubmatch(name); m != nil {
				name = "custom_fields." + m[1]
			}
			if id, ok := strings.CutPrefix(name, "custom_fields."); ok {
				if !idRe.MatchString(id) {
					return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf("field %q: custom field ids are numbers", name)}
				}
				custom = append(custom, map[string]any{"id": json.Number(id), "value": v})
				continue
			}
		}
		parts := strings.Split(name, ".")
		cur := attrs
		for i, p := range parts {
			if i == len(parts)-1 {
				if _, taken := cur[p]; taken {
					return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf("field %q is given twice", name)}
				}
				cur[p] = v
				break
			}
			next, ok := cur[p].(map[string]any)
			if !ok {
				if _, taken := cur[p]; taken {
					return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf("field %q conflicts with %q", name, p)}
				}
				next = map[string]any{}
				cur[p] = next
			}
			cur = next
		}
	}
	if custom != nil {
		if _, given := attrs["custom_fields"]; given {
			return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "custom_fields is given twice"}
		}
		attrs["custom_fields"] = custom
	}
	return map[string]any{entity: attrs}, nil
}

// one sends a call answered with {"<entity>": {...}}.
func (c *connector) one(ctx context.Context, cl call, entity string) (object, error) {
	r, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	var env map[string]json.RawMessage
	if err := decode(cl.op, r, &env); err != nil {
		return nil, err
	}
	var o object
	if err := decode(cl.op, &reply{Status: r.Status, Body: env[entity]}, &o); err != nil || o == nil || !validID(o.id()) {
		return nil, &crm.Error{Code: crm.Internal, Op: cl.op, Status: r.Status, Message: "Zendesk answered without the " + entity}
	}
	return o, nil
}

// Get reads one record with the asked fields.
func (c *connector) Get(ctx context.Context, ref crm.Ref, fields []string) (crm.Record, error) {
	op := "zendesk: get " + ref.Entity
	res, err := checkRef(op, ref)
	if err != nil {
		return crm.Record{}, err
	}
	if err := checkFields(op, fields); err != nil {
		return crm.Record{}, err
	}
	if len(fields) == 0 {
		fields = res.show
	}
	o, err := c.one(ctx, call{op: op, method: http.MethodGet, path: res.plural + "/" + ref.ID + ".json"}, res.entity)
	if err != nil {
		return crm.Record{}, err
	}
	return c.record(res.entity, o, fields), nil
}

// Create makes a record (POST → 201 {"<entity>": {...}}) and returns it
// with the fields it was given, as Zendesk stored them. A ticket needs
// comment.body, its first comment and description.
func (c *connector) Create(ctx context.Context, entity string, fields map[string]any) (crm.Record, error) {
	op := "zendesk: create " + entity
	res, err := checkEntity(op, entity)
	if err != nil {
		return crm.Record{}, err
	}
	b, err := body(op, res.entity, fields)
	if err != nil {
		return crm.Record{}, err
	}
	o, err := c.one(ctx, call{op: op, method: http.MethodPost, path: res.plural + ".json", body: b}, res.entity)
	if err != nil {
		return crm.Record{}, err
	}
	names := sortedKeys(fields)
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "comment") })
	return c.record(res.entity, o, names), nil
}

// Update writes fields with PUT, which never creates (404 → NotFound).
func (c *connector) Update(ctx context.Context, ref crm.Ref, fields map[string]any) error {
	op := "zendesk: update " + ref.Entity
	res, err := checkRef(op, ref)
	if err != nil {
		return err
	}
	b, err := body(op, res.entity, fields)
	if err != nil {
		return err
	}
	_, err = c.one(ctx, call{op: op, method: http.MethodPut, path: res.plural + "/" + ref.ID + ".json", body: b}, res.entity)
	return err
}
