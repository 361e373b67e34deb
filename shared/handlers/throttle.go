package handlers

import (
	"context"

	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/throttle"
)

// Throttle puts every route of rs behind limit, keyed by the caller's
// tenant: a tenant over its rate gets 429 TENANT_RATE_LIMITED with
// Retry-After before its request is read, whatever the other tenants do. The
// functions Studio calls (search, create, update, enqueue) serve their routes so; a
// nil limit changes nothing.
func Throttle(limit *throttle.Limiter, rs httpapi.Routes) httpapi.Routes {
	if limit == nil {
		return rs
	}
	out := make(httpapi.Routes, len(rs))
	for key, r := range rs {
		next := r.Handler
		r.Handler = func(ctx context.Context, req *httpapi.Request) (httpapi.Response, error) {
			// The edge checked the key and the role before: the tenant is known.
			if err := limit.Check(req.Principal.TenantID); err != nil {
				return httpapi.Response{}, err
			}
			return next(ctx, req)
		}
		out[key] = r
	}
	return out
}
