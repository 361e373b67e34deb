package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

const (
	defaultLimit = 10
	// maxLimit is the most records one search returns; far below HubSpot's
	// 10,000-result paging cap.
	maxLimit = 1000
	// pageLimit is the largest page HubSpot's search answers.
	pageLimit = 200
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

// Default objects and properties when a dynamic data mapping names none.
var (
	phoneEntities   = []string{"contacts", "companies"}
	phoneProperties = map[string][]string{typeContact: {"phone", "mobilephone"}, typeCompany: {"phone"}}
	emailEntities   = []string{"contacts"}
	emailProperties = map[string][]string{typeContact: {"email"}}
)

// plan is what a search reads from one object and what it shows.
type plan struct {
	obj    object
	show   []string
	search []string
}

func makePlans(op string, specs []crm.EntitySpec, defaults []string, defaultSearch map[string][]string) ([]plan, error) {
	if len(specs) == 0 {
		for _, e := range defaults {
			specs = append(specs, crm.EntitySpec{Entity: e})
		}
	}
	out := make([]plan, 0, len(specs))
	for i, s := range specs {
		at := fmt.Sprintf("entities[%d].", i)
		o, err := resolveAt(op, at+"entity", s.Entity)
		if err != nil {
			return nil, err
		}
		if err := checkProperties(op, at+"displayFields", s.DisplayFields); err != nil {
			return nil, err
		}
		if err := checkProperties(op, at+"searchFields", s.SearchFields); err != nil {
			return nil, err
		}
		p := plan{obj: o, show: fieldsOrDefault(o.typeID, s.DisplayFields), search: s.SearchFields}
		if len(p.search) == 0 {
			p.search = defaultSearch[o.typeID]
		}
		if len(p.search) == 0 {
			return nil, crm.Refusal(op, at+"searchFields", "%s has no default search properties: name them in searchFields", o.entity)
		}
		out = append(out, p)
	}
	return out, nil
}

// SearchByPhone looks for the number in every phone property of contacts
// (phone, mobilephone) and companies (phone), or the mapping's search
// fields. HubSpot keeps phone numbers as typed, so every form of the number
// (see phoneForms) is looked for: one IN filter per property (phone numbers
// have no capitals, which IN needs), one filter group per property, OR-ed.
func (c *connector) SearchByPhone(ctx context.Context, s crm.PhoneSearch) ([]crm.Record, error) {
	const op = "hubspot: search by phone"
	var forms []any
	for _, v := range phoneForms(s) {
		forms = append(forms, v)
	}
	if len(forms) == 0 {
		return nil, crm.Refusal(op, "variants", "no phone number to search for")
	}
	plans, err := makePlans(op, s.Entities, phoneEntities, phoneProperties)
	if err != nil {
		return nil, err
	}
	return c.searchPlans(ctx, op, plans, clampLimit(s.Limit), crm.Filter{Op: crm.OpIn, Value: forms})
}

// SearchByEmail looks for the address with EQ (which ignores case) in the
// email property of contacts, or the mapping's search fields.
func (c *connector) SearchByEmail(ctx context.Context, s crm.EmailSearch) ([]crm.Record, error) {
	const op = "hubspot: search by email"
	email := strings.TrimSpace(s.Email)
	if email == "" || !utf8.ValidString(email) || len(email) > maxValueLength {
		return nil, crm.Refusal(op, "email", "email must be 1 to 1000 bytes of UTF-8")
	}
	plans, err := makePlans(op, s.Entities, emailEntities, emailProperties)
	if err != nil {
		return nil, err
	}
	return c.searchPlans(ctx, op, plans, clampLimit(s.Limit), crm.Filter{Op: crm.OpEq, Value: email})
}

// searchPlans runs one search per object with the condition on each of its
// search fields OR-ed. Groups beyond HubSpot's limits go into further
// requests; records found twice are kept once.
func (c *connector) searchPlans(ctx context.Context, op string, plans []plan, limit int, cond crm.Filter) ([]crm.Record, error) {
	var out []crm.Record
	seen := map[crm.Ref]bool{}
	for _, pl := range plans {
		var groups []filterGroup
		for _, field := range pl.search {
			cond.Field = field
			g, err := compileFilter(cond)
			if err != nil {
				return nil, err
			}
			groups = append(groups, g...)
		}
		for _, chunk := range chunkGroups(groups) {
			recs, err := c.search(ctx, op, pl.obj, chunk, pl.show, limit-len(out))
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				if ref := (crm.Ref{Entity: r.Entity, ID: r.ID}); !seen[ref] {
					seen[ref] = true
					out = append(out, r)
				}
			}
			if len(out) >= limit {
				return out[:limit], nil
			}
		}
	}
	return out, nil
}

// chunkGroups splits OR-ed groups into requests within HubSpot's limits;
// each group on its own already fits them.
func chunkGroups(groups []filterGroup) [][]filterGroup {
	var out [][]filterGroup
	var cur []filterGroup
	n := 0
	for _, g := range groups {
		if len(cur) == maxGroups || n+len(g.Filters) > maxFilters {
			out = append(out, cur)
			cur, n = nil, 0
		}
		cur = append(cur, g)
		n += len(g.Filters)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// Search runs a custom search: the portable filter compiled to filter groups.
func (c *connector) Search(ctx context.Context, q crm.Query) ([]crm.Record, error) {
	const op = "hubspot: search"
	o, err := resolve(op, q.Entity)
	if err != nil {
		return nil, err
	}
	if err := checkProperties(op, "fields", q.Fields); err != nil {
		return nil, err
	}
	groups, err := compileFilter(q.Filter)
	if err != nil {
		return nil, err
	}
	return c.search(ctx, op, o, groups, fieldsOrDefault(o.typeID, q.Fields), clampLimit(q.Limit))
}

// searchBody is POST /crm/v3/objects/{type}/search.
type searchBody struct {
	FilterGroups []filterGroup `json:"filterGroups"`
	Sorts        []sortRule    `json:"sorts,omitempty"`
	Properties   []string      `json:"properties"`
	Limit        int           `json:"limit"`
	After        string        `json:"after,omitempty"`
}

type sortRule struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"`
}

type searchAnswer struct {
	Results []hsObject `json:"results"`
	Paging  *struct {
		Next *struct {
			After string `json:"after"`
		} `json:"next"`
	} `json:"paging"`
}

// search asks for pages of up to 200 records, following paging.next.after
// (sent back in the body) until the limit is reached or no page follows.
func (c *connector) search(ctx context.Context, op string, o object, groups []filterGroup, show []string, limit int) ([]crm.Record, error) {
	body := searchBody{FilterGroups: groups, Properties: readList(o.typeID, show)}
	var out []crm.Record
	for len(out) < limit {
		body.Limit = min(limit-len(out), pageLimit)
		var page searchAnswer
		if _, err := c.api.Do(ctx, crmhttp.Call{Op: op + " " + o.entity, Method: http.MethodPost, Path: objectPath(o, "") + "/search", Body: body}, &page); err != nil {
			return nil, err
		}
		// The account details (for record URLs) are read after HubSpot
		// answered: a refusal of the search is the CRM's answer, and
		// details that cannot be read only leave the URLs out.
		p := c.portal(ctx)
		for _, h := range page.Results {
			out = append(out, p.toRecord(o, h, show))
		}
		if page.Paging == nil || page.Paging.Next == nil || page.Paging.Next.After == "" || len(page.Results) == 0 {
			break
		}
		body.After = page.Paging.Next.After
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
