package oracle

import (
	"context"
	"net/http"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

var _ crm.RelatedSearcher = (*connector)(nil)

// SearchByPhoneWithRelated is SearchByPhone and the single match's open
// incidents in one queryResults request: queryResults runs the
// semicolon-separated statements of its query parameter and answers one
// item per statement (op-services-rest-connect-v1.4-queryresults-get.html).
// The statements cannot pass values to each other, so the second selects
// the open incidents whose primary contact matches the search's own
// condition, through the primaryContact.parentContact relationship: when
// the search finds one contact those are exactly that contact's incidents,
// what RelatedOpen lists. Only a search of contacts alone (the default) is
// joined so; other mappings make the two calls.
func (c *connector) SearchByPhoneWithRelated(ctx context.Context, s crm.PhoneSearch, related int) (crm.RelatedResult, error) {
	const op = "oracle: search by phone"
	plans, err := makePlans(op, s.Entities, phonePlans)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	where, err := phoneWhere(op, s.Variants)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	if !contactsOnly(plans) {
		recs, err := c.SearchByPhone(ctx, s)
		return crm.SingleRelated(ctx, c, crm.RelatedResult{Records: recs}, related), err
	}
	return c.withOpenIncidents(ctx, op, plans[0], where, s.Limit, related)
}

// SearchByEmailWithRelated is SearchByEmail and the single match's open
// incidents in one queryResults request, as SearchByPhoneWithRelated.
func (c *connector) SearchByEmailWithRelated(ctx context.Context, s crm.EmailSearch, related int) (crm.RelatedResult, error) {
	const op = "oracle: search by email"
	plans, err := makePlans(op, s.Entities, emailPlans)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	where, err := emailWhere(op, s.Email)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	if !contactsOnly(plans) {
		recs, err := c.SearchByEmail(ctx, s)
		return crm.SingleRelated(ctx, c, crm.RelatedResult{Records: recs}, related), err
	}
	return c.withOpenIncidents(ctx, op, plans[0], where, s.Limit, related)
}

func contactsOnly(plans []plan) bool { return len(plans) == 1 && plans[0].entity == resContacts }

// withOpenIncidents runs the contacts search and the open incidents of the
// contacts it matches as two statements of one request. Pages after the
// first, when a statement has more, are read as the calls one by one read
// them.
func (c *connector) withOpenIncidents(ctx context.Context, op string, p plan, where func(plan) string, limit, related int) (crm.RelatedResult, error) {
	if related <= 0 {
		related = 5
	}
	cols := columns(p.entity, p.show)
	search := selectStmt(p.entity, cols, where(p), "id")
	joined := plan{entity: resIncidents, search: make([]string, len(p.search))}
	for i, f := range p.search {
		joined.search[i] = "primaryContact.parentContact." + f
	}
	openCols := columns(resIncidents, openFields)
	open := selectStmt(resIncidents, openCols, where(joined)+" AND statusWithType.statusType.id != 2", "updatedTime DESC, id DESC")

	var answer struct {
		Items []queryTable `json:"items"`
	}
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: "queryResults",
		Query: queryParam(c.page(search, 0) + "; " + c.page(open, 0))}, &answer)
	if err != nil {
		return crm.RelatedResult{}, err
	}
	if len(answer.Items) != 2 {
		return crm.RelatedResult{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "unreadable answer from Oracle B2C Service"}
	}
	found, err := c.selectFrom(ctx, op, search, cols, clampLimit(limit), rowsOf(answer.Items[0]))
	if err != nil {
		return crm.RelatedResult{}, err
	}
	var out crm.RelatedResult
	for _, m := range found {
		out.Records = append(out.Records, c.record(p.entity, cols, m, p.show))
	}
	if len(out.Records) != 1 {
		return out, nil
	}
	incidents, err := c.selectFrom(ctx, "oracle: related open", open, openCols, clampLimit(related), rowsOf(answer.Items[1]))
	if err != nil {
		out.RelatedErr = err
		return out, nil
	}
	out.Records[0].Related = make([]crm.Record, 0, len(incidents))
	for _, m := range incidents {
		out.Records[0].Related = append(out.Records[0].Related, c.record(resIncidents, openCols, m, openFields))
	}
	return out, nil
}

// rowsOf is an item's rows, never nil: an empty first page is a page read.
func rowsOf(t queryTable) [][]*string {
	if t.Rows == nil {
		return [][]*string{}
	}
	return t.Rows
}

// phoneWhere is SearchByPhone's condition on a plan: rawNumber fields (the
// digits the site keeps) against the digits of every variant, other phone
// fields against the variants as typed.
func phoneWhere(op string, variants []string) (func(plan) string, error) {
	digitList, typedList := phoneLists(variants)
	if digitList == "" || typedList == "" {
		return nil, crm.Refusal(op, "variants", "no phone number to search for")
	}
	return func(p plan) string {
		terms := make([]string, len(p.search))
		for i, f := range p.search {
			list := typedList
			if strings.HasSuffix(strings.ToLower(f), "rawnumber") {
				list = digitList
			}
			terms[i] = f + list
		}
		if len(terms) == 1 {
			return terms[0]
		}
		return "(" + strings.Join(terms, " OR ") + ")"
	}, nil
}

// emailWhere is SearchByEmail's condition on a plan.
func emailWhere(op, email string) (func(plan) string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, crm.Refusal(op, "email", "no email address to search for")
	}
	lit, err := quote(email)
	if err != nil {
		return nil, crm.Refusal(op, "email", "email %s", err.Error())
	}
	return func(p plan) string { return anyField(p.search, " = "+lit) }, nil
}
