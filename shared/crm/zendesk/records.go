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
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// resource is a Zendesk resource type: its canonical entity name, its
// collection path below /api/v2/ and the JSON root of one record.
type resource struct {
	entity string
	plural string // users, tickets, custom_objects/{key}/records
	root   string // user, ticket, custom_object_record
	// customKey is the custom object's key, "" for a standard resource.
	customKey string
	// show are the fields a search shows when the mapping names none.
	show []string
}

func (r resource) custom() bool { return r.customKey != "" }

// validID checks a record id of the resource before it enters a path:
// standard records have positive integer ids, custom object records
// string ids (26-character ULIDs in Zendesk's examples).
func (r resource) validID(id string) bool {
	if r.custom() {
		return customIDRe.MatchString(id)
	}
	return idRe.MatchString(id)
}

// idShape says what validID takes, for its refusals.
func (r resource) idShape() string {
	if r.custom() {
		return "a custom object record id (letters and digits)"
	}
	return "a positive integer"
}

var standard = map[string]resource{
	entUser:         {entity: entUser, plural: "users", root: entUser, show: []string{"name", "email", "phone", "role", "organization_id"}},
	entTicket:       {entity: entTicket, plural: "tickets", root: entTicket, show: []string{"subject", "status", "priority", "requester_id", "updated_at"}},
	entOrganization: {entity: entOrganization, plural: "organizations", root: entOrganization, show: []string{"name", "details", "external_id"}},
}

var (
	// idRe is a Zendesk record id: a positive integer.
	idRe = lazyre.New(`^[1-9][0-9]{0,18}$`)
	// customIDRe is a custom object record id.
	customIDRe = lazyre.New(`^[0-9A-Za-z]{1,64}$`)
	// segment is one part of a dotted field path (user_fields.job_title, custom_fields.360001).
	segment = lazyre.New(`^[A-Za-z0-9_]+$`)
	// customField is the search keyword form of a ticket custom field.
	customField = lazyre.New(`^custom_field_([1-9][0-9]{0,18})$`)
)

func validID(id string) bool { return idRe.MatchString(id) }

// checkEntity resolves the entity an action was given ("entity").
func checkEntity(op, entity string) (resource, error) {
	return resolve(op, "entity", entity)
}

// checkRef resolves a reference named at prefix ("" for the action's own
// record, "links[0]." for a link) and checks its id.
func checkRef(op, prefix string, ref crm.Ref) (resource, error) {
	r, err := resolve(op, prefix+"entity", ref.Entity)
	if err != nil {
		return r, err
	}
	if !r.validID(ref.ID) {
		return r, crm.Refusal(op, prefix+"id", "%s is not a Zendesk %s id (%s)", crm.QuoteName(ref.ID), r.entity, r.idShape())
	}
	return r, nil
}

// checkLinks checks every link of a write.
func checkLinks(op string, links []crm.Ref) ([]crm.Ref, error) {
	out := make([]crm.Ref, 0, len(links))
	for i, l := range links {
		r, err := checkRef(op, fmt.Sprintf("links[%d].", i), l)
		if err != nil {
			return nil, err
		}
		out = append(out, crm.Ref{Entity: r.entity, ID: l.ID})
	}
	return out, nil
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

// checkFields checks the field names of a list named at field ("fields").
func checkFields(op, field string, fields []string) error {
	for i, f := range fields {
		if !validPath(f) {
			return crm.Refusal(op, fmt.Sprintf("%s[%d]", field, i), "%s is not a Zendesk attribute path (name, user_fields.job_title)", crm.QuoteName(f))
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
func (c *connector) record(res resource, o object, fields []string) crm.Record {
	rec := crm.Record{Entity: res.entity, ID: o.id(), Display: o.display(res.entity), Fields: map[string]any{}}
	rec.URL = c.RecordURL(crm.Ref{Entity: res.entity, ID: rec.ID})
	if t, err := time.Parse(time.RFC3339, text(o["updated_at"])); err == nil {
		rec.Updated = t.UTC()
	}
	for _, f := range fields {
		if v, ok := res.lookup(o, f); ok {
			rec.Fields[f] = portable(v)
		}
	}
	return rec
}

// lookup reads a field of a record of res: on custom object records a
// bare name that is no record attribute is a custom field
// (custom_object_fields.{name}).
func (r resource) lookup(o object, path string) (any, bool) {
	if v, ok := o.lookup(path); ok || !r.custom() || strings.Contains(path, ".") {
		return v, ok
	}
	return o.lookup("custom_object_fields." + path)
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

// body builds {"<root>": attributes} from portable fields: dotted paths
// become nested objects, custom_fields.<id> on tickets becomes Zendesk's
// [{"id","value"}] list, and on custom object records every name but the
// record attributes (name, external_id, photo) goes into
// custom_object_fields.
func body(op string, res resource, fields map[string]any) (map[string]any, error) {
	attrs := map[string]any{}
	var custom []any
	for _, name := range sortedKeys(fields) {
		field := "fields." + name
		if !validPath(name) {
			return nil, crm.Refusal(op, field, "%s is not a Zendesk attribute path (name, user_fields.job_title)", crm.QuoteName(name))
		}
		v := fields[name]
		path := name
		switch {
		case res.entity == entTicket:
			if m := customField.FindStringSubmatch(path); m != nil {
				path = "custom_fields." + m[1]
			}
			if id, ok := strings.CutPrefix(path, "custom_fields."); ok {
				if !idRe.MatchString(id) {
					return nil, crm.Refusal(op, field, "%s: ticket custom fields are named by their numeric id (custom_fields.360001)", crm.QuoteName(name))
				}
				custom = append(custom, map[string]any{"id": json.Number(id), "value": v})
				continue
			}
		case res.custom() && !strings.Contains(path, ".") && !customRecordAttrs[path]:
			path = "custom_object_fields." + path
		}
		parts := strings.Split(path, ".")
		cur := attrs
		for i, p := range parts {
			if i == len(parts)-1 {
				if _, taken := cur[p]; taken {
					return nil, crm.Refusal(op, field, "field %s is given twice", crm.QuoteName(name))
				}
				cur[p] = v
				break
			}
			next, ok := cur[p].(map[string]any)
			if !ok {
				if _, taken := cur[p]; taken {
					return nil, crm.Refusal(op, field, "field %s conflicts with %s", crm.QuoteName(name), crm.QuoteName(p))
				}
				next = map[string]any{}
				cur[p] = next
			}
			cur = next
		}
	}
	if custom != nil {
		if _, given := attrs["custom_fields"]; given {
			return nil, crm.Refusal(op, "fields.custom_fields", "custom_fields is given twice")
		}
		attrs["custom_fields"] = custom
	}
	return map[string]any{res.root: attrs}, nil
}

// customRecordAttrs are the writable attributes of a custom object record
// itself (Zendesk's Custom Object Records JSON format); every other field
// is one of the object's custom fields.
var customRecordAttrs = map[string]bool{"name": true, "external_id": true, "photo": true, "custom_object_fields": true}

// one sends a call answered with {"<root>": {...}}.
func (c *connector) one(ctx context.Context, cl crmhttp.Call, res resource) (object, error) {
	var env map[string]json.RawMessage
	r, err := c.api.Do(ctx, cl, &env)
	if err != nil {
		return nil, err
	}
	var o object
	if err := decode(cl.Op, &crmhttp.Reply{Status: r.Status, Body: env[res.root]}, &o); err != nil || o == nil || !res.validID(o.id()) {
		return nil, &crm.Error{Code: crm.Internal, Op: cl.Op, Status: r.Status, Message: "Zendesk answered without the " + res.root}
	}
	return o, nil
}

// recordPath is the path of one record of res.
func recordPath(res resource, id string) string {
	if res.custom() {
		return res.plural + "/" + id
	}
	return res.plural + "/" + id + ".json"
}

// collectionPath is the path of res's collection.
func collectionPath(res resource) string {
	if res.custom() {
		return res.plural
	}
	return res.plural + ".json"
}

// Get reads one record with the asked fields.
func (c *connector) Get(ctx context.Context, ref crm.Ref, fields []string) (crm.Record, error) {
	op := "zendesk: get " + ref.Entity
	res, err := checkRef(op, "", ref)
	if err != nil {
		return crm.Record{}, err
	}
	if err := checkFields(op, "fields", fields); err != nil {
		return crm.Record{}, err
	}
	if len(fields) == 0 {
		fields = res.show
	}
	o, err := c.one(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: recordPath(res, ref.ID)}, res)
	if err != nil {
		return crm.Record{}, err
	}
	return c.record(res, o, fields), nil
}

// Create makes a record (POST → 201 {"<root>": {...}}) and returns it with
// the fields it was given, as Zendesk stored them. A ticket needs
// comment.body, its first comment and description; a custom object record
// its name (unless the object numbers its records).
func (c *connector) Create(ctx context.Context, entity string, fields map[string]any) (crm.Record, error) {
	op := "zendesk: create " + entity
	res, err := checkEntity(op, entity)
	if err != nil {
		return crm.Record{}, err
	}
	return c.create(ctx, op, res, fields)
}

func (c *connector) create(ctx context.Context, op string, res resource, fields map[string]any) (crm.Record, error) {
	b, err := body(op, res, fields)
	if err != nil {
		return crm.Record{}, err
	}
	o, err := c.one(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: collectionPath(res), Body: b}, res)
	if err != nil {
		return crm.Record{}, err
	}
	names := sortedKeys(fields)
	names = slices.DeleteFunc(names, func(n string) bool { return res.entity == entTicket && strings.HasPrefix(n, "comment") })
	return c.record(res, o, names), nil
}

// Update writes fields: PUT for users, tickets and organizations, PATCH
// for custom object records (their only update); neither creates (404 →
// NotFound).
func (c *connector) Update(ctx context.Context, ref crm.Ref, fields map[string]any) error {
	op := "zendesk: update " + ref.Entity
	res, err := checkRef(op, "", ref)
	if err != nil {
		return err
	}
	return c.update(ctx, op, res, ref.ID, fields)
}

func (c *connector) update(ctx context.Context, op string, res resource, id string, fields map[string]any) error {
	b, err := body(op, res, fields)
	if err != nil {
		return err
	}
	method := http.MethodPut
	if res.custom() {
		method = http.MethodPatch
	}
	_, err = c.one(ctx, crmhttp.Call{Op: op, Method: method, Path: recordPath(res, id), Body: b}, res)
	return err
}
