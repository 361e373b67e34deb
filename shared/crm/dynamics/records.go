package dynamics

import (
	"context"
	"github.com/crmflow/crmflow/shared/lazyre"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// Get reads one record; without fields it shows every column Dataverse returns.
func (c *connector) Get(ctx context.Context, ref crm.Ref, fields []string) (crm.Record, error) {
	const op = "dynamics: get record"
	ref, err := resolveRef(op, "", ref)
	if err != nil {
		return crm.Record{}, err
	}
	if err := checkColumns(op, "fields", fields); err != nil {
		return crm.Record{}, err
	}
	var opts queryOptions
	if len(fields) > 0 {
		opts.selects = selectList(ref.Entity, fields)
	}
	var raw map[string]any
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op + " " + ref.Entity, Method: http.MethodGet, Path: recordPath(ref),
		Query: opts.encode()}, &raw); err != nil {
		return crm.Record{}, err
	}
	show := fields
	if len(show) == 0 {
		for _, k := range slices.Sorted(maps.Keys(raw)) {
			if !strings.Contains(k, "@") {
				show = append(show, k)
			}
		}
	}
	return c.toRecord(ref.Entity, raw, show), nil
}

// selectList is what a read selects: the key, the name columns, the shown
// fields and modifiedon, each once. A prefixed table's name column is only a
// convention ({prefix}_name), so it is read only when the fields name it.
func selectList(entity string, fields []string) []string {
	sel := []string{primaryKey(entity)}
	if !isCustom(entity) {
		sel = append(sel, nameColumns(entity)...)
	}
	sel = append(sel, fields...)
	sel = append(sel, "modifiedon")
	out := make([]string, 0, len(sel))
	for _, s := range sel {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Create makes one record. Dataverse answers 204 with the new row's address
// in OData-EntityId; the id is read from there (no read-back).
func (c *connector) Create(ctx context.Context, entity string, fields map[string]any) (crm.Record, error) {
	const op = "dynamics: create"
	entity, err := resolveEntity(op, entity)
	if err != nil {
		return crm.Record{}, err
	}
	body, err := lookupBody(op, fields)
	if err != nil {
		return crm.Record{}, err
	}
	id, err := c.insert(ctx, op+" "+entity, entity, body)
	if err != nil {
		return crm.Record{}, err
	}
	rec := crm.Record{Entity: entity, ID: id, URL: c.RecordURL(crm.Ref{Entity: entity, ID: id}), Fields: maps.Clone(fields)}
	rec.Display = displayName(entity, func(k string) string { s, _ := fields[k].(string); return s })
	if rec.Display == "" {
		rec.Display = id
	}
	return rec, nil
}

// entityID is the GUID at the end of an OData-EntityId address.
var entityID = lazyre.New(`\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\)$`)

// insert posts a new row and returns its id.
func (c *connector) insert(ctx context.Context, op, entity string, body map[string]any) (string, error) {
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: entitySet(entity), Body: body}, nil)
	if err != nil {
		return "", err
	}
	m := entityID.FindStringSubmatch(r.Header.Get("OData-EntityId"))
	if m == nil {
		return "", &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Dataverse answered the create without an OData-EntityId"}
	}
	return strings.ToLower(m[1]), nil
}

// Update changes columns of one record. If-Match: * keeps the PATCH from
// creating a missing row (it answers 404 instead).
func (c *connector) Update(ctx context.Context, ref crm.Ref, fields map[string]any) error {
	const op = "dynamics: update"
	ref, err := resolveRef(op, "", ref)
	if err != nil {
		return err
	}
	body, err := lookupBody(op, fields)
	if err != nil {
		return err
	}
	_, err = c.api.Do(ctx, crmhttp.Call{Op: op + " " + ref.Entity, Method: http.MethodPatch, Path: recordPath(ref), Body: body,
		Header: callHeader{mustExist: true}.set}, nil)
	return err
}

// navTargets are the standard lookups' navigation properties and the table
// each points to.
var navTargets = map[string]string{
	"customerid_contact": "contact", "customerid_account": "account",
	"parentcustomerid_account": "account", "parentcustomerid_contact": "contact",
	"primarycontactid": "contact", "parentaccountid": "account", "parentcontactid": "contact",
}

// regardingNav is regardingobjectid_{target}_{activity}.
var regardingNav = lazyre.New(`^regardingobjectid_([a-z][a-z0-9_]*?)_(phonecall|task|email|appointment|letter|fax)$`)

// bindPath is a lookup value written as a relative record address: /contacts(guid).
var bindPath = lazyre.New(`^/?([a-z][a-z0-9_]*)\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\)$`)

// lookupBody turns portable fields into a Web API body. Portable field names
// cannot carry "@", so a lookup is set by naming its navigation property:
// with a record address ("/contacts(guid)") for any lookup, or with a bare
// id for the standard ones (customerid_contact, parentcustomerid_account,
// regardingobjectid_contact_phonecall…). "nav@odata.bind" keys pass through.
func lookupBody(op string, fields map[string]any) (map[string]any, error) {
	if err := checkBodyKeys(op, fields); err != nil {
		return nil, err
	}
	body := make(map[string]any, len(fields))
	for k, v := range fields {
		s, isString := v.(string)
		if strings.HasSuffix(k, "@odata.bind") || !isString {
			body[k] = v
			continue
		}
		if m := bindPath.FindStringSubmatch(s); m != nil {
			body[k+"@odata.bind"] = "/" + m[1] + "(" + strings.ToLower(m[2]) + ")"
			continue
		}
		if target := navTarget(k); target != "" && guidShape.MatchString(s) {
			body[k+"@odata.bind"] = bindValue(crm.Ref{Entity: target, ID: s})
			continue
		}
		body[k] = v
	}
	return body, nil
}

func navTarget(nav string) string {
	if t := navTargets[nav]; t != "" {
		return t
	}
	if m := regardingNav.FindStringSubmatch(nav); m != nil {
		return m[1]
	}
	return ""
}

// toRecord turns a Web API row into a portable record.
func (c *connector) toRecord(entity string, raw map[string]any, fields []string) crm.Record {
	id, _ := raw[primaryKey(entity)].(string)
	r := crm.Record{Entity: entity, ID: id, URL: c.RecordURL(crm.Ref{Entity: entity, ID: id}), Fields: make(map[string]any, len(fields))}
	str := func(k string) string { s, _ := raw[k].(string); return s }
	if t, err := time.Parse(time.RFC3339Nano, str("modifiedon")); err == nil {
		r.Updated = t.UTC()
	}
	for _, f := range fields {
		r.Fields[f] = raw[f]
	}
	r.Display = displayName(entity, str)
	for _, f := range fields {
		if r.Display != "" {
			break
		}
		r.Display, _ = r.Fields[f].(string)
	}
	if r.Display == "" {
		r.Display = id
	}
	return r
}

// displayName is what an agent recognises a record by: the full name, the
// case number and title, or the table's primary name.
func displayName(entity string, v func(string) string) string {
	cols := nameColumns(entity)
	parts := make([]string, 0, len(cols))
	for _, col := range cols {
		if s := strings.TrimSpace(v(col)); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 && cols[0] == "fullname" {
		return strings.TrimSpace(v("firstname") + " " + v("lastname"))
	}
	return strings.Join(parts, " ")
}
