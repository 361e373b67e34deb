package salesforce

import (
	"context"
	"github.com/crmflow/crmflow/shared/lazyre"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// sfTime is how Salesforce writes datetimes in JSON.
const sfTime = "2006-01-02T15:04:05.000-0700"

// idShape is a Salesforce record id: 15 case-sensitive or 18 case-safe characters.
var idShape = lazyre.New(`^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$`)

func checkID(op, field, id string) error {
	if !idShape.MatchString(id) {
		return crm.Refusal(op, field, "%s is not a Salesforce record id: ids are 15 or 18 letters and digits", crm.QuoteName(id))
	}
	return nil
}

// resolveRef validates a record reference before it is used in a URL or
// query and spells its entity canonically; at prefixes the refused field
// ("links[0]" gives "links[0].entity"), "" for the driver's own ref.
func resolveRef(op, at string, ref crm.Ref) (crm.Ref, error) {
	pre := ""
	if at != "" {
		pre = at + "."
	}
	entity, err := resolveEntityAt(op, pre+"entity", ref.Entity)
	if err != nil {
		return crm.Ref{}, err
	}
	if err := checkID(op, pre+"id", ref.ID); err != nil {
		return crm.Ref{}, err
	}
	return crm.Ref{Entity: entity, ID: ref.ID}, nil
}

// Get reads one record; without fields it shows every field Salesforce returns.
func (c *connector) Get(ctx context.Context, ref crm.Ref, fields []string) (crm.Record, error) {
	const op = "salesforce: get record"
	ref, err := resolveRef(op, "", ref)
	if err != nil {
		return crm.Record{}, err
	}
	if err := checkFieldList(op, "fields", fields, false); err != nil {
		return crm.Record{}, err
	}
	q := url.Values{}
	if len(fields) > 0 {
		sel := append(append(slices.Clone(fields), nameFields(ref.Entity)...), "LastModifiedDate")
		q.Set("fields", strings.Join(dedupeFold(sel), ","))
	}
	var raw map[string]any
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op + " " + ref.Entity, Method: http.MethodGet, Path: c.sobjectPath(ref.Entity, ref.ID),
		Query: q.Encode()}, &raw); err != nil {
		return crm.Record{}, err
	}
	show := fields
	if len(show) == 0 {
		for _, k := range slices.Sorted(maps.Keys(raw)) {
			if k != "attributes" {
				show = append(show, k)
			}
		}
	}
	return c.toRecord(raw, show), nil
}

// Create makes one record; Salesforce answers with its id only, which is all
// the record needs (no read-back).
func (c *connector) Create(ctx context.Context, entity string, fields map[string]any) (crm.Record, error) {
	const op = "salesforce: create"
	entity, err := resolveEntity(op, entity)
	if err != nil {
		return crm.Record{}, err
	}
	if msg := writeProblem(entity, crm.ModeCreate); msg != "" {
		return crm.Record{}, crm.Refusal(op, "entity", "%s", msg)
	}
	if err := checkFieldMap(op, fields); err != nil {
		return crm.Record{}, err
	}
	id, err := c.insert(ctx, op+" "+entity, entity, fields)
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

// insert posts a new record and returns its id.
func (c *connector) insert(ctx context.Context, op, entity string, body map[string]any) (string, error) {
	if body == nil {
		body = map[string]any{}
	}
	var resp struct {
		ID      string `json:"id"`
		Success bool   `json:"success"`
	}
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: c.sobjectPath(entity, ""), Body: body}, &resp); err != nil {
		return "", err
	}
	if !resp.Success || !idShape.MatchString(resp.ID) {
		return "", &crm.Error{Code: crm.Internal, Op: op, Message: "Salesforce answered the create without a record id"}
	}
	return resp.ID, nil
}

// Update changes fields of one record.
func (c *connector) Update(ctx context.Context, ref crm.Ref, fields map[string]any) error {
	const op = "salesforce: update"
	ref, err := resolveRef(op, "", ref)
	if err != nil {
		return err
	}
	if msg := writeProblem(ref.Entity, crm.ModeUpdate); msg != "" {
		return crm.Refusal(op, "entity", "%s", msg)
	}
	if err := checkFieldMap(op, fields); err != nil {
		return err
	}
	if fields == nil {
		fields = map[string]any{}
	}
	_, err = c.api.Do(ctx, crmhttp.Call{Op: op + " " + ref.Entity, Method: http.MethodPatch, Path: c.sobjectPath(ref.Entity, ref.ID), Body: fields}, nil)
	return err
}

// toRecord turns a Salesforce record (with its attributes) into a portable one.
func (c *connector) toRecord(raw map[string]any, fields []string) crm.Record {
	attrs, _ := raw["attributes"].(map[string]any)
	entity, _ := attrs["type"].(string)
	entity = spelled(entity)
	id, _ := raw["Id"].(string)
	r := crm.Record{Entity: entity, ID: id, URL: c.RecordURL(crm.Ref{Entity: entity, ID: id}), Fields: make(map[string]any, len(fields))}
	str := func(k string) string { s, _ := raw[k].(string); return s }
	if t, err := time.Parse(sfTime, str("LastModifiedDate")); err == nil {
		r.Updated = t.UTC()
	}
	for _, f := range fields {
		r.Fields[f] = lookupPath(raw, f)
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

// lookupPath reads a dotted relationship path (Account.Name) from nested records.
func lookupPath(raw map[string]any, path string) any {
	var cur any = raw
	for _, seg := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[seg]
	}
	return cur
}

// nameFields are the fields an entity's display name is made of.
func nameFields(entity string) []string {
	switch spelled(entity) {
	case "Contact", "Lead", "Account", "Opportunity", "User", "Campaign", "Product2", "Asset", "Contract":
		return []string{"Name"}
	case "Case":
		return []string{"CaseNumber", "Subject"}
	case "WorkOrder":
		return []string{"WorkOrderNumber", "Subject"}
	case "Task", "Event":
		return []string{"Subject"}
	}
	if strings.HasSuffix(entity, "__c") {
		return []string{"Name"}
	}
	return nil
}

// displayName is what an agent recognises a record by: the name, the case
// number and subject, or the subject.
func displayName(entity string, v func(string) string) string {
	join := func(a, b string) string { return strings.TrimSpace(a + " " + b) }
	switch spelled(entity) {
	case "Case":
		return join(v("CaseNumber"), v("Subject"))
	case "WorkOrder":
		return join(v("WorkOrderNumber"), v("Subject"))
	}
	if n := v("Name"); n != "" {
		return n
	}
	if n := join(v("FirstName"), v("LastName")); n != "" {
		return n
	}
	return v("Subject")
}

// dedupeFold keeps the first of names that differ only in case (SOQL refuses
// a field selected twice).
func dedupeFold(names []string) []string {
	out := make([]string, 0, len(names))
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		k := strings.ToLower(n)
		if !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	return out
}
