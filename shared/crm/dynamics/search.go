package dynamics

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmsearch"
)

const (
	defaultLimit = 10
	// maxLimit is the most rows one search returns: Dataverse's largest page.
	maxLimit = 5000
)

func clampLimit(n, def int) int { return crmsearch.Limit(n, def, maxLimit) }

// Default tables and columns when a dynamic data mapping names none.
var (
	phoneEntities = []string{"contact", "lead", "account"}
	phoneColumns  = map[string][]string{
		"contact": {"telephone1", "telephone2", "telephone3", "mobilephone"},
		"lead":    {"telephone1", "mobilephone"},
		"account": {"telephone1", "telephone2", "telephone3"},
	}
	emailEntities  = []string{"contact", "lead"}
	emailColumns   = []string{"emailaddress1", "emailaddress2", "emailaddress3"}
	defaultDisplay = map[string][]string{
		"contact":     {"fullname", "telephone1", "mobilephone", "emailaddress1"},
		"lead":        {"fullname", "companyname", "telephone1", "mobilephone", "emailaddress1"},
		"account":     {"name", "telephone1", "emailaddress1"},
		"incident":    {"ticketnumber", "title", "statecode"},
		"opportunity": {"name", "estimatedvalue", "estimatedclosedate"},
		"phonecall":   {"subject", "phonenumber", "actualend"},
		"task":        {"subject", "scheduledend"},
	}
)

// plan is what a search reads from one table and what it shows.
type plan struct {
	entity  string
	display []string
	search  []string
}

// makePlan checks one table of a search; prefix is the spec's place in the
// input ("entities[0]." for a mapping's entity, "" for a custom search),
// displayField the name its display fields are refused under.
func makePlan(op, prefix, displayField string, spec crm.EntitySpec) (plan, error) {
	entity, err := resolveEntityAt(op, prefix+"entity", spec.Entity)
	if err != nil {
		return plan{}, err
	}
	if err := checkColumns(op, prefix+displayField, spec.DisplayFields); err != nil {
		return plan{}, err
	}
	if err := checkColumns(op, prefix+"searchFields", spec.SearchFields); err != nil {
		return plan{}, err
	}
	p := plan{entity: entity, display: spec.DisplayFields, search: spec.SearchFields}
	if len(p.display) == 0 {
		p.display = defaultDisplay[entity]
		if p.display == nil {
			p.display = nameColumns(entity)
		}
	}
	return p, nil
}

func makePlans(op string, specs []crm.EntitySpec, defaults []string) ([]plan, error) {
	if len(specs) == 0 {
		for _, e := range defaults {
			specs = append(specs, crm.EntitySpec{Entity: e})
		}
	}
	out := make([]plan, 0, len(specs))
	for i, s := range specs {
		p, err := makePlan(op, fmt.Sprintf("entities[%d].", i), "displayFields", s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// SearchByPhone looks for the ANI in every phone column of contacts, leads
// and accounts (or the mapping's search fields). Dataverse compares phone
// columns as plain text, so each stored format to match is one eq; the
// forms come from the variants plus the common ways agents type numbers.
func (c *connector) SearchByPhone(ctx context.Context, s crm.PhoneSearch) ([]crm.Record, error) {
	const op = "dynamics: search by phone"
	forms := phoneForms(s)
	if len(forms) == 0 {
		return nil, crm.Refusal(op, "phoneNumber", "no phone number to search for")
	}
	plans, err := makePlans(op, s.Entities, phoneEntities)
	if err != nil {
		return nil, err
	}
	return c.searchEach(ctx, op, plans, clampLimit(s.Limit, defaultLimit), forms, phoneSearchColumns)
}

// phoneSearchColumns are the columns a phone search compares in a plan's
// table: the mapping's search fields, else the table's phone columns.
func phoneSearchColumns(p plan) []string {
	if len(p.search) > 0 {
		return p.search
	}
	return phoneColumns[p.entity]
}

// SearchByEmail looks for the address in emailaddress1–3 of contacts and
// leads, or in the mapping's search fields that hold email addresses.
func (c *connector) SearchByEmail(ctx context.Context, s crm.EmailSearch) ([]crm.Record, error) {
	const op = "dynamics: search by email"
	if strings.TrimSpace(s.Email) == "" || !utf8.ValidString(s.Email) {
		return nil, crm.Refusal(op, "email", "no email address to search for")
	}
	plans, err := makePlans(op, s.Entities, emailEntities)
	if err != nil {
		return nil, err
	}
	return c.searchEach(ctx, op, plans, clampLimit(s.Limit, defaultLimit), []string{s.Email}, emailSearchColumns)
}

// emailSearchColumns are the columns an email search compares in a plan's
// table: the mapping's search fields that hold email addresses, else
// emailaddress1–3 of the person tables.
func emailSearchColumns(p plan) []string {
	var out []string
	for _, f := range p.search {
		if strings.Contains(strings.ToLower(f), "email") {
			out = append(out, f)
		}
	}
	if len(out) == 0 && len(p.search) == 0 && (p.entity == "contact" || p.entity == "lead" || p.entity == "account") {
		out = emailColumns
	}
	return out
}

// searchEach queries table after table for rows where one of the columns
// equals one of the values, until limit rows are in. Tables without a
// column to search are skipped; none at all is a bad request.
func (c *connector) searchEach(ctx context.Context, op string, plans []plan, limit int, values []string, columns func(plan) []string) ([]crm.Record, error) {
	searched := false
	out, err := crmsearch.Collect(plans, limit, nil, func(p plan, want int) ([]crm.Record, error) {
		cols := columns(p)
		if len(cols) == 0 {
			return nil, nil
		}
		searched = true
		opts := queryOptions{selects: selectList(p.entity, p.display), filter: anyEqual(cols, values)}
		return c.query(ctx, op+" "+p.entity, p.entity, opts, want, p.display)
	})
	if err != nil {
		return nil, err
	}
	if !searched {
		return nil, crm.Refusal(op, "entities", "none of the entities has a field to search")
	}
	return out, nil
}

// Search runs a custom search: the portable filter compiled to $filter.
func (c *connector) Search(ctx context.Context, q crm.Query) ([]crm.Record, error) {
	const op = "dynamics: custom search"
	p, err := makePlan(op, "", "fields", crm.EntitySpec{Entity: q.Entity, DisplayFields: q.Fields})
	if err != nil {
		return nil, err
	}
	filter, err := compileFilter(q.Filter)
	if err != nil {
		return nil, err
	}
	opts := queryOptions{selects: selectList(p.entity, p.display), filter: filter}
	return c.query(ctx, op+" "+p.entity, p.entity, opts, clampLimit(q.Limit, defaultLimit), p.display)
}

// RelatedOpen lists a contact's or account's active cases (incident
// statecode 0), most recently changed first; leads have no cases.
func (c *connector) RelatedOpen(ctx context.Context, person crm.Ref, limit int) ([]crm.Record, error) {
	const op = "dynamics: open cases"
	person, err := resolveRef(op, "person.", person)
	if err != nil {
		return nil, err
	}
	if person.Entity != "contact" && person.Entity != "account" {
		return nil, nil
	}
	opts := queryOptions{selects: selectList("incident", openCaseFields), orderBy: openCasesOrder,
		filter: "_customerid_value eq " + strings.ToLower(person.ID) + " and " + openCasesFilter}
	return c.query(ctx, op, "incident", opts, clampLimit(limit, 5), openCaseFields)
}

// The open cases of a person, as RelatedOpen lists them and the one-request
// search expands them (related.go): what they show, which, in what order.
var openCaseFields = []string{"ticketnumber", "title", "prioritycode", "statecode"}

const (
	openCasesFilter = "statecode eq 0"
	openCasesOrder  = "modifiedon desc"
)

// query reads a collection page by page, following @odata.nextLink until
// limit rows are in or there are no more pages.
func (c *connector) query(ctx context.Context, op, entity string, opts queryOptions, limit int, show []string) ([]crm.Record, error) {
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: entitySet(entity), Query: opts.encode(),
		Header: callHeader{pageSize: limit}.set}, nil)
	if err != nil {
		return nil, err
	}
	rows, err := c.rowsFrom(ctx, op, r, limit, limit, false)
	if err != nil {
		return nil, err
	}
	out := make([]crm.Record, 0, len(rows))
	for _, raw := range rows {
		out = append(out, c.toRecord(entity, raw, show))
	}
	return out, nil
}

// rowsFrom reads the rows of a collection's first page r and of the pages
// after it until want rows are in or there are no more pages. The pages
// after the first are asked for at the first's size: the paging cookie
// counts pages of that size.
func (c *connector) rowsFrom(ctx context.Context, op string, r *crmhttp.Reply, want, pageSize int, noCache bool) ([]map[string]any, error) {
	var page collectionPage
	if err := crmhttp.Decode(op, c.api.CRM, r, &page); err != nil {
		return nil, err
	}
	var out []map[string]any
	for {
		for _, raw := range page.Value {
			if len(out) == want {
				return out, nil
			}
			out = append(out, raw)
		}
		if page.NextLink == "" || len(out) >= want {
			return out, nil
		}
		if err := c.checkNextLink(op, page.NextLink); err != nil {
			return nil, err
		}
		next := page.NextLink
		page = collectionPage{}
		if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Next: next,
			Header: callHeader{pageSize: pageSize, noCache: noCache}.set}, &page); err != nil {
			return nil, err
		}
	}
}

// collectionPage is one page of a collection's answer.
type collectionPage struct {
	Value    []map[string]any `json:"value"`
	NextLink string           `json:"@odata.nextLink"`
}

// checkNextLink follows a next link only on the environment's own API: the
// token must never travel to another host.
func (c *connector) checkNextLink(op, next string) error {
	u, err := url.Parse(next)
	if err != nil || u.User != nil || u.Fragment != "" || !strings.EqualFold(u.Scheme+"://"+u.Host, c.origin) ||
		!strings.HasPrefix(u.Path, "/api/data/") || strings.Contains(u.Path, "..") {
		return &crm.Error{Code: crm.Internal, Op: op, Message: "Dataverse answered a next link outside the environment"}
	}
	return nil
}
