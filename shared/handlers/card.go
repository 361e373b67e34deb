package handlers

import (
	"context"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/workflow"
)

// CardSettler brings a card's job summaries up to date with their job
// records before the card is answered (jobs.Service.SettleCard).
type CardSettler func(ctx context.Context, tenantID string, c *store.Card)

// Card serves the customer card and its pins. settle, when set, runs on
// every card answered.
func Card(svc *workflow.Service, settle CardSettler) httpapi.Routes {
	read := func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		c, err := svc.Card(ctx, r.Principal.TenantID, r.Param("contactId"))
		if err != nil {
			return httpapi.Response{}, err
		}
		if settle != nil {
			settle(ctx, r.Principal.TenantID, &c)
		}
		return httpapi.OK(c), nil
	}
	pin := func(pinned bool) httpapi.HandlerFunc {
		return func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			ref := crm.Ref{Entity: r.Param("entity"), ID: r.Param("recordId")}
			if err := svc.Pin(ctx, r.Principal.TenantID, r.Param("contactId"), ref, pinned); err != nil {
				return httpapi.Response{}, err
			}
			return read(ctx, r)
		}
	}
	return withRoles(httpapi.Routes{
		"GET /v1/contacts/{contactId}/card":                        {Handler: read},
		"PUT /v1/contacts/{contactId}/pins/{entity}/{recordId}":    {Handler: pin(true)},
		"DELETE /v1/contacts/{contactId}/pins/{entity}/{recordId}": {Handler: pin(false)},
	})
}
