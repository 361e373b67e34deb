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
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
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
	ps, err := newPhoneSearch(s)
	if err != nil {
		return nil, err
	}
	var resp soslAnswer
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: ps.op, Method: http.MethodGet, Path: c.dataPath("search/"),
		Query: url.Values{"q": {ps.sosl}}.Encode()}, &resp); err != nil {
		return nil, err
	}
	return c.phoneMatches(ps, resp.SearchRecords), nil
}

// phoneSearch is a phone search made ready: its plans, its SOSL, and the
// phone keys a record must match in a mapping's search fields.
type phoneSearch struct {
	op     string
	plans  []plan
	sosl   string
	wanted map[string]bool
	limit  int
}

// soslAnswer is a SOSL search's answer (v37.0 and later).
type soslAnswer struct {
	SearchRecords []map[string]any `json:"searchRecords"`
}

func newPhoneSearch(s crm.PhoneSearch) (phoneSearch, error) {
	ps := phoneSearch{op: "salesforce: search by phone", wanted: map[string]bool{}, limit: clampLimit(s.Limit, defaultLimit)}
	var err error
	if ps.plans, err = makePlans(ps.op, s.Entities, phoneEntities); err != nil {
		return phoneSearch{}, err
	}
	var ok bool
	if ps.sosl, ok = phoneSOSL(s.Variants, ps.plans, ps.limit); !ok {
		return phoneSearch{}, crm.Refusal(ps.op, "variants", "no phone number to search for")
	}
	for _, v := range s.Variants {
		if k := phoneKey(v); k != "" {
			ps.wanted[k] = true
		}
	}
	return ps, nil
}

// phoneMatches keeps the SOSL hits of the planned entities that match in
// the mapping's search fields, up to the limit.
func (c *connector) phoneMatches(ps phoneSearch, hits []map[string]any) []crm.Record {
	var out []crm.Record
	for _, raw := range hits {
		attrs, _ := raw["attributes"].(map[string]any)
		entity, _ := attrs["type"].(string)
		i := slices.IndexFunc(ps.plans, func(p plan) bool { return strings.EqualFold(p.entity, entity) })
		if i < 0 || !matchesSearchFields(raw, ps.plans[i].search, ps.wanted) {
			continue
		}
		out = append(out, c.toRecord(raw, ps.plans[i].display))
		if len(out) == ps.limit {
			break
		}
	}
	return out
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
	es, err := newEmailSearch(s)
	if err != nil {
		return nil, err
	}
	return crmsearch.Collect(es.plans, es.limit, nil, func(p plan, want int) ([]crm.Record, error) {
		where := es.where(p)
		if where == "" {
			return nil, nil
		}
		return c.query(ctx, es.op, p.soql(where, want), want, p.display)
	})
}

// emailSearch is an email search made ready: its plans and address.
type emailSearch struct {
	op    string
	plans []plan
	email string
	limit int
}

func newEmailSearch(s crm.EmailSearch) (emailSearch, error) {
	es := emailSearch{op: "salesforce: search by email", email: s.Email, limit: clampLimit(s.Limit, defaultLimit)}
	if strings.TrimSpace(s.Email) == "" {
		return emailSearch{}, crm.Refusal(es.op, "email", "no email address to search for")
	}
	var err error
	if es.plans, err = makePlans(es.op, s.Entities, emailEntities); err != nil {
		return emailSearch{}, err
	}
	if !slices.ContainsFunc(es.plans, func(p plan) bool { return len(emailFields(p)) > 0 }) {
		return emailSearch{}, crm.Refusal(es.op, "entities", "none of the entities has an email field to search")
	}
	return es, nil
}

// where is the SOQL condition on p's email fields, "" when p has none.
func (es emailSearch) where(p plan) string {
	fields := emailFields(p)
	if len(fields) == 0 {
		return ""
	}
	conds := make([]string, len(fields))
	for i, f := range fields {
		conds[i] = f + " = " + quote(es.email)
	}
	if len(conds) == 1 {
		return conds[0]
	}
	return "(" + strings.Join(conds, " OR ") + ")"
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
	field := caseField(person.Entity)
	if field == "" {
		return nil, nil // leads and other records have no cases
	}
	limit = clampLimit(limit, 5)
	return c.query(ctx, op, openCasesSOQL(field+" = "+quote(person.ID), limit), limit, openCaseFields)
}

// openCaseFields are what an open case shows.
var openCaseFields = []string{"CaseNumber", "Subject", "Status"}

// openCasesSOQL selects the open cases whose person condition holds, most
// recently changed first.
func openCasesSOQL(who string, limit int) string {
	return "SELECT Id,CaseNumber,Subject,Status,LastModifiedDate FROM Case WHERE " + who +
		" AND IsClosed = false ORDER BY LastModifiedDate DESC LIMIT " + strconv.Itoa(limit)
}

// caseField is the Case field that points at a person record, "" for
// records that have no cases (leads and the rest).
func caseField(entity string) string {
	switch entity {
	case "Contact":
		return "ContactId"
	case "Account":
		return "AccountId"
	}
	return ""
}

// query runs SOQL and follows nextRecordsUrl until limit records are in or
// the result is done.
func (c *connector) query(ctx context.Context, op, soql string, limit int, show []string) ([]crm.Record, error) {
	var out []crm.Record
	cl := crmhttp.Call{Op: op, Method: http.MethodGet, Path: c.dataPath("query"), Query: url.Values{"q": {soql}}.Encode()}
	for {
		var page struct {
			Done           bool             `json:"done"`
			NextRecordsURL string           `json:"nextRecordsUrl"`
			Records        []map[string]any `json:"records"`
		}
		if _, err := c.api.Do(ctx, cl, &page); err != nil {
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
		cl = crmhttp.Call{Op: op, Method: http.MethodGet, Path: next}
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
