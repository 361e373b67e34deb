package servicenow

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmsearch"
)

// Search limits: a page asks for at most pageSize rows and a search returns
// at most maxLimit records.
const (
	defaultLimit = 10
	maxLimit     = 200
	pageSize     = 100
	// maxPages stops a search that an instance keeps handing next links for.
	maxPages = 20
)

// plan is one table a search looks in: the columns it searches and shows.
type plan struct {
	table  string
	search []string
	show   []string
	// filtered are the columns a custom search's filter names: each must
	// be in every answered row, or the instance did not know it.
	filtered []string
}

// Person-like tables searched by default. customer_contact extends sys_user,
// so a sys_user search also finds contacts; results are merged by sys_id
// and carry the row's real class.
var (
	phonePlans = []plan{
		{table: "sys_user", search: []string{"phone", "mobile_phone", "home_phone"}, show: []string{"name", "email", "phone", "mobile_phone", "home_phone"}},
		{table: "customer_contact", search: []string{"phone", "mobile_phone"}, show: []string{"name", "email", "phone", "mobile_phone", "account"}},
	}
	emailPlans = []plan{
		{table: "sys_user", search: []string{"email"}, show: []string{"name", "email", "phone", "mobile_phone"}},
		{table: "customer_contact", search: []string{"email"}, show: []string{"name", "email", "phone", "mobile_phone", "account"}},
	}
	openFields = []string{"number", "short_description", "state", "priority"}
)

// makePlans turns a mapping's entities into plans, falling back to the
// defaults for tables and columns it leaves out.
func makePlans(op string, specs []crm.EntitySpec, defaults []plan) ([]plan, error) {
	if len(specs) == 0 {
		return defaults, nil
	}
	out := make([]plan, 0, len(specs))
	for i, s := range specs {
		at := fmt.Sprintf("entities[%d].", i)
		table, err := resolveEntityAt(op, at+"entity", s.Entity)
		if err != nil {
			return nil, err
		}
		p := plan{table: table, search: s.SearchFields, show: s.DisplayFields}
		for _, d := range defaults {
			if d.table == table {
				if len(p.search) == 0 {
					p.search = d.search
				}
				if len(p.show) == 0 {
					p.show = d.show
				}
			}
		}
		if len(p.search) == 0 {
			return nil, crm.Refusal(op, at+"searchFields", "entity %s needs searchFields", crm.QuoteName(table))
		}
		if len(p.show) == 0 {
			p.show = p.search
		}
		if err := checkFields(op, at+"searchFields", p.search); err != nil {
			return nil, err
		}
		if err := checkFields(op, at+"displayFields", p.show); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func clampLimit(n int) int { return crmsearch.Limit(n, defaultLimit, maxLimit) }

// list runs one encoded query on a table and follows the Link header's
// next page until limit rows are read. Next links are used verbatim, but
// only on the configuration's own instance.
func (c *connector) list(ctx context.Context, op, table, query string, fields []string, limit int) ([]row, error) {
	return c.listPages(ctx, op, table, query, fields, limit, maxPages)
}

// listPages is list reading at most pages pages.
func (c *connector) listPages(ctx context.Context, op, table, query string, fields []string, limit, pages int) ([]row, error) {
	params := readParams(fields)
	params.Set("sysparm_query", query)
	params.Set("sysparm_limit", strconv.Itoa(min(limit, pageSize)))
	params.Set("sysparm_offset", "0")
	cl := crmhttp.Call{Op: op, Method: http.MethodGet, Path: recordPath(table, ""), Query: params.Encode()}
	var out []row
	for range pages {
		var page []row
		r, err := c.api.Do(ctx, cl, &page)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(out) >= limit {
			return out[:limit], nil
		}
		next := nextLink(r.Header)
		if next == "" || len(page) == 0 {
			break
		}
		if !c.onInstance(next) {
			return nil, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "ServiceNow's next page link leaves the instance"}
		}
		cl = crmhttp.Call{Op: op, Method: http.MethodGet, Next: next}
	}
	return out, nil
}

// collect runs plans in order, merging records by sys_id (whatever their
// class: customer_contact rows are sys_user rows too), until limit.
//
// When matches is set, only rows whose searched columns hold the key are
// kept: a default instance drops a condition on a column it does not have
// (a mistyped u_ column in a mapping) and would answer every row, so the
// searched columns are read back and checked. A custom search has no key
// to check rows against: its filter's columns are read back instead, and a
// row without one of them (the Table API leaves unknown columns out of an
// answer: "Invalid fields are ignored") means the instance dropped that
// condition, which is refused rather than answered wider.
func (c *connector) collect(ctx context.Context, op string, plans []plan, limit int, where func(plan) string, matches func(string) bool) ([]crm.Record, error) {
	bySysID := func(r crm.Record) string { return r.ID }
	return crmsearch.Collect(plans, clampLimit(limit), bySysID, func(p plan, want int) ([]crm.Record, error) {
		read := slices.Clone(p.show)
		extra := p.filtered
		if matches != nil {
			extra = append(slices.Clone(p.search), extra...)
		}
		for _, f := range extra {
			if !slices.Contains(read, f) {
				read = append(read, f)
			}
		}
		rows, err := c.list(ctx, op, p.table, where(p)+"^ORDERBYsys_id", read, want)
		if err != nil {
			return nil, err
		}
		out := make([]crm.Record, 0, len(rows))
		for _, r := range rows {
			for _, col := range p.filtered {
				if _, ok := r[col]; !ok {
					return nil, crm.Refusal(op, "filter", "%s is not a column of %s: the instance ignores a condition on a column it does not have, which would widen the search", crm.QuoteName(col), p.table)
				}
			}
			if matches != nil && !slices.ContainsFunc(p.search, func(col string) bool { return matches(r.text(col)) }) {
				continue
			}
			out = append(out, c.record(p.table, r, p.show))
		}
		return out, nil
	})
}

// anyColumn is the same condition on each column, joined with ^OR.
func anyColumn(columns []string, condition string) string {
	terms := make([]string, len(columns))
	for i, col := range columns {
		terms[i] = col + condition
	}
	return strings.Join(terms, "^OR")
}

// SearchByPhone looks for every form of the number (phone.Variants plus
// the formats agents type, see phoneForms) in every phone column, with one
// IN per column: phoneIN…^ORmobile_phoneIN….
func (c *connector) SearchByPhone(ctx context.Context, s crm.PhoneSearch) ([]crm.Record, error) {
	const op = "servicenow: search by phone"
	plans, err := makePlans(op, s.Entities, phonePlans)
	if err != nil {
		return nil, err
	}
	var forms, raw []string
	for _, f := range phoneForms(s) {
		if v, err := escapeValue(f); err == nil && v != "" && !strings.Contains(v, ",") {
			forms = append(forms, v)
			raw = append(raw, f)
		}
	}
	if len(forms) == 0 {
		return nil, crm.Refusal(op, "variants", "no phone number to search for")
	}
	list := strings.Join(forms, ",")
	isForm := func(v string) bool {
		return slices.ContainsFunc(raw, func(f string) bool { return strings.EqualFold(f, v) })
	}
	return c.collect(ctx, op, plans, s.Limit, func(p plan) string { return anyColumn(p.search, "IN"+list) }, isForm)
}

// SearchByEmail looks for the address in every email column (the
// instance compares text case-insensitively).
func (c *connector) SearchByEmail(ctx context.Context, s crm.EmailSearch) ([]crm.Record, error) {
	const op = "servicenow: search by email"
	plans, err := makePlans(op, s.Entities, emailPlans)
	if err != nil {
		return nil, err
	}
	email := strings.TrimSpace(s.Email)
	if email == "" {
		return nil, crm.Refusal(op, "email", "no email address to search for")
	}
	v, err := escapeValue(email)
	if err != nil {
		return nil, crm.Refusal(op, "email", "email %s", err.Error())
	}
	isEmail := func(got string) bool { return strings.EqualFold(strings.TrimSpace(got), email) }
	return c.collect(ctx, op, plans, s.Limit, func(p plan) string { return anyColumn(p.search, "="+v) }, isEmail)
}

// Search runs a custom search: the portable filter compiled to an encoded query.
func (c *connector) Search(ctx context.Context, q crm.Query) ([]crm.Record, error) {
	op := "servicenow: search " + q.Entity
	table, err := resolveEntity(op, q.Entity)
	if err != nil {
		return nil, err
	}
	if err := checkFields(op, "fields", q.Fields); err != nil {
		return nil, err
	}
	if err := q.Filter.Validate(); err != nil {
		return nil, crm.Refusal(op, "filter", "filter: %s", err.Error())
	}
	where, err := compileFilter(q.Filter)
	if err != nil {
		return nil, crm.Refusal(op, "filter", "filter: %s", err.Error())
	}
	p := plan{table: table, show: q.Fields, filtered: filterColumns(q.Filter, nil)}
	return c.collect(ctx, op, []plan{p}, q.Limit, func(plan) string { return where }, nil)
}

// filterColumns lists the columns a filter names, each once, in order.
func filterColumns(f crm.Filter, out []string) []string {
	if f.Field != "" && !slices.Contains(out, f.Field) {
		out = append(out, f.Field)
	}
	for _, g := range append(slices.Clone(f.All), f.Any...) {
		out = filterColumns(g, out)
	}
	return out
}

// RelatedOpen lists a person's active tickets, most recently updated first:
// incidents a user called in (caller_id), cases of a CSM contact (contact).
func (c *connector) RelatedOpen(ctx context.Context, person crm.Ref, limit int) ([]crm.Record, error) {
	const op = "servicenow: related open"
	person, err := resolveRef(op, "person.", person)
	if err != nil {
		return nil, err
	}
	table, column := tableIncident, "caller_id"
	switch person.Entity {
	case tableUser:
	case tableContact:
		table, column = tableCase, "contact"
	default:
		return nil, crm.Refusal(op, "person.entity", "%s is not a person table (sys_user, customer_contact)", crm.QuoteName(person.Entity))
	}
	if limit <= 0 {
		limit = 5
	}
	limit = clampLimit(limit)
	rows, err := c.list(ctx, op, table, column+"="+person.ID+"^active=true^ORDERBYDESCsys_updated_on", openFields, limit)
	if err != nil {
		return nil, err
	}
	out := make([]crm.Record, 0, len(rows))
	for _, r := range rows {
		out = append(out, c.record(table, r, openFields))
	}
	return out, nil
}
