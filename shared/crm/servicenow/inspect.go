package servicenow

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

var _ crm.Inspector = (*connector)(nil)

// Describe bounds: how many tables up the hierarchy it walks (task →
// incident is one step; real hierarchies are a few deep) and how many
// dictionary rows it reads.
const (
	maxHierarchy   = 8
	maxColumns     = 2000
	describePages  = 1000
	dictionaryCols = "name,element,column_label,internal_type"
)

// Ping reads one sys_id of sys_user (GET /api/now/table/sys_user?
// sysparm_limit=1): the Table API call every integration user may make,
// which touches one row.
func (c *connector) Ping(ctx context.Context) error {
	const op = "servicenow: ping"
	q := url.Values{"sysparm_limit": {"1"}, "sysparm_fields": {"sys_id"}}
	var rows []row
	_, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: recordPath(tableUser, ""), Query: q.Encode()}, &rows)
	return err
}

// Sample reads one row of entity (the lowest sys_id). The record is named
// by the table asked for, even when the row's class is a child table (a
// sys_user read may answer a customer_contact).
func (c *connector) Sample(ctx context.Context, entity string) (crm.Record, bool, error) {
	op := "servicenow: sample " + entity
	table, err := resolveEntity(op, entity)
	if err != nil {
		return crm.Record{}, false, err
	}
	rows, err := c.list(ctx, op, table, "ORDERBYsys_id", nil, 1)
	if err != nil || len(rows) == 0 {
		return crm.Record{}, false, err
	}
	rec := c.record(table, rows[0], nil)
	rec.Entity = table
	rec.URL = c.RecordURL(crm.Ref{Entity: table, ID: rec.ID})
	return rec, true, nil
}

// Describe reads entity's columns from the data dictionary: the table and
// the tables it extends (sys_db_object.super_class, task for incident),
// then their sys_dictionary rows (name IN the tables, element set), with
// column_label as label and internal_type as type. A child's column wins
// over its parent's of the same name, as on the instance.
func (c *connector) Describe(ctx context.Context, entity string) (crm.EntityMeta, error) {
	op := "servicenow: describe " + entity
	table, err := resolveEntity(op, entity)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	chain, label, err := c.hierarchy(ctx, op, table)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	query := "nameIN" + strings.Join(chain, ",") + "^elementISNOTEMPTY^ORDERBYelement"
	rows, err := c.listPages(ctx, op, tableDictionary, query, strings.Split(dictionaryCols, ","), maxColumns, describePages)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	return describeColumns(table, label, chain, rows), nil
}

// describeColumns turns dictionary rows of the tables in chain (the table
// first, then its ancestors) into entity metadata.
func describeColumns(table, label string, chain []string, rows []row) crm.EntityMeta {
	meta := crm.EntityMeta{Entity: table, Label: label}
	depth := func(name string) int {
		if i := slices.Index(chain, name); i >= 0 {
			return i
		}
		return len(chain)
	}
	best := map[string]int{}
	fields := map[string]crm.FieldMeta{}
	for _, r := range rows {
		el, owner := r.text("element"), r.text("name")
		if !validWriteColumn(el) {
			continue
		}
		if d, seen := best[el]; seen && d <= depth(owner) {
			continue
		}
		best[el] = depth(owner)
		fields[el] = crm.FieldMeta{Name: el, Label: r.text("column_label"), Type: r.text("internal_type")}
	}
	for _, f := range fields {
		meta.Fields = append(meta.Fields, f)
	}
	slices.SortFunc(meta.Fields, func(a, b crm.FieldMeta) int { return strings.Compare(a.Name, b.Name) })
	return meta
}

// hierarchy lists table and the tables it extends, nearest first, from
// sys_db_object (name, label, super_class), with table's label. A table
// the instance does not have is NotFound.
func (c *connector) hierarchy(ctx context.Context, op, table string) ([]string, string, error) {
	fields := []string{"name", "label", "super_class"}
	rows, err := c.list(ctx, op, tableDBObject, "name="+table, fields, 1)
	if err != nil {
		return nil, "", err
	}
	if len(rows) == 0 || rows[0].text("name") != table {
		return nil, "", &crm.Error{Code: crm.NotFound, Op: op, Message: "the instance has no table " + table}
	}
	chain, label := []string{table}, rows[0].text("label")
	parent := rows[0].text("super_class")
	for len(chain) < maxHierarchy && validSysID(parent) {
		up, _, err := c.one(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: recordPath(tableDBObject, parent), Query: readParams(fields).Encode()})
		if err != nil {
			return nil, "", err
		}
		name := up.text("name")
		if !validTable(name) || slices.Contains(chain, name) {
			break
		}
		chain = append(chain, name)
		parent = up.text("super_class")
	}
	return chain, label, nil
}
