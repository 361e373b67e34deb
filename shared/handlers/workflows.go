package handlers

import (
	"context"
	"net/http"

	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/workflow"
)

type execFunc func(ctx context.Context, tenantID string, req workflow.ExecRequest) (workflow.Result, error)

// execute decodes an ExecRequest, runs a use case and answers with status.
func execute(run execFunc, status int) httpapi.Route {
	return httpapi.Route{Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var req workflow.ExecRequest
		if err := r.Decode(&req); err != nil {
			return httpapi.Response{}, err
		}
		res, err := run(ctx, r.Principal.TenantID, req)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: status, Body: res}, nil
	}}
}

// Search serves POST /v1/workflows/search.
func Search(svc *workflow.Service) httpapi.Routes {
	return withRoles(httpapi.Routes{"POST /v1/workflows/search": execute(svc.Search, http.StatusOK)})
}

// Create serves POST /v1/workflows/create.
func Create(svc *workflow.Service) httpapi.Routes {
	return withRoles(httpapi.Routes{"POST /v1/workflows/create": execute(svc.Create, http.StatusCreated)})
}

// Update serves POST /v1/workflows/update.
func Update(svc *workflow.Service) httpapi.Routes {
	return withRoles(httpapi.Routes{"POST /v1/workflows/update": execute(svc.Update, http.StatusOK)})
}
