// Package localrun wires every function's handlers behind the local API
// Gateway stand-in, exactly as the stack routes them in AWS. ./scripts/dev
// serves it over moto; the API tests serve it over in-memory adapters.
package localrun

import (
	"maps"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/localgw"
	"github.com/crmflow/crmflow/shared/phone/libphone"
	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/throttle"
	"github.com/crmflow/crmflow/shared/web"
	"github.com/crmflow/crmflow/shared/workflow"
)

// Services are the use cases the functions serve. Jobs may be nil: the
// post-call routes then answer as a missing function does.
type Services struct {
	Admin    *admin.Service
	Workflow *workflow.Service
	Jobs     *jobs.Service
	Keys     store.Keys
	// Throttle is the per-tenant limit of the Studio-facing routes, as
	// deps.Throttle builds it in AWS; nil means none.
	Throttle *throttle.Limiter
}

// Gateway returns the local gateway for s. ready answers /healthz.
func Gateway(s Services, ready func() error) *localgw.Gateway {
	// One process holds every function: an admin change drops the workflow
	// caches at once (in AWS they expire after the cache TTL).
	s.Admin.Changed = s.Workflow.Forget
	s.Workflow.UsePhones(libphone.Parse) // as the search function does
	if s.Admin.Connections == nil {
		s.Admin.Connections = s.Workflow // the configuration test, as deps.Admin wires it
	}
	var settle handlers.CardSettler
	if s.Jobs != nil {
		settle = s.Jobs.SettleCard
	}
	card := handlers.Card(s.Workflow, settle)
	fns := map[string]localgw.HTTPHandler{
		routes.Admin:  httpapi.Lambda(handlers.Admin(s.Admin)),
		routes.Search: httpapi.Lambda(handlers.Throttle(s.Throttle, handlers.Search(s.Workflow))),
		routes.Create: httpapi.Lambda(handlers.Throttle(s.Throttle, handlers.Create(s.Workflow))),
		routes.Update: httpapi.Lambda(handlers.Throttle(s.Throttle, handlers.Update(s.Workflow))),
	}
	if s.Jobs != nil {
		fns[routes.Enqueue] = httpapi.Lambda(handlers.Throttle(s.Throttle, handlers.Enqueue(s.Jobs)))
		maps.Copy(card, handlers.Jobs(s.Jobs))
	}
	fns[routes.Card] = httpapi.Lambda(card)
	fns[routes.Web] = web.Handler
	return localgw.New(fns, handlers.Authorizer(s.Keys), ready)
}
