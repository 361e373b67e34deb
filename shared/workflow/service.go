// Package workflow holds the use cases Studio scripts and agents drive: search,
// create and update CRM records while a contact is live, read the customer card
// and pin records. It sees only ports (store, secrets, CRM connectors), never AWS.
package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/breaker"
	"github.com/crmflow/crmflow/shared/cache"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/secrets"
	"github.com/crmflow/crmflow/shared/store"
)

// Service runs workflows. Build one per warm Lambda and share it.
type Service struct {
	store    store.Store
	secrets  secrets.Secrets
	registry *crm.Registry
	http     *http.Client

	configs   *cache.Cache[string, *connection]
	workflows *cache.Cache[string, store.Workflow]
	dynamic   *cache.Cache[string, store.DynamicDataMapping]
	labels    *cache.Cache[string, map[string]string]
	breaker   breaker.Options
	now       func() time.Time
	phones    phone.Parser
}

// Options configure a Service.
type Options struct {
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
	if o.Breaker.Now == nil {
		o.Breaker.Now = now
	}
	phones := o.Phones
	if phones == nil {
		phones = func(raw, _ string) (phone.Number, error) { return phone.Parse(raw) }
	}
	return &Service{
		store: o.Store, secrets: o.Secrets, registry: o.Registry, http: o.HTTP,
		configs:   cache.New[string, *connection](o.CacheTTL),
		workflows: cache.New[string, store.Workflow](o.CacheTTL),
		dynamic:   cache.New[string, store.DynamicDataMapping](o.CacheTTL),
		labels:    cache.New[string, map[string]string](labelTTL),
		breaker:   o.Breaker,
		now:       now,
		phones:    phones,
	}
}

// connection is a configuration with its live connector.
type connection struct {
	config    store.Configuration
	creds     crm.Credentials
	connector crm.Connector
	driver    crm.Driver
	label     string
}

// DefaultTimeout is the Studio deadline when a configuration sets none (SPEC §4.5).
const DefaultTimeout = 4 * time.Second

func (c *connection) timeout() time.Duration {
	if c.config.TimeoutMs > 0 {
		return time.Duration(c.config.TimeoutMs) * time.Millisecond
	}
	return DefaultTimeout
}

// connect returns the cached connection of a configuration. On reload the
// connector is kept when neither the configuration nor its credentials
// changed, so its token and its circuit breaker survive the cache TTL.
func (s *Service) connect(ctx context.Context, tenantID, configurationID string) (*connection, error) {
	return s.configs.Get(ctx, tenantID+"/"+configurationID, func(ctx context.Context, prev *connection, had bool) (*connection, error) {
		cfg, err := s.store.GetConfiguration(ctx, tenantID, configurationID)
		if err != nil {
			return nil, notFound(err, "configurationId", "configuration")
		}
		creds, err := s.secrets.Get(ctx, cfg.SecretName)
		if err != nil {
			return nil, fmt.Errorf("read credentials of configuration: %w", err)
		}
		if had && prev.config.Version == cfg.Version && reflect.DeepEqual(prev.creds, creds) {
			return prev, nil
		}
		d, ok := s.registry.Driver(cfg.CRM)
		if !ok {
			return nil, apperr.New(apperr.Unprocessable, "CRM type %q is not supported by this deployment", cfg.CRM)
		}
		conn, err := s.registry.New(crm.Config{
			ConfigurationID: cfg.ID, Type: cfg.CRM, BaseURL: cfg.BaseURL, AppURL: cfg.AppURL, APIVersion: cfg.APIVersion,
			Auth: cfg.Auth, Credentials: creds, Timeout: time.Duration(cfg.TimeoutMs) * time.Millisecond,
		}, s.http)
		if err != nil {
			return nil, apperr.New(apperr.Unprocessable, "configuration cannot be used: %v", err)
		}
		slog.InfoContext(ctx, "connector ready", "crm", cfg.CRM, "configVersion", cfg.Version)
		return &connection{config: cfg, creds: creds, connector: guard(conn, s.breaker, cfg.ID), driver: d, label: d.Label}, nil
	})
}

func (s *Service) workflow(ctx context.Context, tenantID, configurationID, workflowID string) (store.Workflow, error) {
	return s.workflows.Get(ctx, tenantID+"/"+configurationID+"/"+workflowID, func(ctx context.Context, _ store.Workflow, _ bool) (store.Workflow, error) {
		w, err := s.store.GetWorkflow(ctx, tenantID, configurationID, workflowID)
		if errorsIsNotFound(err) {
			// Name the right field: a workflow of an unknown configuration
			// is missing because the configuration is.
			if _, cerr := s.store.GetConfiguration(ctx, tenantID, configurationID); errorsIsNotFound(cerr) {
				return w, apperr.Missing("configurationId", "configuration")
			}
		}
		return w, notFound(err, "workflowId", "workflow")
	})
}

func (s *Service) dynamicMapping(ctx context.Context, tenantID, configurationID, id string) (store.DynamicDataMapping, error) {
	return s.dynamic.Get(ctx, tenantID+"/"+configurationID+"/"+id, func(ctx context.Context, _ store.DynamicDataMapping, _ bool) (store.DynamicDataMapping, error) {
		m, err := s.store.GetDynamicDataMapping(ctx, tenantID, configurationID, id)
		return m, notFound(err, "dynamicDataMappingId", "dynamic data mapping")
	})
}

// Forget drops what this Service cached about a configuration; the admin use
// cases call it in local mode where every function shares one process.
func (s *Service) Forget(tenantID, configurationID string) {
	s.configs.Delete(tenantID + "/" + configurationID)
}

// notFound turns store.ErrNotFound into a 404 naming the request field.
func notFound(err error, field, what string) error {
	if err == nil {
		return nil
	}
	if errorsIsNotFound(err) {
		return apperr.Missing(field, what)
	}
	return fmt.Errorf("read %s: %w", what, err)
}

// UsePhones makes p parse callers' numbers (Options.Phones), for a function
// built by shared/deps: call it at start, before the first request.
func (s *Service) UsePhones(p phone.Parser) {
	if p != nil {
		s.phones = p
	}
}
