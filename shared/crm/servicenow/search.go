package servicenow

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
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
	for _, s := range specs {
		if err := checkTable(op, s.Entity); err != nil {
			return nil, err
		}
		p := plan{table: s.Entity, search: s.SearchFields, show: s.DisplayFields}
		for _, d := range defaults {
			if d.table == s.Entity {
				if len(p.search) == 0 {
					p.search = d.search
				}
				if len(p.show) == 0 {
					p.show = d.show
				}
			}
		}
		if len(p.search) == 0 {
			return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf("entity %q needs searchFields", s.Entity)}
		}
		if len(p.show) == 0 {
			p.show = p.search
		}
		if err := checkFields(op, append(append([]string{}, p.search...), p.show...)); err != nil {
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
	params := readParams(fields)
	params.Set("sysparm_query", query)
	params.Set("sysparm_limit", strconv.Itoa(min(limit, pageSize)))
	params.Set("sysparm_offset", "0")
	cl := call{op: op, method: http.MethodGet, path: recordPath(table, ""), query: params}
	var out []row
	for range maxPages {
		r, err := c.do(ctx, cl)
		if err != nil {
			return nil, err
		}
		var page []row
		if err := result(op, r, &page); err != nil {
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
		cl = call{op: op, method: http.MethodGet, next: next}
	}
	return out, nil
}

// collect runs plans in order, merging records by sys_id (whatever their
// class: customer_contact rows are sys_user rows too), until limit.
func (c *connector) collect(ctx context.Context, op string, plans []plan, limit int, where func(plan) string) ([]crm.Record, error) {
	bySysID := func(r crm.Record) string { return r.ID }
	return crmsearch.Collect(plans, clampLimit(limit), bySysID, func(p plan, want int) ([]crm.Record, error) {
		rows, err := c.list(ctx, op, p.table, where(p)+"^ORDERBYsys_id", p.show, want)
		if err != nil {
			return nil, err
		}
		out := make([]crm.Record, 0, len(rows))
		for _, r := range rows {
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
	var forms []string
	for _, f := range phoneForms(s.Variants) {
		if v, err := escapeValue(f); err == nil && v != "" && !strings.Contains(v, ",") {
			forms = append(forms, v)
		}
	}
	if len(forms) == 0 {
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "no phone number to search for"}
	}
	list := strings.Join(forms, ",")
	return c.collect(ctx, op, plans, s.Limit, func(p plan) string { return anyColumn(p.search, "IN"+list) })
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
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "no email address to search for"}
	}
	v, err := escapeValue(email)
	if err != nil {
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "email " + err.Error()}
	}
	return c.collect(ctx, op, plans, s.Limit, func(p plan) string { return anyColumn(p.search, "="+v) })
}

// Search runs a custom search: the portable filter compiled to an encoded query.
func (c *connector) Search(ctx context.Context, q crm.Query) ([]crm.Record, error) {
	op := "servicenow: search " + q.Entity
	if err := checkTable(op, q.Entity); err != nil {
		return nil, err
	}
	if err := checkFields(op, q.Fields); err != nil {
		return nil, err
	}
	if err := q.Filter.Validate(); err != nil {
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "filter: " + err.Error()}
	}
	where, err := compileFilter(q.Filter)
	if err != nil {
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "filter: " + err.Error()}
	}
	return c.collect(ctx, op, []plan{{table: q.Entity, show: q.Fields}}, q.Limit, func(plan) string { return where })
}

// RelatedOpen lists a person's active tickets, most recently updated first:
// incidents a user called in (caller_id), cases of a CSM contact (contact).
func (c *connector) RelatedOpen(ctx context.Context, person crm.Ref, limit int) ([]crm.Record, error) {
	const op = "servicenow: related open"
	if err := checkRef(op, person); err != nil {
		return nil, err
	}
	table, column := "incident", "caller_id"
	switch person.Entity {
	case "sys_user":
	case "customer_contact":
		table, column = "sn_customerservice_case", "contact"
	default:
		return nil, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf("%s is not a person table (sys_user, customer_contact)", person.Entity)}
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
