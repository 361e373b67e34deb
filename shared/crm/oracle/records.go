package oracle

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// baseColumns are selected on every read: the id, the name the site shows
// for the record, and its update stamp; incidents add their subject, as
// the reference number alone tells an agent little.
func baseColumns(entity string) []string {
	if entity == resIncidents {
		return []string{"id", "lookupName", "updatedTime", "subject"}
	}
	return []string{"id", "lookupName", "updatedTime"}
}

// columns are the base columns and the asked fields, without repeats.
func columns(entity string, fields []string) []string {
	cols := baseColumns(entity)
	for _, f := range fields {
		if !slices.ContainsFunc(cols, func(c string) bool { return strings.EqualFold(c, f) }) {
			cols = append(cols, f)
		}
	}
	return cols
}

// queryTable is one item of a queryResults answer.
type queryTable struct {
	TableName   string      `json:"tableName"`
	Count       int         `json:"count"`
	ColumnNames []string    `json:"columnNames"`
	Rows        [][]*string `json:"rows"`
}

// merged is one record gathered from its rows: selecting list fields
// (emails, phones) gives a row per entry, and the first value of each
// column is kept.
type merged struct {
	id   string
	vals []string
	set  []bool
}

// query runs one ROQL statement and returns its rows.
func (c *connector) query(ctx context.Context, op, roql string) ([][]*string, error) {
	var out struct {
		Items []queryTable `json:"items"`
	}
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: "queryResults", Query: queryParam(roql)}, &out)
	if err != nil {
		return nil, err
	}
	if len(out.Items) != 1 {
		return nil, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "unreadable answer from Oracle B2C Service"}
	}
	return out.Items[0].Rows, nil
}

// selectRecords runs SELECT cols FROM entity WHERE where ORDER BY order,
// a page at a time (LIMIT/OFFSET count rows, not records), merging rows by
// id until limit records are read or the rows run out.
func (c *connector) selectRecords(ctx context.Context, op, entity string, cols []string, where, order string, limit int) ([]merged, error) {
	return c.selectFrom(ctx, op, selectStmt(entity, cols, where, order), cols, limit, nil)
}

// selectStmt is SELECT cols FROM entity WHERE where ORDER BY order, without
// its LIMIT and OFFSET.
func selectStmt(entity string, cols []string, where, order string) string {
	stmt := "SELECT " + strings.Join(cols, ", ") + " FROM " + entity
	if where != "" {
		stmt += " WHERE " + where
	}
	return stmt + " ORDER BY " + order
}

// page is stmt's page number n.
func (c *connector) page(stmt string, n int) string {
	return fmt.Sprintf("%s LIMIT %d OFFSET %d", stmt, c.pageSize, n*c.pageSize)
}

// selectFrom reads stmt's records a page at a time; first, when not nil,
// is its first page's rows, already read (in a request of several
// statements).
func (c *connector) selectFrom(ctx context.Context, op, stmt string, cols []string, limit int, first [][]*string) ([]merged, error) {
	var out []merged
	index := map[string]int{}
	for page := 0; page < maxPages; page++ {
		rows := first
		if page > 0 || rows == nil {
			var err error
			if rows, err = c.query(ctx, op, c.page(stmt, page)); err != nil {
				return nil, err
			}
		}
		for _, row := range rows {
			if len(row) != len(cols) || row[0] == nil {
				return nil, &crm.Error{Code: crm.Internal, Op: op, Message: "Oracle B2C Service answered rows of another shape"}
			}
			i, seen := index[*row[0]]
			if !seen {
				if len(out) == limit {
					return out, nil
				}
				i = len(out)
				index[*row[0]] = i
				out = append(out, merged{id: *row[0], vals: make([]string, len(cols)), set: make([]bool, len(cols))})
			}
			m := &out[i]
			for j, v := range row {
				if v != nil && !m.set[j] && *v != "" {
					m.vals[j], m.set[j] = *v, true
				}
			}
		}
		if len(rows) < c.pageSize {
			break
		}
	}
	return out, nil
}

// record turns a merged row set into a portable record with the asked fields.
func (c *connector) record(entity string, cols []string, m merged, fields []string) crm.Record {
	get := func(name string) (string, bool) {
		for i, col := range cols {
			if strings.EqualFold(col, name) {
				return m.vals[i], m.set[i]
			}
		}
		return "", false
	}
	rec := crm.Record{Entity: entity, ID: m.id, Fields: map[string]any{}}
	rec.Display, _ = get("lookupName")
	if subject, ok := get("subject"); ok && entity == resIncidents {
		rec.Display = strings.TrimSpace(rec.Display + " " + subject)
	}
	if rec.Display == "" {
		rec.Display = m.id
	}
	if u, ok := get("updatedTime"); ok {
		if t, err := time.Parse(time.RFC3339, u); err == nil {
			rec.Updated = t.UTC()
		}
	}
	rec.URL = c.RecordURL(crm.Ref{Entity: entity, ID: m.id})
	for _, f := range fields {
		if v, ok := get(f); ok {
			rec.Fields[f] = v
		}
	}
	return rec
}

// resolveRef checks a record reference: the entity is resolved to its
// canonical resource name and the id must be an object id (a positive
// integer), as it goes into a path or a query.
func resolveRef(op string, ref crm.Ref) (crm.Ref, error) {
	return resolveRefAt(op, "", ref)
}

// resolveRefAt is resolveRef for a reference named at prefix in the
// driver's input ("links[0]."); "" for a top-level ref (entity, id).
func resolveRefAt(op, prefix string, ref crm.Ref) (crm.Ref, error) {
	entity, err := resolveEntityAt(op, prefix+"entity", ref.Entity)
	if err != nil {
		return crm.Ref{}, err
	}
	if !validID(ref.ID) {
		return crm.Ref{}, crm.Refusal(op, prefix+"id", "%s is not an Oracle B2C Service id (a positive integer)", crm.QuoteName(ref.ID))
	}
	return crm.Ref{Entity: entity, ID: ref.ID}, nil
}

// checkFields checks a list of field paths, naming the first bad one as
// field[i] ("fields[2]").
func checkFields(op, field string, fields []string) error {
	for i, f := range fields {
		if !validField(f) {
			return crm.Refusal(op, fmt.Sprintf("%s[%d]", field, i), "%s is not a ROQL field path (name.first, emails.address)", crm.QuoteName(f))
		}
	}
	return nil
}

// Get reads one record with the asked fields through ROQL, which reaches
// into list fields (emails.address) that the REST resource only links to.
func (c *connector) Get(ctx context.Context, ref crm.Ref, fields []string) (crm.Record, error) {
	op := "oracle: get " + ref.Entity
	ref, err := resolveRef(op, ref)
	if err != nil {
		return crm.Record{}, err
	}
	if err := checkFields(op, "fields", fields); err != nil {
		return crm.Record{}, err
	}
	cols := columns(ref.Entity, fields)
	found, err := c.selectRecords(ctx, op, ref.Entity, cols, "id = "+ref.ID, "id", 1)
	if err != nil {
		return crm.Record{}, err
	}
	if len(found) == 0 || found[0].id != ref.ID {
		return crm.Record{}, &crm.Error{Code: crm.NotFound, Op: op, Message: fmt.Sprintf("no %s with id %s", ref.Entity, ref.ID)}
	}
	return c.record(ref.Entity, cols, found[0], fields), nil
}

// expand turns flat fields with dotted paths into the nested JSON the REST
// binding takes: {"name.first": "Jane", "organization.id": "7"} becomes
// {"name": {"first": "Jane"}, "organization": {"id": 7}}. Ids given as
// digit strings become numbers.
func expand(op string, fields map[string]any) (map[string]any, error) {
	out := map[string]any{}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !validField(k) {
			return nil, crm.Refusal(op, "fields."+k, "%s is not an Oracle B2C Service field path (name.first, organization.id)", crm.QuoteName(k))
		}
		v := fields[k]
		parts := strings.Split(k, ".")
		if s, ok := v.(string); ok && parts[len(parts)-1] == "id" && validID(s) {
			n, _ := strconv.ParseInt(s, 10, 64)
			v = n
		}
		cur := out
		for i, p := range parts {
			if i == len(parts)-1 {
				if _, taken := cur[p]; taken {
					return nil, crm.Refusal(op, "fields."+k, "field %s is given twice", crm.QuoteName(k))
				}
				cur[p] = v
				break
			}
			next, ok := cur[p].(map[string]any)
			if !ok {
				if _, taken := cur[p]; taken {
					return nil, crm.Refusal(op, "fields."+k, "field %s conflicts with %s", crm.QuoteName(k), crm.QuoteName(p))
				}
				next = map[string]any{}
				cur[p] = next
			}
			cur = next
		}
	}
	return out, nil
}

// lookup reads a dotted path from decoded JSON.
func lookup(v any, path string) (any, bool) {
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[p]; !ok {
			return nil, false
		}
	}
	return v, true
}

// Create posts a record (201 with Location and the full resource) and
// returns it with the fields it was given, as the site answered them.
func (c *connector) Create(ctx context.Context, entity string, fields map[string]any) (crm.Record, error) {
	op := "oracle: create " + entity
	entity, err := resolveEntity(op, entity)
	if err != nil {
		return crm.Record{}, err
	}
	body, err := expand(op, fields)
	if err != nil {
		return crm.Record{}, err
	}
	var created map[string]any // numbers as json.Number (decode)
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: resourcePath(entity, ""), Body: body}, &created)
	if err != nil {
		return crm.Record{}, err
	}
	id := fmt.Sprint(created["id"])
	if !validID(id) {
		return crm.Record{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Oracle B2C Service answered without an id"}
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	cols := columns(entity, names)
	m := merged{id: id, vals: make([]string, len(cols)), set: make([]bool, len(cols))}
	for i, col := range cols {
		v, ok := lookup(created, col)
		if !ok {
			v, ok = fields[col]
		}
		if ok && v != nil {
			switch v.(type) {
			case map[string]any, []any:
				continue
			}
			m.vals[i], m.set[i] = fmt.Sprint(v), true
		}
	}
	return c.record(entity, cols, m, names), nil
}

// Update writes fields into a record with PATCH (200, empty body); a
// missing record answers 404.
func (c *connector) Update(ctx context.Context, ref crm.Ref, fields map[string]any) error {
	op := "oracle: update " + ref.Entity
	ref, err := resolveRef(op, ref)
	if err != nil {
		return err
	}
	body, err := expand(op, fields)
	if err != nil {
		return err
	}
	_, err = c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPatch, Path: resourcePath(ref.Entity, ref.ID), Body: body}, nil)
	return err
}
