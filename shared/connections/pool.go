// Package connections is the pool of live CRM connections one warm process
// keeps: each configuration's connector, built from its stored configuration
// and its credentials, behind its circuit breaker, cached for a bounded time
// and kept (with its token and breaker) across reloads while neither the
// configuration nor its credentials changed. The live-call use cases
// (shared/workflow), the post-call jobs (shared/jobs) and the configuration
// test (shared/admin) share one Pool, so a warm function asks for one token
// per configuration.
package connections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/breaker"
	"github.com/crmflow/crmflow/shared/cache"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/secrets"
	"github.com/crmflow/crmflow/shared/store"
)

// Options configure a Pool.
type Options struct {
	Store    store.Store
	Secrets  secrets.Secrets
	Registry *crm.Registry
	HTTP     *http.Client
	// CacheTTL bounds how long a warm process trusts what it read; 0
	// disables caching.
	CacheTTL time.Duration
	// Breaker shapes each configuration's circuit breaker (zero: the
	// breaker package's defaults; Failures < 0: no breaker).
	Breaker breaker.Options
	Now     func() time.Time
}

// Pool hands out configurations' live connections and their workflows.
// Build one per warm process and share it.
type Pool struct {
	store     store.Store
	secrets   secrets.Secrets
	registry  *crm.Registry
	http      *http.Client
	breaker   breaker.Options
	conns     *cache.Cache[string, *Conn]
	workflows *cache.Cache[string, store.Workflow]
}

// New returns a Pool.
func New(o Options) *Pool {
	if o.Breaker.Now == nil {
		o.Breaker.Now = o.Now
		if o.Breaker.Now == nil {
			o.Breaker.Now = time.Now
		}
	}
	return &Pool{store: o.Store, secrets: o.Secrets, registry: o.Registry, http: o.HTTP, breaker: o.Breaker,
		conns:     cache.New[string, *Conn](o.CacheTTL),
		workflows: cache.New[string, store.Workflow](o.CacheTTL)}
}

// Conn is a configuration with its live connector.
type Conn struct {
	Config    store.Configuration
	Connector crm.Connector // behind the configuration's circuit breaker
	Driver    crm.Driver
	creds     crm.Credentials
}

// DefaultTimeout is the Studio deadline when a configuration sets none (SPEC §4.5).
const DefaultTimeout = 4 * time.Second

// Timeout is the deadline of a live call's CRM calls: the configuration's
// timeoutMs, else DefaultTimeout.
func (c *Conn) Timeout() time.Duration {
	if c.Config.TimeoutMs > 0 {
		return time.Duration(c.Config.TimeoutMs) * time.Millisecond
	}
	return DefaultTimeout
}

// Get returns the cached connection of a configuration. On reload the
// connector is kept when neither the configuration nor its credentials
// changed, so its token and its circuit breaker survive the cache TTL. A
// configuration that does not exist (or was deleted meanwhile) is an
// apperr.NotFound naming configurationId.
func (p *Pool) Get(ctx context.Context, tenantID, configurationID string) (*Conn, error) {
	return p.conns.Get(ctx, tenantID+"/"+configurationID, func(ctx context.Context, prev *Conn, had bool) (*Conn, error) {
		cfg, err := p.store.GetConfiguration(ctx, tenantID, configurationID)
		if err != nil {
			return nil, NotFound(err, "configurationId", "configuration")
		}
		creds, err := p.secrets.Get(ctx, cfg.SecretName)
		if err != nil {
			return nil, fmt.Errorf("read credentials of configuration: %w", err)
		}
		if had && prev.Config.Version == cfg.Version && reflect.DeepEqual(prev.creds, creds) {
			return prev, nil
		}
		d, ok := p.registry.Driver(cfg.CRM)
		if !ok {
			return nil, apperr.New(apperr.Unprocessable, "CRM type %q is not supported by this deployment", cfg.CRM)
		}
		conn, err := p.registry.New(crm.Config{
			ConfigurationID: cfg.ID, Type: cfg.CRM, BaseURL: cfg.BaseURL, AppURL: cfg.AppURL, APIVersion: cfg.APIVersion,
			Auth: cfg.Auth, Credentials: creds, Timeout: time.Duration(cfg.TimeoutMs) * time.Millisecond,
		}, p.http)
		if err != nil {
			return nil, apperr.New(apperr.Unprocessable, "configuration cannot be used: %v", err)
		}
		slog.InfoContext(ctx, "connector ready", "crm", cfg.CRM, "configVersion", cfg.Version)
		return &Conn{Config: cfg, creds: creds, Connector: guard(conn, p.breaker, cfg.ID), Driver: d}, nil
	})
}

// Connection returns a configuration's cached connector and configuration.
func (p *Pool) Connection(ctx context.Context, tenantID, configurationID string) (crm.Connector, store.Configuration, error) {
	c, err := p.Get(ctx, tenantID, configurationID)
	if err != nil {
		return nil, store.Configuration{}, err
	}
	return c.Connector, c.Config, nil
}

// Driver returns a configuration's CRM driver (its Canonical spelling, its
// field specs) from the same cached connection.
func (p *Pool) Driver(ctx context.Context, tenantID, configurationID string) (crm.Driver, error) {
	c, err := p.Get(ctx, tenantID, configurationID)
	if err != nil {
		return crm.Driver{}, err
	}
	return c.Driver, nil
}

// Workflow returns a workflow from the same bounded-TTL cache; a missing one
// is an apperr.NotFound naming configurationId when the configuration is
// what is missing, else workflowId.
func (p *Pool) Workflow(ctx context.Context, tenantID, configurationID, workflowID string) (store.Workflow, error) {
	return p.workflows.Get(ctx, tenantID+"/"+configurationID+"/"+workflowID, func(ctx context.Context, _ store.Workflow, _ bool) (store.Workflow, error) {
		w, err := p.store.GetWorkflow(ctx, tenantID, configurationID, workflowID)
		if errors.Is(err, store.ErrNotFound) {
			// Name the right field: a workflow of an unknown configuration
			// is missing because the configuration is.
			if _, cerr := p.store.GetConfiguration(ctx, tenantID, configurationID); errors.Is(cerr, store.ErrNotFound) {
				return w, apperr.Missing("configurationId", "configuration")
			}
		}
		return w, NotFound(err, "workflowId", "workflow")
	})
}

// Forget drops the cached connection of a configuration; the configuration
// test calls it so that it tests what is stored now, and the admin use
// cases call it in local mode where every function shares one process.
func (p *Pool) Forget(tenantID, configurationID string) {
	p.conns.Delete(tenantID + "/" + configurationID)
}

// NotFound turns store.ErrNotFound into a 404 naming the request field.
func NotFound(err error, field, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return apperr.Missing(field, what)
	}
	return fmt.Errorf("read %s: %w", what, err)
}

// Registry is the driver registry the pool builds connectors from.
func (p *Pool) Registry() *crm.Registry { return p.registry }
