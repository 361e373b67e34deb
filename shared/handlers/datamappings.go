package handlers

import (
	"context"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/httpapi"
)

// DataMappings serves data memorialization mappings (SPEC §3.3), admin keys
// only. The admin function serves them with the rest of Admin's routes.
func DataMappings(svc *admin.Service) httpapi.Routes {
	return withRoles(httpapi.Routes{
		"PUT /v1/configurations/{configurationId}/data-mappings/{dataMappingId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			var in admin.DataMappingInput
			if err := r.Decode(&in); err != nil {
				return httpapi.Response{}, err
			}
			m, err := svc.PutDataMapping(ctx, r.Principal.TenantID, r.Param("configurationId"), r.Param("dataMappingId"), in)
			return okOr(m, err)
		}},
		"GET /v1/configurations/{configurationId}/data-mappings": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			ms, err := svc.ListDataMappings(ctx, r.Principal.TenantID, r.Param("configurationId"))
			if err != nil {
				return httpapi.Response{}, err
			}
			return httpapi.OK(map[string]any{"dataMappings": ms}), nil
		}},
		"GET /v1/configurations/{configurationId}/data-mappings/{dataMappingId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			m, err := svc.GetDataMapping(ctx, r.Principal.TenantID, r.Param("configurationId"), r.Param("dataMappingId"))
			return okOr(m, err)
		}},
		"DELETE /v1/configurations/{configurationId}/data-mappings/{dataMappingId}": {Handler: func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
			return noContentOr(svc.DeleteDataMapping(ctx, r.Principal.TenantID, r.Param("configurationId"), r.Param("dataMappingId")))
		}},
	})
}
