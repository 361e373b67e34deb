// Package localrun wires every function's handlers behind the local API
// Gateway stand-in, exactly as the stack routes them in AWS. ./scripts/dev
// serves it over moto; the API tests serve it over in-memory adapters.
package localrun

import (
	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/localgw"
	"github.com/crmflow/crmflow/shared/phone/libphone"
	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/throttle"
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
	services := handlers.Services{Admin: s.Admin, Workflow: s.Workflow, Jobs: s.Jobs, Throttle: s.Throttle}
	fns := map[string]localgw.HTTPHandler{}
	for _, fn := range routes.HTTPFunctions {
		if h, ok := handlers.For(fn, services); ok {
			fns[fn] = h
		}
	}
	return localgw.New(fns, handlers.Authorizer(s.Keys), ready)
}
