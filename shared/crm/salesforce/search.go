package salesforce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmsearch"
	"github.com/crmflow/crmflow/shared/phone"
)

const (
	defaultLimit = 10
	// maxLimit is the most records one search returns: SOSL's cap and SOQL's batch.
	maxLimit = 2000
)

func clampLimit(n, def int) int { return crmsearch.Limit(n, def, maxLimit) }

// Default entities and fields when a dynamic data mapping names none.
var (
	phoneEntities  = []string{"Contact", "Lead", "Account"}
	emailEntities  = []string{"Contact", "Lead"}
	defaultDisplay = map[string][]string{
		"Contact":     {"Name", "Phone", "MobilePhone", "Email"},
		"Lead":        {"Name", "Company", "Phone", "MobilePhone", "Email"},
		"Account":     {"Name", "Phone"},
		"Case":        {"CaseNumber", "Subject", "Status"},
		"Opportunity": {"Name", "StageName", "CloseDate"},
		"WorkOrder":   {"WorkOrderNumber", "Subject", "Status"},
		"Task":        {"Subject", "Status", "ActivityDate"},
	}
)

// plan is what a search selects from one entity and what it shows.
type plan struct {
	entity     string
	display    []string
	search     []string
	selectList []string
}

// makePlan checks a search's entity and fields; at prefixes the refused
// field ("entities[1]" gives "entities[1].entity"), "" for a custom search.
func makePlan(op, at string, spec crm.EntitySpec) (plan, error) {
	pre, display := "", "fields"
	if at != "" {
		pre, display = at+".", at+".displayFields"
	}
	entity, err := resolveEntityAt(op, pre+"entity", spec.Entity)
	if err != nil {
		return plan{}, err
	}
	if msg := searchProblem(entity); msg != "" {
		return plan{}, crm.Refusal(op, pre+"entity", "%s", msg)
	}
	if err := checkFieldList(op, display, spec.DisplayFields, true); err != nil {
		return plan{}, err
	}
	if err := checkFieldList(op, pre+"searchFields", spec.SearchFields, true); err != nil {
		return plan{}, err
	}
	p := plan{entity: entity, display: spec.DisplayFields, search: spec.SearchFields}
	if len(p.display) == 0 {
		p.display = defaultDisplay[entity]
		if p.display == nil {
			p.display = []string{"Name"}
		}
	}
	sel := []string{"Id"}
	sel = append(sel, nameFields(entity)...)
	sel = append(sel, p.display...)
	sel = append(sel, p.search...)
	p.selectList = dedupeFold(append(sel, "LastModifiedDate"))
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
		p, err := makePlan(op, fmt.Sprintf("entities[%d]", i), s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (p plan) soql(where string, limit int) string {
	return "SELECT " + strings.Join(p.selectList, ",") + " FROM " + p.entity + " WHERE " + where + " LIMIT " + strconv.Itoa(limit)
}

// SearchByPhone looks for the ANI's variants in every phone field with one
// SOSL search (Salesforce normalizes phone formats for it). When a mapping
// names search fields, only records matching in one of those are kept.
func (c *connector) SearchByPhone(ctx context.Context, s crm.PhoneSearch) ([]crm.Record, error) {
	const op = "salesforce: search by phone"
	plans, err := makePlans(op, s.Entities, phoneEntities)
	if err != nil {
		return nil, err
	}
	limit := clampLimit(s.Limit, defaultLimit)
	q, ok := phoneSOSL(s.Variants, plans, limit)
	if !ok {
		return nil, crm.Refusal(op, "variants", "no phone number to search for")
	}
	var resp struct {
		SearchRecords []map[string]any `json:"searchRecords"`
	}
	if err := c.do(ctx, call{op: op, method: http.MethodGet, path: c.dataPath("search/"), query: url.Values{"q": {q}}}, &resp); err != nil {
		return nil, err
	}
	wanted := map[string]bool{}
	for _, v := range s.Variants {
		if k := phoneKey(v); k != "" {
			wanted[k] = true
		}
	}
	var out []crm.Record
	for _, raw := range resp.SearchRecords {
		attrs, _ := raw["attributes"].(map[string]any)
		entity, _ := attrs["type"].(string)
		i := slices.IndexFunc(plans, func(p plan) bool { return strings.EqualFold(p.entity, entity) })
		if i < 0 || !matchesSearchFields(raw, plans[i].search, wanted) {
			continue
		}
		out = append(out, c.toRecord(raw, plans[i].display))
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// phoneKey compares phone numbers as SOSL does: digits only, NANP numbers
// without their leading 1.
func phoneKey(s string) string {
	d := phone.Digits(s)
	if len(d) == 11 && d[0] == '1' {
		return d[1:]
	}
	return d
}

func matchesSearchFields(raw map[string]any, fields []string, wanted map[string]bool) bool {
	if len(fields) == 0 {
		return true
	}
	for _, f := range fields {
		if v, ok := lookupPath(raw, f).(string); ok && wanted[phoneKey(v)] {
			return true
		}
	}
	return false
}

// SearchByEmail runs one SOQL query per entity over its email fields: the
// mapping's search fields that contain "Email", else Email on Contact and
// Lead. Entities without an email field are skipped.
func (c *connector) SearchByEmail(ctx context.Context, s crm.EmailSearch) ([]crm.Record, error) {
	const op = "salesforce: search by email"
	if strings.TrimSpace(s.Email) == "" {
		return nil, crm.Refusal(op, "email", "no email address to search for")
	}
	plans, err := makePlans(op, s.Entities, emailEntities)
	if err != nil {
		return nil, err
	}
	searched := false
	out, err := crmsearch.Collect(plans, clampLimit(s.Limit, defaultLimit), nil, func(p plan, want int) ([]crm.Record, error) {
		fields := emailFields(p)
		if len(fields) == 0 {
			return nil, nil
		}
		searched = true
		conds := make([]string, len(fields))
		for i, f := range fields {
			conds[i] = f + " = " + quote(s.Email)
		}
		where := conds[0]
		if len(conds) > 1 {
			where = "(" + strings.Join(conds, " OR ") + ")"
		}
		return c.query(ctx, op, p.soql(where, want), want, p.display)
	})
	if err != nil {
		return nil, err
	}
	if !searched {
		return nil, crm.Refusal(op, "entities", "none of the entities has an email field to search")
	}
	return out, nil
}

func emailFields(p plan) []string {
	var out []string
	for _, f := range p.search {
		if strings.Contains(strings.ToLower(f), "email") {
			out = append(out, f)
		}
	}
	if e := p.entity; len(out) == 0 && len(p.search) == 0 && (e == "Contact" || e == "Lead") {
		out = []string{"Email"}
	}
	return out
}

// Search runs a custom search: the portable filter compiled to SOQL.
func (c *connector) Search(ctx context.Context, q crm.Query) ([]crm.Record, error) {
	const op = "salesforce: custom search"
	p, err := makePlan(op, "", crm.EntitySpec{Entity: q.Entity, DisplayFields: q.Fields})
	if err != nil {
		return nil, err
	}
	where, err := compileWhere(q.Filter)
	if err != nil {
		return nil, err
	}
	limit := clampLimit(q.Limit, defaultLimit)
	return c.query(ctx, op+" "+p.entity, p.soql(where, limit), limit, p.display)
}

// RelatedOpen lists a contact's or account's open cases, most recently changed first.
func (c *connector) RelatedOpen(ctx context.Context, person crm.Ref, limit int) ([]crm.Record, error) {
	const op = "salesforce: open cases"
	person, err := resolveRef(op, "person", person)
	if err != nil {
		return nil, err
	}
	var field string
	switch person.Entity {
	case "Contact":
		field = "ContactId"
	case "Account":
		field = "AccountId"
	default:
		return nil, nil // leads and other records have no cases
	}
	limit = clampLimit(limit, 5)
	soql := "SELECT Id,CaseNumber,Subject,Status,LastModifiedDate FROM Case WHERE " + field + " = " + quote(person.ID) +
		" AND IsClosed = false ORDER BY LastModifiedDate DESC LIMIT " + strconv.Itoa(limit)
	return c.query(ctx, op, soql, limit, []string{"CaseNumber", "Subject", "Status"})
}

// query runs SOQL and follows nextRecordsUrl until limit records are in or
// the result is done.
func (c *connector) query(ctx context.Context, op, soql string, limit int, show []string) ([]crm.Record, error) {
	var out []crm.Record
	cl := call{op: op, method: http.MethodGet, path: c.dataPath("query"), query: url.Values{"q": {soql}}}
	for {
		var page struct {
			Done           bool             `json:"done"`
			NextRecordsURL string           `json:"nextRecordsUrl"`
			Records        []map[string]any `json:"records"`
		}
		if err := c.do(ctx, cl, &page); err != nil {
			return nil, err
		}
		for _, raw := range page.Records {
			if len(out) == limit {
				return out, nil
			}
			out = append(out, c.toRecord(raw, show))
		}
		if page.Done || page.NextRecordsURL == "" || len(out) >= limit {
			return out, nil
		}
		next, err := c.nextPath(op, page.NextRecordsURL)
		if err != nil {
			return nil, err
		}
		cl = call{op: op, method: http.MethodGet, path: next}
	}
}

// nextPath accepts a nextRecordsUrl only as a query locator path on this
// instance, never as an address of its own.
func (c *connector) nextPath(op, next string) (string, error) {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.RawQuery != "" || u.Fragment != "" ||
		!strings.HasPrefix(u.Path, "/services/data/") || strings.Contains(u.Path, "..") {
		return "", &crm.Error{Code: crm.Internal, Op: op, Message: "Salesforce answered an unexpected nextRecordsUrl"}
	}
	return u.EscapedPath(), nil
}
