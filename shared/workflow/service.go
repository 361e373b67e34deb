// Package workflow holds the use cases Studio scripts and agents drive: search,
// create and update CRM records while a contact is live, read the customer card
// and pin records. It sees only ports (store, secrets, CRM connectors), never AWS.
package workflow

import (
	"context"
	"net/http"
	"time"

	"github.com/crmflow/crmflow/shared/breaker"
	"github.com/crmflow/crmflow/shared/cache"
	"github.com/crmflow/crmflow/shared/connections"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/secrets"
	"github.com/crmflow/crmflow/shared/store"
)

// Service runs workflows. Build one per warm Lambda and share it. Its
// connections.Pool (embedded: Connection, Driver, Workflow, Forget) is the
// one the post-call jobs and the configuration test use too.
type Service struct {
	*connections.Pool
	store   store.Store
	dynamic *cache.Cache[string, store.DynamicDataMapping]
	labels  *cache.Cache[string, map[string]string]
	now     func() time.Time
	phones  phone.Parser
}

// Options configure a Service.
type Options struct {
	// Pool is the connection pool to share; nil builds one from Store,
	// Secrets, Registry, HTTP, CacheTTL, Breaker and Now.
	Pool     *connections.Pool
	Store    store.Store
	Secrets  secrets.Secrets
	Registry *crm.Registry
	HTTP     *http.Client
	// CacheTTL bounds how long a warm Lambda trusts what it read; 0 disables caching.
	CacheTTL time.Duration
	// Breaker shapes each configuration's circuit breaker (zero: the
	// breaker package's defaults; Failures < 0: no breaker).
	Breaker breaker.Options
	Now     func() time.Time
	// Phones parses callers' numbers (libphone.Parse in the search function
	// and the local run, where libphonenumber is linked); nil: phone.Parse,
	// the dependency-free reading without regions, for tests and the
	// functions that never search.
	Phones phone.Parser
}

// New returns a Service.
func New(o Options) *Service {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	phones := o.Phones
	if phones == nil {
		phones = func(raw, _ string) (phone.Number, error) { return phone.Parse(raw) }
	}
	pool := o.Pool
	if pool == nil {
		pool = connections.New(connections.Options{Store: o.Store, Secrets: o.Secrets, Registry: o.Registry, HTTP: o.HTTP,
			CacheTTL: o.CacheTTL, Breaker: o.Breaker, Now: now})
	}
	return &Service{
		Pool:    pool,
		store:   o.Store,
		dynamic: cache.New[string, store.DynamicDataMapping](o.CacheTTL),
		labels:  cache.New[string, map[string]string](labelTTL),
		now:     now,
		phones:  phones,
	}
}

func (s *Service) dynamicMapping(ctx context.Context, tenantID, configurationID, id string) (store.DynamicDataMapping, error) {
	return s.dynamic.Get(ctx, tenantID+"/"+configurationID+"/"+id, func(ctx context.Context, _ store.DynamicDataMapping, _ bool) (store.DynamicDataMapping, error) {
		m, err := s.store.GetDynamicDataMapping(ctx, tenantID, configurationID, id)
		return m, connections.NotFound(err, "dynamicDataMappingId", "dynamic data mapping")
	})
}

// UsePhones makes p parse callers' numbers (Options.Phones), for a function
// built by shared/deps: call it at start, before the first request.
func (s *Service) UsePhones(p phone.Parser) {
	if p != nil {
		s.phones = p
	}
}
