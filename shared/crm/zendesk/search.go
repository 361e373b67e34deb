package zendesk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/phone"
)

// Search limits: a search returns at most maxLimit records; Zendesk pages
// hold up to 100 results and a query reaches at most 1000 of them.
const (
	defaultLimit = 10
	maxLimit     = 200
	pageSize     = 100
	maxResults   = 1000
)

var openFields = []string{"subject", "status", "priority", "requester_id", "updated_at"}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return defaultLimit
	case n > maxLimit:
		return maxLimit
	}
	return n
}

// searchPage is an answer of GET /api/v2/search.
type searchPage struct {
	Results  []object `json:"results"`
	NextPage *string  `json:"next_page"`
	Count    int      `json:"count"`
}

// search runs one query and follows next_page (verbatim, on the account's
// own search endpoint only) until keep accepted limit results or the
// query's 1000 reachable results are read. Results of other types than
// entity are skipped.
func (c *connector) search(ctx context.Context, op, entity, query string, sortBy string, keep func(object) bool, limit int) ([]object, error) {
	params := url.Values{"query": {query}, "per_page": {strconv.Itoa(pageSize)}}
	if sortBy != "" {
		params.Set("sort_by", sortBy)
		params.Set("sort_order", "desc")
	}
	cl := crmhttp.Call{Op: op, Method: http.MethodGet, Path: "search.json", Query: params.Encode()}
	var out []object
	for read := 0; read < maxResults; {
		var page searchPage
		r, err := c.api.Do(ctx, cl, &page)
		if err != nil {
			return nil, err
		}
		read += len(page.Results)
		for _, o := range page.Results {
			if text(o["result_type"]) == entity && validID(o.id()) && keep(o) {
				out = append(out, o)
				if len(out) >= limit {
					return out, nil
				}
			}
		}
		if page.NextPage == nil || *page.NextPage == "" || len(page.Results) == 0 {
			break
		}
		if !c.onAccount(*page.NextPage, "search") {
			return nil, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Zendesk's next page link leaves the account"}
		}
		cl = crmhttp.Call{Op: op, Method: http.MethodGet, Next: *page.NextPage}
	}
	return out, nil
}

// plan is one entity a search looks in: the fields it searches and shows.
type plan struct {
	res    resource
	search []string
	show   []string
}

func makePlans(op string, specs []crm.EntitySpec, entity string, search []string) ([]plan, error) {
	if len(specs) == 0 {
		res := standard[entity]
		return []plan{{res: res, search: search, show: res.show}}, nil
	}
	out := make([]plan, 0, len(specs))
	for i, s := range specs {
		at := fmt.Sprintf("entities[%d].", i)
		res, err := resolve(op, at+"entity", s.Entity)
		if err != nil {
			return nil, err
		}
		if res.custom() {
			return nil, crm.Refusal(op, at+"entity", "%s: custom object records are not in Zendesk's Search API (search users, tickets or organizations)", res.entity)
		}
		p := plan{res: res, search: s.SearchFields, show: s.DisplayFields}
		if len(p.search) == 0 {
			if res.entity != entity {
				return nil, crm.Refusal(op, at+"searchFields", "entity %s needs searchFields", crm.QuoteName(res.entity))
			}
			p.search = search
		}
		if len(p.show) == 0 {
			p.show = res.show
		}
		if err := checkFields(op, at+"searchFields", p.search); err != nil {
			return nil, err
		}
		if err := checkFields(op, at+"displayFields", p.show); err != nil {
			return nil, err
		}
		for j, f := range p.search {
			if keyword(res.entity, f) == "" {
				return nil, crm.Refusal(op, fmt.Sprintf("%ssearchFields[%d]", at, j), "field %s of %s cannot be searched", crm.QuoteName(f), res.entity)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// collect runs one query per plan and search field, merging by id, until limit.
func (c *connector) collect(ctx context.Context, op string, plans []plan, limit int,
	query func(p plan, field string) string, keep func(p plan, field string, o object) bool) ([]crm.Record, error) {
	limit = clampLimit(limit)
	var out []crm.Record
	seen := map[string]bool{}
	for _, p := range plans {
		for _, f := range p.search {
			objs, err := c.search(ctx, op, p.res.entity, query(p, f), "", func(o object) bool {
				return !seen[p.res.entity+"/"+o.id()] && keep(p, f, o)
			}, limit-len(out))
			if err != nil {
				return nil, err
			}
			for _, o := range objs {
				seen[p.res.entity+"/"+o.id()] = true
				out = append(out, c.record(p.res, o, p.show))
			}
			if len(out) >= limit {
				return out, nil
			}
		}
	}
	return out, nil
}

// SearchByPhone looks for the number in users' phone (or the mapping's
// fields) with one digits-only term per field, phone:*4155550100: the
// leading wildcard lets Zendesk match the number in any format and with
// any country code. Results are kept only when their digits are those of a
// form of the number (phone.Variants), so 4155550100 does not match
// 84155550100.
func (c *connector) SearchByPhone(ctx context.Context, s crm.PhoneSearch) ([]crm.Record, error) {
	const op = "zendesk: search by phone"
	plans, err := makePlans(op, s.Entities, "user", []string{"phone"})
	if err != nil {
		return nil, err
	}
	forms := map[string]bool{}
	shortest := ""
	for _, v := range s.Variants {
		d := phone.Digits(v)
		if len(d) < phone.MinDigits || len(d) > phone.MaxDigits {
			continue
		}
		forms[d] = true
		if shortest == "" || len(d) < len(shortest) {
			shortest = d
		}
	}
	if shortest == "" {
		return nil, crm.Refusal(op, "variants", "no phone number to search for")
	}
	return c.collect(ctx, op, plans, s.Limit,
		func(p plan, f string) string {
			return "type:" + p.res.entity + " " + keyword(p.res.entity, f) + ":*" + shortest
		},
		func(p plan, f string, o object) bool {
			v, _ := o.lookup(f)
			for _, h := range values(v) {
				if forms[phone.Digits(h)] {
					return true
				}
			}
			return false
		})
}

// SearchByEmail looks for the address with a quoted phrase,
// email:"jane.doe@example.com", and keeps the users whose address it is
// (Zendesk compares addresses case-insensitively). An address that cannot
// stand in a phrase unchanged (quotes, backslashes, *, white space) is
// refused: no real address needs them.
func (c *connector) SearchByEmail(ctx context.Context, s crm.EmailSearch) ([]crm.Record, error) {
	const op = "zendesk: search by email"
	plans, err := makePlans(op, s.Entities, "user", []string{"email"})
	if err != nil {
		return nil, err
	}
	email := strings.TrimSpace(s.Email)
	phrase, changed := quote(email)
	if email == "" || changed || strings.ContainsAny(email, " \t") || !strings.Contains(email, "@") || !hasWord(email) {
		return nil, crm.Refusal(op, "email", "not an email address that can be searched for")
	}
	return c.collect(ctx, op, plans, s.Limit,
		func(p plan, f string) string {
			return "type:" + p.res.entity + " " + keyword(p.res.entity, f) + ":" + phrase
		},
		func(p plan, f string, o object) bool {
			v, _ := o.lookup(f)
			return slices.ContainsFunc(values(v), func(h string) bool { return strings.EqualFold(h, email) })
		})
}

// Search runs a custom search: the portable filter as one or more search
// queries (see compileFilter), every result checked against the filter.
func (c *connector) Search(ctx context.Context, q crm.Query) ([]crm.Record, error) {
	op := "zendesk: search " + q.Entity
	res, err := checkEntity(op, q.Entity)
	if err != nil {
		return nil, err
	}
	if res.custom() {
		return nil, crm.Refusal(op, "entity", "%s: custom object records are not in Zendesk's Search API (search users, tickets or organizations)", res.entity)
	}
	if err := checkFields(op, "fields", q.Fields); err != nil {
		return nil, err
	}
	if err := q.Filter.Validate(); err != nil {
		return nil, crm.Refusal(op, "filter", "filter: %s", err.Error())
	}
	var bad error
	q.Filter.Conditions(func(f crm.Filter) {
		if bad == nil && !validPath(f.Field) {
			bad = crm.Refusal(op, "filter", "filter: %s is not a Zendesk attribute path", crm.QuoteName(f.Field))
		}
	})
	if bad != nil {
		return nil, bad
	}
	queries, err := compileFilter(res.entity, q.Filter)
	if err != nil {
		return nil, crm.Refusal(op, "filter", "filter: %s", err.Error())
	}
	show := q.Fields
	if len(show) == 0 {
		show = res.show
	}
	limit := clampLimit(q.Limit)
	var out []crm.Record
	seen := map[string]bool{}
	for _, query := range queries {
		objs, err := c.search(ctx, op, res.entity, query, "", func(o object) bool {
			return !seen[o.id()] && matches(o, q.Filter)
		}, limit-len(out))
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			seen[o.id()] = true
			out = append(out, c.record(res, o, show))
		}
		if len(out) >= limit {
			break
		}
	}
	return out, nil
}

// RelatedOpen lists the unsolved tickets a user requested (or of an
// organization), most recently updated first: type:ticket requester:{id}
// status<solved. Search is eventually consistent, so a ticket made seconds
// ago may be missing; the card is refreshed on the next search.
func (c *connector) RelatedOpen(ctx context.Context, person crm.Ref, limit int) ([]crm.Record, error) {
	const op = "zendesk: related open"
	res, err := checkRef(op, "person.", person)
	if err != nil {
		return nil, err
	}
	kw, attr := "requester", "requester_id"
	switch res.entity {
	case entUser:
	case entOrganization:
		kw, attr = "organization", "organization_id"
	default:
		return nil, crm.Refusal(op, "person.entity", "%s has no tickets (user, organization)", res.entity)
	}
	if limit <= 0 {
		limit = 5
	}
	limit = clampLimit(limit)
	objs, err := c.search(ctx, op, "ticket", "type:ticket "+kw+":"+person.ID+" status<solved", "updated_at", func(o object) bool {
		return text(o[attr]) == person.ID && slices.Index(statusRank, text(o["status"])) < slices.Index(statusRank, "solved")
	}, limit)
	if err != nil {
		return nil, err
	}
	out := make([]crm.Record, 0, len(objs))
	for _, o := range objs {
		out = append(out, c.record(standard[entTicket], o, openFields))
	}
	return out, nil
}

// listExternal reads the records of a resource with an external_id
// through database reads (consistent at once, unlike search): GET
// /api/v2/tickets?external_id= (ListTickets), /api/v2/users/show_many and
// /api/v2/organizations/show_many?external_ids= (ShowManyUsers,
// ShowManyOrganizations: "a comma-separated list of up to 100 … external
// ids") and, for custom object records, GET
// /api/v2/custom_objects/{key}/records?filter[external_ids]=. A comma
// separates external ids in the last three; the driver's markers have none.
func (c *connector) listExternal(ctx context.Context, op string, res resource, externalID string) ([]object, error) {
	path, param, list := res.plural+"/show_many.json", "external_ids", res.plural
	switch {
	case res.custom():
		path, param, list = res.plural, "filter[external_ids]", "custom_object_records"
	case res.entity == entTicket:
		path, param = res.plural+".json", "external_id"
	}
	if strings.Contains(externalID, ",") {
		return nil, crm.Refusal(op, "key", "an external id with a comma cannot be looked up")
	}
	var env map[string]json.RawMessage
	q := url.Values{param: {externalID}}
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: path, Query: q.Encode()}, &env)
	if err != nil {
		return nil, err
	}
	var out []object
	if raw, ok := env[list]; ok {
		if err := decode(op, &crmhttp.Reply{Status: r.Status, Body: raw}, &out); err != nil {
			return nil, err
		}
	}
	return out, nil
}
