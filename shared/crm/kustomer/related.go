package kustomer

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

const (
	// maxRelatedPages bounds how many pages of a customer's conversations
	// are read for the open ones: 500 conversations, newest first.
	maxRelatedPages = 5
	maxRelated      = 100
)

// RelatedOpen lists a customer's conversations that are not done (open or
// snoozed), most recently updated first: GET
// /v1/customers/{id}/conversations, paged through links.next.
func (c *connector) RelatedOpen(ctx context.Context, person crm.Ref, limit int) ([]crm.Record, error) {
	const op = "kustomer: list open conversations"
	o, err := checkRef(op, person)
	if err != nil {
		return nil, err
	}
	if o.entity != entCustomer {
		return nil, crm.Refusal(op, "entity", "open conversations belong to customers, not %s", quoteName(person.Entity))
	}
	switch {
	case limit <= 0:
		limit = 5
	case limit > maxRelated:
		limit = maxRelated
	}
	conv := object{entity: entConversation}
	call := crmhttp.Call{Op: op, Method: http.MethodGet, Path: "/v1/customers/" + person.ID + "/conversations"}
	q := url.Values{"page": {"1"}, "pageSize": {strconv.Itoa(pageLimit)}}
	var out []crm.Record
	if _, err := c.eachPage(ctx, call, q, maxRelatedPages, func(page list) bool {
		for _, res := range page.Data {
			if status, _ := res.Attributes["status"].(string); status != "done" && idShape.MatchString(res.ID) {
				out = append(out, c.toRecord(conv, res, defaultFields[entConversation]))
			}
		}
		return false
	}); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b crm.Record) int { return b.Updated.Compare(a.Updated) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
