// Package handlers binds each function's routes to its use cases: it reads
// path parameters and bodies, calls shared/workflow, shared/jobs or
// shared/admin, and picks the success status. Who may call a route and
// whether it is throttled are not said here but in the route table
// (shared/routes), which the stack and the local gateway read too. Lambdas
// (functions/*) and the local gateway serve the same handlers through For.
package handlers

import (
	"context"
	"maps"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/throttle"
	"github.com/crmflow/crmflow/shared/web"
	"github.com/crmflow/crmflow/shared/workflow"
)

// withRoles gives each route the roles the route table names for it. A
// route the table does not have gets none, so it refuses every caller
// (the handlers test checks that none is left so).
func withRoles(rs httpapi.Routes) httpapi.Routes {
	for key, r := range rs {
		r.Roles = nil
		if rt, ok := routes.Lookup(key); ok {
			for _, role := range rt.Roles {
				r.Roles = append(r.Roles, store.Role(role))
			}
		}
		rs[key] = r
	}
	return rs
}

// Services are the use cases the HTTP functions serve. A function whose
// service is nil is not served (For answers false); Jobs nil leaves the
// card function without its job routes.
type Services struct {
	Admin    *admin.Service
	Workflow *workflow.Service
	Jobs     *jobs.Service
	// Throttle is the per-tenant limit of the functions routes.Throttled
	// names; nil means none.
	Throttle *throttle.Limiter
}

// HTTPHandler is an HTTP function's Lambda handler for API Gateway events.
type HTTPHandler = func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// For returns the Lambda handler of the HTTP function fn (one of
// routes.HTTPFunctions), throttled when routes.Throttled says so; false
// when fn is not an HTTP function or its service is missing.
func For(fn string, s Services) (HTTPHandler, bool) {
	var rs httpapi.Routes
	switch fn {
	case routes.Web:
		return web.Handler, true // static files: no key, no use case
	case routes.Admin:
		if s.Admin != nil {
			rs = Admin(s.Admin)
		}
	case routes.Search:
		if s.Workflow != nil {
			rs = Search(s.Workflow)
		}
	case routes.Create:
		if s.Workflow != nil {
			rs = Create(s.Workflow)
		}
	case routes.Update:
		if s.Workflow != nil {
			rs = Update(s.Workflow)
		}
	case routes.Enqueue:
		if s.Jobs != nil {
			rs = Enqueue(s.Jobs)
		}
	case routes.Card:
		if s.Workflow != nil {
			var settle CardSettler
			if s.Jobs != nil {
				settle = s.Jobs.SettleCard
			}
			rs = Card(s.Workflow, settle)
			if s.Jobs != nil {
				maps.Copy(rs, Jobs(s.Jobs))
			}
		}
	}
	if rs == nil {
		return nil, false
	}
	if routes.Throttled[fn] {
		rs = Throttle(s.Throttle, rs)
	}
	return httpapi.Lambda(rs), true
}

// ConsumerAction is the job action each queue function consumes.
var ConsumerAction = map[string]store.Action{
	routes.Timeline:    store.ActionTimeline,
	routes.Memorialize: store.ActionDataMemorialization,
}
