package zendesk

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

var _ crm.Inspector = (*connector)(nil)

// maxFieldPages bounds how many pages of a field list Describe reads
// (100 fields a page; a custom object has at most 100 custom fields).
const maxFieldPages = 10

// Ping reads the authenticated user, GET /api/v2/users/me. Zendesk answers
// it to anonymous callers too, with a user whose id is null, so a null id
// means the credentials were not taken.
func (c *connector) Ping(ctx context.Context) error {
	const op = "zendesk: ping"
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: "users/me.json"}, nil)
	if err != nil {
		return err
	}
	var me struct {
		User *struct {
			ID json.RawMessage `json:"id"`
		} `json:"user"`
	}
	if json.Unmarshal(r.Body, &me) != nil || me.User == nil {
		return &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Zendesk answered no user"}
	}
	if id := string(me.User.ID); id == "" || id == "null" {
		return &crm.Error{Code: crm.Unauthenticated, Op: op, Status: r.Status,
			Message: "Zendesk answered the anonymous user: the credentials were not accepted"}
	}
	return nil
}

// Sample reads one record of entity: the first page of one record of the
// resource's list (GET /api/v2/users.json?page[size]=1, tickets,
// organizations, custom_objects/{key}/records), cursor pagination.
func (c *connector) Sample(ctx context.Context, entity string) (crm.Record, bool, error) {
	op := "zendesk: sample " + entity
	res, err := checkEntity(op, entity)
	if err != nil {
		return crm.Record{}, false, err
	}
	var env map[string]json.RawMessage
	q := url.Values{"page[size]": {"1"}}
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: collectionPath(res), Query: q.Encode()}, &env)
	if err != nil {
		return crm.Record{}, false, err
	}
	list := res.plural
	if res.custom() {
		list = "custom_object_records"
	}
	var objs []object
	if raw, ok := env[list]; ok {
		if err := decode(op, &crmhttp.Reply{Status: r.Status, Body: raw}, &objs); err != nil {
			return crm.Record{}, false, err
		}
	}
	for _, o := range objs {
		if res.validID(o.id()) {
			return c.record(res, o, res.show), true, nil
		}
	}
	return crm.Record{}, false, nil
}

// fieldDef is one entry of a Zendesk field list (ticket_fields,
// user_fields, organization_fields, custom_objects/{key}/fields).
type fieldDef struct {
	ID     json.Number `json:"id"`
	Key    string      `json:"key"`
	Type   string      `json:"type"`
	Title  string      `json:"title"`
	Active *bool       `json:"active"`
}

// systemTicketFields maps the types of the system ticket fields
// GET /api/v2/ticket_fields lists to the ticket attribute they stand for.
var systemTicketFields = map[string]string{
	"subject": "subject", "description": "comment.body", "status": "status", "tickettype": "type",
	"priority": "priority", "group": "group_id", "assignee": "assignee_id", "custom_status": "custom_status_id",
}

// builtIn are the standard attributes of each resource (the Support API's
// JSON format tables) that no field list names: users' and organizations'
// own attributes, and a ticket's requester, organization and tags.
var builtIn = map[string][]crm.FieldMeta{
	entUser: {{Name: "name", Label: "Name", Type: "string"}, {Name: "email", Label: "Email", Type: "string"},
		{Name: "phone", Label: "Phone", Type: "string"}, {Name: "role", Label: "Role", Type: "string"},
		{Name: "organization_id", Label: "Organization", Type: "integer"}, {Name: "external_id", Label: "External ID", Type: "string"},
		{Name: "tags", Label: "Tags", Type: "array"}, {Name: "notes", Label: "Notes", Type: "string"},
		{Name: "details", Label: "Details", Type: "string"}, {Name: "time_zone", Label: "Time zone", Type: "string"},
		{Name: "locale", Label: "Locale", Type: "string"}, {Name: "alias", Label: "Alias", Type: "string"},
		{Name: "verified", Label: "Verified", Type: "boolean"}, {Name: "shared_phone_number", Label: "Shared phone number", Type: "boolean"},
		{Name: "created_at", Label: "Created", Type: "date"}, {Name: "updated_at", Label: "Updated", Type: "date"}},
	entTicket: {{Name: "requester_id", Label: "Requester", Type: "integer"}, {Name: "submitter_id", Label: "Submitter", Type: "integer"},
		{Name: "organization_id", Label: "Organization", Type: "integer"}, {Name: "tags", Label: "Tags", Type: "array"},
		{Name: "external_id", Label: "External ID", Type: "string"}, {Name: "due_at", Label: "Due", Type: "date"},
		{Name: "comment.public", Label: "Public comment", Type: "boolean"}, {Name: "description", Label: "Description", Type: "string"},
		{Name: "created_at", Label: "Created", Type: "date"}, {Name: "updated_at", Label: "Updated", Type: "date"}},
	entOrganization: {{Name: "name", Label: "Name", Type: "string"}, {Name: "external_id", Label: "External ID", Type: "string"},
		{Name: "details", Label: "Details", Type: "string"}, {Name: "notes", Label: "Notes", Type: "string"},
		{Name: "domain_names", Label: "Domains", Type: "array"}, {Name: "tags", Label: "Tags", Type: "array"},
		{Name: "group_id", Label: "Group", Type: "integer"}, {Name: "shared_tickets", Label: "Shared tickets", Type: "boolean"},
		{Name: "created_at", Label: "Created", Type: "date"}, {Name: "updated_at", Label: "Updated", Type: "date"}},
}

// Describe reads entity's fields from the account's field lists, with
// their titles as labels: GET /api/v2/ticket_fields (system fields as the
// attributes they stand for, custom ones as custom_fields.{id}),
// /api/v2/user_fields and /api/v2/organization_fields (user_fields.{key},
// organization_fields.{key}) beside the resource's standard attributes,
// and /api/v2/custom_objects/{key}/fields?include_standard_fields=true for
// a custom object (standard::name and standard::external_id as name and
// external_id, the others as custom_object_fields.{key} and as the bare
// key). Inactive fields are left out.
func (c *connector) Describe(ctx context.Context, entity string) (crm.EntityMeta, error) {
	op := "zendesk: describe " + entity
	res, err := checkEntity(op, entity)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	meta := crm.EntityMeta{Entity: res.entity}
	var path, list string
	var query url.Values
	switch res.entity {
	case entTicket:
		meta.Label, path, list = "Ticket", "ticket_fields.json", "ticket_fields"
	case entUser:
		meta.Label, path, list = "User", "user_fields.json", "user_fields"
	case entOrganization:
		meta.Label, path, list = "Organization", "organization_fields.json", "organization_fields"
	default:
		meta.Label, path, list = res.customKey, "custom_objects/"+res.customKey+"/fields", "custom_object_fields"
		query = url.Values{"include_standard_fields": {"true"}}
	}
	defs, err := c.fieldList(ctx, op, path, query, list)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	meta.Fields = append(meta.Fields, builtIn[res.entity]...)
	seen := map[string]bool{}
	for _, f := range meta.Fields {
		seen[f.Name] = true
	}
	for _, d := range defs {
		if d.Active != nil && !*d.Active {
			continue
		}
		name := fieldName(res, d)
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		meta.Fields = append(meta.Fields, crm.FieldMeta{Name: name, Label: d.Title, Type: d.Type})
		// A custom object record's custom field is also taken by its bare
		// key (body, resource.lookup): list it so, too, for mapping checks.
		if key, ok := strings.CutPrefix(name, "custom_object_fields."); ok && res.custom() && !seen[key] && !customRecordAttrs[key] {
			seen[key] = true
			meta.Fields = append(meta.Fields, crm.FieldMeta{Name: key, Label: d.Title, Type: d.Type})
		}
	}
	sort.Slice(meta.Fields, func(i, j int) bool { return meta.Fields[i].Name < meta.Fields[j].Name })
	return meta, nil
}

// fieldName is the driver's name of a listed field on res, "" when the
// entry names nothing the driver can address.
func fieldName(res resource, d fieldDef) string {
	switch {
	case res.entity == entTicket:
		if attr, ok := systemTicketFields[d.Type]; ok {
			return attr
		}
		if idRe.MatchString(d.ID.String()) {
			return "custom_fields." + d.ID.String()
		}
	case res.custom():
		switch d.Key {
		case "standard::name":
			return "name"
		case "standard::external_id":
			return "external_id"
		}
		if segment.MatchString(d.Key) {
			return "custom_object_fields." + d.Key
		}
	case segment.MatchString(d.Key):
		return res.entity + "_fields." + d.Key
	}
	return ""
}

// fieldList reads a field list, following next_page on the same list.
func (c *connector) fieldList(ctx context.Context, op, path string, query url.Values, list string) ([]fieldDef, error) {
	cl := crmhttp.Call{Op: op, Method: http.MethodGet, Path: path, Query: query.Encode()}
	var out []fieldDef
	for page := 0; page < maxFieldPages; page++ {
		var env map[string]json.RawMessage
		r, err := c.api.Do(ctx, cl, &env)
		if err != nil {
			return nil, err
		}
		raw, ok := env[list]
		if !ok {
			return nil, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Zendesk answered no " + list}
		}
		var defs []fieldDef
		if err := decode(op, &crmhttp.Reply{Status: r.Status, Body: raw}, &defs); err != nil {
			return nil, err
		}
		out = append(out, defs...)
		var next string
		if n, ok := env["next_page"]; ok {
			_ = json.Unmarshal(n, &next)
		}
		if next == "" || len(defs) == 0 {
			break
		}
		if !c.onAccount(next, strings.TrimSuffix(path, ".json")) {
			return nil, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Zendesk's next page link leaves the account"}
		}
		cl = crmhttp.Call{Op: op, Method: http.MethodGet, Next: next}
	}
	return out, nil
}
