package oracle

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmsearch"
	"github.com/crmflow/crmflow/shared/phone"
)

// Search limits: a search returns at most maxLimit records and reads at
// most maxPages pages of rows.
const (
	defaultLimit = 10
	maxLimit     = 200
	maxPages     = 20
)

// plan is one resource a search looks in: the fields it searches and shows.
type plan struct {
	entity string
	search []string
	show   []string
}

// Contacts are the person-like resource. Phones are matched on
// phones.rawNumber (the digits the site keeps of every number) and on
// phones.number as typed.
var (
	contactShow = []string{"name.first", "name.last", "emails.address", "phones.number", "organization"}
	phonePlans  = []plan{{entity: resContacts, search: []string{"phones.rawNumber", "phones.number"}, show: contactShow}}
	emailPlans  = []plan{{entity: resContacts, search: []string{"emails.address"}, show: contactShow}}
	openFields  = []string{"referenceNumber", "subject", "statusWithType.status.lookupName", "severity.lookupName"}
)

// makePlans turns a mapping's entities into plans, falling back to the
// defaults for what it leaves out.
func makePlans(op string, specs []crm.EntitySpec, defaults []plan) ([]plan, error) {
	if len(specs) == 0 {
		return defaults, nil
	}
	out := make([]plan, 0, len(specs))
	for i, s := range specs {
		at := fmt.Sprintf("entities[%d].", i)
		entity, err := resolveEntityAt(op, at+"entity", s.Entity)
		if err != nil {
			return nil, err
		}
		p := plan{entity: entity, search: s.SearchFields, show: s.DisplayFields}
		for _, d := range defaults {
			if d.entity == entity {
				if len(p.search) == 0 {
					p.search = d.search
				}
				if len(p.show) == 0 {
					p.show = d.show
				}
			}
		}
		if len(p.search) == 0 {
			return nil, crm.Refusal(op, at+"searchFields", "entity %s needs searchFields", crm.QuoteName(entity))
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

// collect runs plans in order, merging records by entity and id, until limit.
func (c *connector) collect(ctx context.Context, op string, plans []plan, limit int, where func(plan) string) ([]crm.Record, error) {
	byEntityAndID := func(r crm.Record) string { return r.Entity + "/" + r.ID }
	return crmsearch.Collect(plans, clampLimit(limit), byEntityAndID, func(p plan, want int) ([]crm.Record, error) {
		cols := columns(p.entity, p.show)
		found, err := c.selectRecords(ctx, op, p.entity, cols, where(p), "id", want)
		if err != nil {
			return nil, err
		}
		out := make([]crm.Record, 0, len(found))
		for _, m := range found {
			out = append(out, c.record(p.entity, cols, m, p.show))
		}
		return out, nil
	})
}

// anyField is the same condition on each field, joined with OR.
func anyField(fields []string, condition string) string {
	terms := make([]string, len(fields))
	for i, f := range fields {
		terms[i] = f + condition
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return "(" + strings.Join(terms, " OR ") + ")"
}

// inList quotes values into "IN ('a', 'b')", skipping what cannot be quoted.
func inList(values []string) string {
	var lits []string
	for _, v := range values {
		if q, err := quote(v); err == nil && !slices.Contains(lits, q) {
			lits = append(lits, q)
		}
	}
	if len(lits) == 0 {
		return ""
	}
	return " IN (" + strings.Join(lits, ", ") + ")"
}

// SearchByPhone looks for the number: rawNumber fields (digits only, as
// the site keeps them) against the digits of every variant, other phone
// fields against the variants as typed.
func (c *connector) SearchByPhone(ctx context.Context, s crm.PhoneSearch) ([]crm.Record, error) {
	const op = "oracle: search by phone"
	plans, err := makePlans(op, s.Entities, phonePlans)
	if err != nil {
		return nil, err
	}
	where, err := phoneWhere(op, s.Variants)
	if err != nil {
		return nil, err
	}
	return c.collect(ctx, op, plans, s.Limit, where)
}

// phoneLists are the IN lists of a phone search: the digits of every
// variant, and the variants as typed.
func phoneLists(variants []string) (digitList, typedList string) {
	var digits, typed []string
	for _, v := range variants {
		if d := phone.Digits(v); len(d) >= phone.MinDigits && !slices.Contains(digits, d) {
			digits = append(digits, d)
		}
		typed = append(typed, v)
	}
	return inList(digits), inList(typed)
}

// SearchByEmail looks for the address in every email field (the site
// compares text case-insensitively).
func (c *connector) SearchByEmail(ctx context.Context, s crm.EmailSearch) ([]crm.Record, error) {
	const op = "oracle: search by email"
	plans, err := makePlans(op, s.Entities, emailPlans)
	if err != nil {
		return nil, err
	}
	where, err := emailWhere(op, s.Email)
	if err != nil {
		return nil, err
	}
	return c.collect(ctx, op, plans, s.Limit, where)
}

// Search runs a custom search: the portable filter compiled to ROQL.
func (c *connector) Search(ctx context.Context, q crm.Query) ([]crm.Record, error) {
	op := "oracle: search " + q.Entity
	entity, err := resolveEntity(op, q.Entity)
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
	return c.collect(ctx, op, []plan{{entity: entity, show: q.Fields}}, q.Limit, func(plan) string { return where })
}

// RelatedOpen lists the incidents of a contact (primaryContact) or an
// organization that are not of the Solved status type (id 2), most
// recently updated first.
func (c *connector) RelatedOpen(ctx context.Context, person crm.Ref, limit int) ([]crm.Record, error) {
	const op = "oracle: related open"
	person, err := resolveRefAt(op, "person.", person)
	if err != nil {
		return nil, err
	}
	var who string
	switch person.Entity {
	case resContacts:
		who = "primaryContact.parentContact.id = " + person.ID
	case resOrganizations:
		who = "organization.id = " + person.ID
	default:
		return nil, crm.Refusal(op, "person.entity", "open incidents belong to contacts or organizations, not %s", person.Entity)
	}
	if limit <= 0 {
		limit = 5
	}
	cols := columns(resIncidents, openFields)
	found, err := c.selectRecords(ctx, op, resIncidents, cols, who+" AND statusWithType.statusType.id != 2",
		"updatedTime DESC, id DESC", clampLimit(limit))
	if err != nil {
		return nil, err
	}
	out := make([]crm.Record, 0, len(found))
	for _, m := range found {
		out = append(out, c.record(resIncidents, cols, m, openFields))
	}
	return out, nil
}
