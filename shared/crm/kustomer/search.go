package kustomer

import (
	"context"
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

const (
	defaultLimit = 10
	// maxLimit is the most records one search returns; Kustomer's search
	// pages at most 100 pages of 100.
	maxLimit = 1000
	// pageLimit is the largest page Kustomer answers.
	pageLimit = 100
	// maxValueLength bounds an email searched for.
	maxValueLength = 1000
	searchPath     = "/v1/customers/search"
	// maxCriteria is the most items an and or or list takes (the search
	// schema's maxItems).
	maxCriteria = 20
)

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return defaultLimit
	case n > maxLimit:
		return maxLimit
	}
	return n
}

// phoneSearchable is the shape Kustomer's search schema requires of a
// customer_phone value.
var phoneSearchable = lazyre.New(`^\+?[1-9]\d{1,14}$`)

// searchBody is POST /v1/customers/search.
type searchBody struct {
	And          []criterion         `json:"and,omitempty"`
	Or           []criterion         `json:"or,omitempty"`
	Sort         []map[string]string `json:"sort,omitempty"`
	QueryContext string              `json:"queryContext"`
}

// plan is a person search: the fields looked in and the fields shown.
type plan struct {
	show   []string
	search []string
}

// personPlan reads a mapping's customer spec; Kustomer's person-like
// object is the customer, and the only one its search lists by phone or
// email.
func personPlan(op string, specs []crm.EntitySpec, defaultSearch string) (plan, error) {
	p := plan{show: defaultFields[entCustomer], search: []string{defaultSearch}}
	for i, s := range specs {
		at := fmt.Sprintf("entities[%d].", i)
		o, err := resolveAt(op, at+"entity", s.Entity)
		if err != nil {
			return plan{}, err
		}
		if o.entity != entCustomer || i > 0 {
			return plan{}, crm.Refusal(op, at+"entity", "entity %s cannot be searched by phone or email: Kustomer searches customers", quoteName(s.Entity))
		}
		if err := checkFields(op, at+"displayFields", s.DisplayFields); err != nil {
			return plan{}, err
		}
		if len(s.DisplayFields) > 0 {
			p.show = s.DisplayFields
		}
		if len(s.SearchFields) > 0 {
			p.search = s.SearchFields
		}
	}
	return p, nil
}

// SearchByPhone looks for the number in the customers' phones (or the
// mapping's search fields) with one equals criterion per form of the
// number, OR-ed. Kustomer's schema takes only digits with an optional
// leading +, so the formatted variants are left out.
func (c *connector) SearchByPhone(ctx context.Context, s crm.PhoneSearch) ([]crm.Record, error) {
	const op = "kustomer: search by phone"
	var forms []string
	for _, v := range s.Variants {
		v = strings.TrimSpace(v)
		if phoneSearchable.MatchString(v) && !slices.Contains(forms, v) {
			forms = append(forms, v)
		}
	}
	if len(forms) == 0 {
		return nil, crm.Refusal(op, "variants", "no phone number to search for (Kustomer searches digits with an optional leading +)")
	}
	p, err := personPlan(op, s.Entities, "phone")
	if err != nil {
		return nil, err
	}
	var either []criterion
	for _, field := range p.search {
		attr, err := searchAttribute(entCustomer, field)
		if err != nil {
			return nil, crm.Refusal(op, "searchFields", "%v", err)
		}
		for _, v := range forms {
			either = append(either, criterion{attr: map[string]any{"equals": v}})
		}
	}
	if len(either) > maxCriteria {
		return nil, crm.Refusal(op, "searchFields", "%d criteria: Kustomer search takes at most %d (fewer search fields or number forms)", len(either), maxCriteria)
	}
	return c.search(ctx, op, object{entity: entCustomer}, searchBody{Or: either}, p.show, clampLimit(s.Limit))
}

// SearchByEmail looks for the address with equals on the customers'
// emails (or the mapping's search fields).
func (c *connector) SearchByEmail(ctx context.Context, s crm.EmailSearch) ([]crm.Record, error) {
	const op = "kustomer: search by email"
	email := strings.TrimSpace(s.Email)
	if email == "" || !utf8.ValidString(email) || len(email) > maxValueLength {
		return nil, crm.Refusal(op, "email", "email must be 1 to 1000 bytes of UTF-8")
	}
	p, err := personPlan(op, s.Entities, "email")
	if err != nil {
		return nil, err
	}
	var either []criterion
	for _, field := range p.search {
		attr, err := searchAttribute(entCustomer, field)
		if err != nil {
			return nil, crm.Refusal(op, "searchFields", "%v", err)
		}
		either = append(either, criterion{attr: map[string]any{"equals": email}})
	}
	if len(either) > maxCriteria {
		return nil, crm.Refusal(op, "searchFields", "%d search fields: Kustomer search takes at most %d", len(either), maxCriteria)
	}
	return c.search(ctx, op, object{entity: entCustomer}, searchBody{Or: either}, p.show, clampLimit(s.Limit))
}

// Search runs a custom search of customers or conversations: the portable
// filter compiled to one criterion.
func (c *connector) Search(ctx context.Context, q crm.Query) ([]crm.Record, error) {
	const op = "kustomer: search"
	o, err := resolve(op, q.Entity)
	if err != nil {
		return nil, err
	}
	if !searchContexts[o.entity] {
		return nil, crm.Refusal(op, "entity", "entity %s cannot be searched: Kustomer's search lists customers and conversations", quoteName(q.Entity))
	}
	if err := checkFields(op, "fields", q.Fields); err != nil {
		return nil, err
	}
	crit, err := compileFilter(o.entity, q.Filter)
	if err != nil {
		return nil, err
	}
	return c.search(ctx, op, o, searchBody{And: []criterion{crit}}, fieldsOrDefault(o, q.Fields), clampLimit(q.Limit))
}

// search posts the body page by page (?page=&pageSize=), most recently
// updated first, following links.next until the limit is reached or no page
// follows. The page size stays the same on every page, since Kustomer
// numbers pages by it.
func (c *connector) search(ctx context.Context, op string, o object, body searchBody, show []string, limit int) ([]crm.Record, error) {
	body.QueryContext = o.entity
	body.Sort = []map[string]string{{o.entity + "_updated_at": "desc"}}
	call := crmhttp.Call{Op: op + " " + o.entity, Method: http.MethodPost, Path: searchPath, Body: body}
	q := url.Values{"page": {"1"}, "pageSize": {strconv.Itoa(min(limit, pageLimit))}}
	var out []crm.Record
	if _, err := c.eachPage(ctx, call, q, maxLimit/pageLimit+1, func(page list) bool {
		for _, res := range page.Data {
			if idShape.MatchString(res.ID) {
				out = append(out, c.toRecord(o, res, show))
			}
		}
		return len(out) >= limit
	}); err != nil {
		return nil, err
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
