package servicenow

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

// baseFields are asked for on every read: the id, the row's real class (a
// sys_user query also returns customer_contact rows), the update stamp and
// the columns a display name is made from. A table without one of them
// simply leaves it out of the answer.
var baseFields = []string{"sys_id", "sys_class_name", "sys_updated_on", "number", "name", "short_description"}

// updatedLayout is how the Table API writes date-times with sysparm_display_value=false (UTC).
const updatedLayout = "2006-01-02 15:04:05"

// row is one record as the Table API answers it.
type row map[string]any

// text reads a column as text. Reference columns are plain sys_ids with
// sysparm_exclude_reference_link=true; an instance that still sends
// {"link","value"} objects is read through value.
func (r row) text(name string) string {
	switch v := r[name].(type) {
	case string:
		return v
	case map[string]any:
		if s, ok := v["value"].(string); ok {
			return s
		}
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
	return ""
}

// display names a row for the agent: "INC0010001 Printer on fire" for
// tickets, the name for people and accounts.
func (r row) display() string {
	number, short := r.text("number"), r.text("short_description")
	switch {
	case number != "" && short != "":
		return number + " " + short
	case number != "":
		return number
	case r.text("name") != "":
		return r.text("name")
	case short != "":
		return short
	}
	return r.text("sys_id")
}

// record turns a row read from table into a portable record with the asked fields.
func (c *connector) record(table string, r row, fields []string) crm.Record {
	entity := table
	if class := r.text("sys_class_name"); validTable(class) {
		entity = class
	}
	rec := crm.Record{Entity: entity, ID: r.text("sys_id"), Display: r.display(), Fields: map[string]any{}}
	rec.URL = c.RecordURL(crm.Ref{Entity: entity, ID: rec.ID})
	if t, err := time.Parse(updatedLayout, r.text("sys_updated_on")); err == nil {
		rec.Updated = t.UTC()
	}
	for _, f := range fields {
		if _, ok := r[f]; ok {
			rec.Fields[f] = r.text(f)
		}
	}
	return rec
}

// readParams are the query parameters of every read: the columns, and
// references as bare sys_ids with stored (not display) values.
func readParams(fields []string) url.Values {
	all := slices.Clone(baseFields)
	for _, f := range fields {
		if !slices.Contains(all, f) {
			all = append(all, f)
		}
	}
	return url.Values{"sysparm_fields": {strings.Join(all, ",")}, "sysparm_exclude_reference_link": {"true"},
		"sysparm_display_value": {"false"}}
}

// checkFields refuses read columns that are no ServiceNow column paths,
// naming field[i].
func checkFields(op, field string, fields []string) error {
	for i, f := range fields {
		if !validColumn(f) {
			return crm.Refusal(op, fmt.Sprintf("%s[%d]", field, i), "%s is not a ServiceNow column name (lowercase, such as short_description or caller_id.email)", crm.QuoteName(f))
		}
	}
	return nil
}

// checkWrite refuses the columns of a create or update body that are no
// writable column names (lowercase, no dot-walk), naming fields.<name>.
func checkWrite(op string, fields map[string]any) error {
	for k := range fields {
		if !validWriteColumn(k) {
			return crm.Refusal(op, "fields."+k, "%s is not a writable ServiceNow column name (lowercase, no dot-walk)", crm.QuoteName(k))
		}
	}
	return nil
}

// Get reads one record with the asked fields.
func (c *connector) Get(ctx context.Context, ref crm.Ref, fields []string) (crm.Record, error) {
	op := "servicenow: get " + ref.Entity
	ref, err := resolveRef(op, "", ref)
	if err != nil {
		return crm.Record{}, err
	}
	if err := checkFields(op, "fields", fields); err != nil {
		return crm.Record{}, err
	}
	out, _, err := c.one(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: recordPath(ref.Entity, ref.ID), Query: readParams(fields).Encode()})
	if err != nil {
		return crm.Record{}, err
	}
	return c.record(ref.Entity, out, fields), nil
}

// one sends a call answered with a single row.
func (c *connector) one(ctx context.Context, cl crmhttp.Call) (row, int, error) {
	var out row
	r, err := c.api.Do(ctx, cl, &out)
	if err != nil {
		return nil, 0, err
	}
	return out, r.Status, nil
}

// Create inserts a record (POST → 201 {"result":{…}}) and returns it with
// the columns it was given, as the instance stored them.
func (c *connector) Create(ctx context.Context, entity string, fields map[string]any) (crm.Record, error) {
	op := "servicenow: create " + entity
	entity, err := resolveEntity(op, entity)
	if err != nil {
		return crm.Record{}, err
	}
	if err := checkWrite(op, fields); err != nil {
		return crm.Record{}, err
	}
	if fields == nil {
		fields = map[string]any{}
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	out, status, err := c.one(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: recordPath(entity, ""), Query: readParams(names).Encode(), Body: fields})
	if err != nil {
		return crm.Record{}, err
	}
	rec := c.record(entity, out, names)
	if !validSysID(rec.ID) {
		return crm.Record{}, &crm.Error{Code: crm.Internal, Op: op, Status: status, Message: "ServiceNow answered without a sys_id"}
	}
	return rec, nil
}

// Update writes fields into a record with PATCH, which never creates a
// missing one (404 → NotFound).
func (c *connector) Update(ctx context.Context, ref crm.Ref, fields map[string]any) error {
	op := "servicenow: update " + ref.Entity
	ref, err := resolveRef(op, "", ref)
	if err != nil {
		return err
	}
	if err := checkWrite(op, fields); err != nil {
		return err
	}
	if fields == nil {
		fields = map[string]any{}
	}
	q := url.Values{"sysparm_fields": {"sys_id"}, "sysparm_exclude_reference_link": {"true"}}
	_, err = c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPatch, Path: recordPath(ref.Entity, ref.ID), Query: q.Encode(), Body: fields}, nil)
	return err
}
