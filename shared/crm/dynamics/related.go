package dynamics

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

var _ crm.RelatedSearcher = (*connector)(nil)

// openCasesNav is the collection-valued navigation property from a person
// table to the incidents whose customer it is: the one-to-many
// relationships incident_customer_contacts and incident_customer_accounts
// (ReferencingAttribute customerid, ReferencedEntityNavigationPropertyName
// the relationship's name; reference/entities/contact.md, account.md). The
// incidents RelatedOpen lists by _customerid_value are exactly these.
var openCasesNav = map[string]string{"contact": "incident_customer_contacts", "account": "incident_customer_accounts"}

// openCasesExpand is the $expand of a person's open cases, the RelatedOpen
// query as expand options: a single-level $expand of a collection-valued
// navigation property takes $select, $filter, $orderby and $top, and its
// rows are not paged (webapi/query/join-tables.md).
func openCasesExpand(nav string, limit int) string {
	return nav + "($select=" + strings.Join(selectList("incident", openCaseFields), ",") + ";$filter=" + openCasesFilter +
		";$orderby=" + openCasesOrder + ";$top=" + strconv.Itoa(limit) + ")"
}

// SearchByPhoneWithRelated is SearchByPhone with the open cases of every
// contact and account found in the same request: each table's query
// expands the person's incidents, and the queries of several tables go as
// GET operations of one $batch. See searchWithOpenCases.
func (c *connector) SearchByPhoneWithRelated(ctx context.Context, s crm.PhoneSearch, related int) (crm.RelatedResult, error) {
	const op = "dynamics: search by phone"
	forms := phoneForms(s)
	if len(forms) == 0 {
		return crm.RelatedResult{}, crm.Refusal(op, "phoneNumber", "no phone number to search for")
	}
	plans, err := makePlans(op, s.Entities, phoneEntities)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	return c.searchWithOpenCases(ctx, op, plans, clampLimit(s.Limit, defaultLimit), forms, phoneSearchColumns, related,
		func() ([]crm.Record, error) { return c.SearchByPhone(ctx, s) })
}

// SearchByEmailWithRelated is SearchByEmail with the open cases of the
// contacts and accounts found, in one request, as SearchByPhoneWithRelated.
func (c *connector) SearchByEmailWithRelated(ctx context.Context, s crm.EmailSearch, related int) (crm.RelatedResult, error) {
	const op = "dynamics: search by email"
	if strings.TrimSpace(s.Email) == "" || !utf8.ValidString(s.Email) {
		return crm.RelatedResult{}, crm.Refusal(op, "email", "no email address to search for")
	}
	plans, err := makePlans(op, s.Entities, emailEntities)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	return c.searchWithOpenCases(ctx, op, plans, clampLimit(s.Limit, defaultLimit), []string{s.Email}, emailSearchColumns, related,
		func() ([]crm.Record, error) { return c.SearchByEmail(ctx, s) })
}

// searchPart is one table's query of a search.
type searchPart struct {
	p    plan
	opts queryOptions
	nav  string // the expanded open cases, "" for tables without cases
}

// searchWithOpenCases runs searchEach's queries in one round trip, each
// with the open cases of the people it finds: a lone query as a GET, more
// as GET operations of one $batch (run in order; execute-batch-operations-
// using-web-api.md). Each query asks for limit rows, the rows are taken in
// table order until limit are in, and pages beyond the first are followed
// as searchEach follows them, so the records are searchEach's. A single
// match's cases are its expanded incidents, the rows RelatedOpen reads: the
// same filter, order and limit. Expanded collections may come from a cache
// that lags recent changes unless If-None-Match: null is sent
// (join-tables.md), so it is. An environment without the incident table
// (Dataverse without Customer Service) refuses the $expand with a 400; then
// the search is made one call at a time, as before, and the connector stops
// expanding.
func (c *connector) searchWithOpenCases(ctx context.Context, op string, plans []plan, limit int, values []string,
	columns func(plan) []string, related int, oneByOne func() ([]crm.Record, error)) (crm.RelatedResult, error) {
	related = clampLimit(related, 5)
	if c.noCaseExpand.Load() {
		recs, err := oneByOne()
		return crm.SingleRelated(ctx, c, crm.RelatedResult{Records: recs}, related), err
	}
	var parts []searchPart
	for _, p := range plans {
		cols := columns(p)
		if len(cols) == 0 {
			continue
		}
		sp := searchPart{p: p, opts: queryOptions{selects: selectList(p.entity, p.display), filter: anyEqual(cols, values)},
			nav: openCasesNav[p.entity]}
		if sp.nav != "" {
			sp.opts.expand = openCasesExpand(sp.nav, related)
		}
		parts = append(parts, sp)
	}
	if len(parts) == 0 {
		return crm.RelatedResult{}, crm.Refusal(op, "entities", "none of the entities has a field to search")
	}
	answers, err := c.firstPages(ctx, op, parts, limit)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	var out crm.RelatedResult
	var cases []expanded // per record
	for i, sp := range parts {
		if len(out.Records) >= limit {
			break // searchEach would not have asked the rest
		}
		if i >= len(answers) {
			return crm.RelatedResult{}, unreadableBatch(op, 0, nil)
		}
		a := answers[i]
		pop := op + " " + sp.p.entity
		if a.Status < 200 || a.Status > 299 {
			e := apiError(pop, a.Status, a.Header, a.Body)
			if sp.nav != "" && e.Code == crm.InvalidArgument {
				return c.withoutExpand(ctx, oneByOne, related)
			}
			return crm.RelatedResult{}, e
		}
		rows, err := c.rowsFrom(ctx, pop, a, limit-len(out.Records), limit, true)
		if err != nil {
			return crm.RelatedResult{}, err
		}
		for _, raw := range rows {
			out.Records = append(out.Records, c.toRecord(sp.p.entity, raw, sp.p.display))
			cases = append(cases, c.expandedCases(raw, sp.nav))
		}
	}
	if len(out.Records) != 1 {
		return out, nil
	}
	switch x := cases[0]; {
	case !x.asked:
		// A table without cases: RelatedOpen lists none.
	case !x.found:
		// The answer lacks the expansion: read the cases as before.
		return crm.SingleRelated(ctx, c, out, related), nil
	default:
		out.Records[0].Related = x.records
	}
	return out, nil
}

// firstPages sends the parts' queries, one GET or one $batch, and returns
// their answers in order; a failed operation ends the list.
func (c *connector) firstPages(ctx context.Context, op string, parts []searchPart, limit int) ([]*crmhttp.Reply, error) {
	if len(parts) == 1 {
		sp := parts[0]
		// Any status comes back, to be read as a batch operation's would.
		r, err := c.api.Do(ctx, crmhttp.Call{Op: op + " " + sp.p.entity, Method: http.MethodGet, Path: entitySet(sp.p.entity),
			Query: sp.opts.encode(), Header: callHeader{pageSize: limit, noCache: true}.set, AnyStatus: true}, nil)
		if err != nil {
			return nil, err
		}
		return []*crmhttp.Reply{r}, nil
	}
	gets := make([]batchGet, len(parts))
	for i, sp := range parts {
		gets[i] = batchGet{target: entitySet(sp.p.entity) + "?" + sp.opts.encode(), pageSize: limit, noCache: true}
	}
	replies, err := c.getAll(ctx, op, gets)
	if err != nil {
		return nil, err
	}
	out := make([]*crmhttp.Reply, len(replies))
	for i, r := range replies {
		out[i] = &crmhttp.Reply{Status: r.status, Header: r.header, Body: r.body}
	}
	return out, nil
}

// withoutExpand is the search and RelatedOpen one call at a time, for an
// environment that refused the cases' $expand. When the search then
// succeeds, the refusal was the expansion's, and the connector stops
// asking for it.
func (c *connector) withoutExpand(ctx context.Context, oneByOne func() ([]crm.Record, error), related int) (crm.RelatedResult, error) {
	recs, err := oneByOne()
	if err != nil {
		return crm.RelatedResult{}, err
	}
	c.noCaseExpand.Store(true)
	return crm.SingleRelated(ctx, c, crm.RelatedResult{Records: recs}, related), nil
}

// expanded is what a row's answer holds of the person's open cases.
type expanded struct {
	asked, found bool
	records      []crm.Record
}

// expandedCases reads the expanded open cases of a row.
func (c *connector) expandedCases(raw map[string]any, nav string) expanded {
	if nav == "" {
		return expanded{}
	}
	v, ok := raw[nav]
	if !ok {
		return expanded{asked: true}
	}
	b, err := json.Marshal(v)
	var rows []map[string]any
	if err != nil || json.Unmarshal(b, &rows) != nil {
		return expanded{asked: true}
	}
	out := expanded{asked: true, found: true, records: make([]crm.Record, 0, len(rows))}
	for _, row := range rows {
		out.records = append(out.records, c.toRecord("incident", row, openCaseFields))
	}
	return out
}
