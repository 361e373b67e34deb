package handlers

import (
	"context"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/workflow"
)

// Card serves the customer card and its pins.
func Card(svc *workflow.Service) httpapi.Routes {
	pin := func(pinned bool) httpapi.HandlerFunc {
		return func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			ref := crm.Ref{Entity: r.Param("entity"), ID: r.Param("recordId")}
			if err := svc.Pin(ctx, r.Principal.TenantID, r.Param("contactId"), ref, pinned); err != nil {
				return httpapi.Response{}, err
			}
			c, err := svc.Card(ctx, r.Principal.TenantID, r.Param("contactId"))
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.OK(c), nil
		}
	}
	return httpapi.Routes{
		"GET /v1/contacts/{contactId}/card": {Roles: cardReaders, Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			c, err := svc.Card(ctx, r.Principal.TenantID, r.Param("contactId"))
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.OK(c), nil
		}},
		"PUT /v1/contacts/{contactId}/pins/{entity}/{recordId}":    {Roles: agentOnly, Handler: pin(true)},
		"DELETE /v1/contacts/{contactId}/pins/{entity}/{recordId}": {Roles: agentOnly, Handler: pin(false)},
	}
}
