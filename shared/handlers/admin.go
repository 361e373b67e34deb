package handlers

import (
	"context"
	"maps"
	"net/http"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/store"
)

// Admin serves tenants, keys, configurations, workflows and mappings.
func Admin(svc *admin.Service) httpapi.Routes {
	caller := func(r *httpapi.Request) admin.Caller {
		return admin.Caller{TenantID: r.Principal.TenantID, Role: r.Principal.Role}
	}
	rs := httpapi.Routes{
		"POST /v1/tenants": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			var in struct {
				Name string `json:"name"`
			}
			if err := r.Decode(&in); err != nil {
				return httpapi.Response{}, err
			}
			t, err := svc.CreateTenant(ctx, in.Name)
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.Created(t), nil
		}},
		"GET /v1/tenants/{tenantId}/keys": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			ks, err := svc.ListKeys(ctx, caller(r), r.Param("tenantId"))
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.OK(map[string]any{"keys": ks}), nil
		}},
		"POST /v1/tenants/{tenantId}/keys": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			var in struct {
				Role store.Role `json:"role"`
			}
			if err := r.Decode(&in); err != nil {
				return httpapi.Response{}, err
			}
			k, err := svc.CreateKey(ctx, caller(r), r.Param("tenantId"), in.Role)
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.Created(k), nil
		}},
		"DELETE /v1/tenants/{tenantId}/keys/{keyId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			if err := svc.DeleteKey(ctx, caller(r), r.Param("tenantId"), r.Param("keyId")); err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.NoContent(), nil
		}},

		"GET /v1/configurations": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			cs, err := svc.ListConfigurations(ctx, r.Principal.TenantID)
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.OK(map[string]any{"configurations": cs}), nil
		}},
		"PUT /v1/configurations/{configurationId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			var in admin.ConfigurationInput
			if err := r.Decode(&in); err != nil {
				return httpapi.Response{}, err
			}
			c, created, err := svc.PutConfiguration(ctx, r.Principal.TenantID, r.Param("configurationId"), in)
			if err != nil {
				return httpapi.Response{}, err
			}
			status := http.StatusOK
			if created {
				status = http.StatusCreated
			}
			return httpapi.Response{Status: status, Body: c}, nil
		}},
		"GET /v1/configurations/{configurationId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			c, err := svc.GetConfiguration(ctx, r.Principal.TenantID, r.Param("configurationId"))
			return okOr(c, err)
		}},
		"DELETE /v1/configurations/{configurationId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			return noContentOr(svc.DeleteConfiguration(ctx, r.Principal.TenantID, r.Param("configurationId")))
		}},

		"POST /v1/configurations/{configurationId}/test": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			rep, err := svc.TestConfiguration(ctx, r.Principal.TenantID, r.Param("configurationId"))
			return okOr(rep, err)
		}},

		"GET /v1/configurations/{configurationId}/workflows": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			ws, err := svc.ListWorkflows(ctx, r.Principal.TenantID, r.Param("configurationId"))
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.OK(map[string]any{"workflows": ws}), nil
		}},
		"PUT /v1/configurations/{configurationId}/workflows/{workflowId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			var in admin.WorkflowInput
			if err := r.Decode(&in); err != nil {
				return httpapi.Response{}, err
			}
			w, err := svc.PutWorkflow(ctx, r.Principal.TenantID, r.Param("configurationId"), r.Param("workflowId"), in)
			return okOr(w, err)
		}},
		"GET /v1/configurations/{configurationId}/workflows/{workflowId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			w, err := svc.GetWorkflow(ctx, r.Principal.TenantID, r.Param("configurationId"), r.Param("workflowId"))
			return okOr(w, err)
		}},
		"DELETE /v1/configurations/{configurationId}/workflows/{workflowId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			return noContentOr(svc.DeleteWorkflow(ctx, r.Principal.TenantID, r.Param("configurationId"), r.Param("workflowId")))
		}},

		"PUT /v1/configurations/{configurationId}/dynamic-data-mappings/{dynamicDataMappingId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			var in admin.DynamicMappingInput
			if err := r.Decode(&in); err != nil {
				return httpapi.Response{}, err
			}
			m, err := svc.PutDynamicDataMapping(ctx, r.Principal.TenantID, r.Param("configurationId"), r.Param("dynamicDataMappingId"), in)
			return okOr(m, err)
		}},
		"GET /v1/configurations/{configurationId}/dynamic-data-mappings": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			ms, err := svc.ListDynamicDataMappings(ctx, r.Principal.TenantID, r.Param("configurationId"))
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.OK(map[string]any{"dynamicDataMappings": ms}), nil
		}},
		"GET /v1/configurations/{configurationId}/dynamic-data-mappings/{dynamicDataMappingId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			m, err := svc.GetDynamicDataMapping(ctx, r.Principal.TenantID, r.Param("configurationId"), r.Param("dynamicDataMappingId"))
			return okOr(m, err)
		}},
		"DELETE /v1/configurations/{configurationId}/dynamic-data-mappings/{dynamicDataMappingId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			return noContentOr(svc.DeleteDynamicDataMapping(ctx, r.Principal.TenantID, r.Param("configurationId"), r.Param("dynamicDataMappingId")))
		}},
	}
	maps.Copy(rs, DataMappings(svc))
	return withRoles(rs)
}

func okOr(body any, err error) (httpapi.Response, error) {
	if err != nil {
		return httpapi.Response{}, err
	}
	return httpapi.OK(body), nil
}

func noContentOr(err error) (httpapi.Response, error) {
	if err != nil {
		return httpapi.Response{}, err
	}
	return httpapi.NoContent(), nil
}
