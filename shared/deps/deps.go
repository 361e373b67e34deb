// Package deps builds what a function needs from its environment, once per
// cold start: AWS clients, the store, secrets, queues, the CRM registry and the
// shared HTTP client. functions/*/main.go and ./scripts/dev both use it, so
// local and AWS runs go through the same SDK code paths.
package deps

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/connections"
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/drivers"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/metrics"
	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/secrets"
	"github.com/crmflow/crmflow/shared/secrets/secretsmanager"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/dynamo"
	"github.com/crmflow/crmflow/shared/throttle"
	"github.com/crmflow/crmflow/shared/tracing"
	"github.com/crmflow/crmflow/shared/workflow"
)

// Config is what the environment says.
type Config struct {
	Table               string
	Stage               string
	TimelineQueueURL    string
	MemorializeQueueURL string
	SecretPrefix        string
	Local               bool
	CacheTTL            time.Duration
	// TenantRate (requests per second, 0 = off) and TenantBurst are the
	// per-tenant throttle of the Studio-facing functions.
	TenantRate  float64
	TenantBurst int
	// MaxReceiveCount is the job queues' redrive maxReceiveCount, so a
	// consumer knows which receive is the last before the dead-letter queue.
	MaxReceiveCount int
}

// DefaultCacheTTL bounds how stale a warm Lambda's view of a configuration may be.
const DefaultCacheTTL = 60 * time.Second

// ConfigFromEnv reads the environment. need lists the variables this function
// cannot start without; a missing one fails the cold start, not a request.
func ConfigFromEnv(need ...string) (Config, error) {
	c := Config{
		Table: os.Getenv(routes.EnvTable), Stage: os.Getenv(routes.EnvStage),
		TimelineQueueURL: os.Getenv(routes.EnvTimelineQueue), MemorializeQueueURL: os.Getenv(routes.EnvMemorializeQueue),
		SecretPrefix: os.Getenv(routes.EnvSecretPrefix), Local: os.Getenv(routes.EnvLocal) == "1", CacheTTL: DefaultCacheTTL,
		TenantRate: throttle.DefaultRate, TenantBurst: throttle.DefaultBurst, MaxReceiveCount: jobs.DefaultMaxReceiveCount,
	}
	if v := os.Getenv(routes.EnvCacheTTL); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return Config{}, fmt.Errorf("%s=%q is not a duration such as 60s", routes.EnvCacheTTL, v)
		}
		c.CacheTTL = d
	}
	if v := os.Getenv(routes.EnvTenantRate); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 {
			return Config{}, fmt.Errorf("%s=%q is not a rate such as 10 (requests per second; 0 = off)", routes.EnvTenantRate, v)
		}
		c.TenantRate = f
	}
	if v := os.Getenv(routes.EnvTenantBurst); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return Config{}, fmt.Errorf("%s=%q is not a positive count", routes.EnvTenantBurst, v)
		}
		c.TenantBurst = n
	}
	if v := os.Getenv(routes.EnvMaxReceiveCount); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return Config{}, fmt.Errorf("%s=%q is not a positive count", routes.EnvMaxReceiveCount, v)
		}
		c.MaxReceiveCount = n
	}
	for _, name := range need {
		if os.Getenv(name) == "" {
			return Config{}, fmt.Errorf("environment variable %s is required", name)
		}
	}
	if c.SecretPrefix != "" && !strings.HasPrefix(c.SecretPrefix, "crmflow/") {
		return Config{}, fmt.Errorf("%s must start with crmflow/", routes.EnvSecretPrefix)
	}
	return c, nil
}

// Deps are the built dependencies.
type Deps struct {
	Config   Config
	Store    store.Store
	Secrets  secrets.Secrets
	Registry *crm.Registry
	HTTP     *http.Client
	// Queue sends and re-times job messages (enqueue, consumers).
	Queue *queue.SQS

	pool     *connections.Pool
	workflow *workflow.Service
}

// New loads the AWS configuration once (pointed at CRMFLOW_AWS_ENDPOINT in
// local mode) and builds the clients and adapters from it. Clients connect
// lazily: building one makes no request.
func New(ctx context.Context, c Config) (*Deps, error) {
	awsCfg, err := awsclient.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	d := &Deps{
		Config:   c,
		Store:    dynamo.New(awsclient.DynamoDB(awsCfg), c.Table),
		Secrets:  secretsmanager.New(awsclient.SecretsManager(awsCfg)),
		Registry: drivers.Registry(),
		HTTP:     tracedClient(),
		Queue:    queue.NewSQS(awsclient.SQS(awsCfg)),
	}
	d.pool = connections.New(connections.Options{Store: d.Store, Secrets: d.Secrets, Registry: d.Registry, HTTP: d.HTTP, CacheTTL: c.CacheTTL})
	d.workflow = workflow.New(workflow.Options{Pool: d.pool, Store: d.Store, CacheTTL: c.CacheTTL})
	return d, nil
}

// Workflow returns the use-case service of search, create, update and the
// card. There is one per Deps, and one connection pool: the post-call jobs
// and the configuration test share it, so a warm function holds one
// connector and one token per configuration.
func (d *Deps) Workflow() *workflow.Service { return d.workflow }

// Throttle returns the per-tenant limiter of the Studio-facing functions
// (nil, no limit, when TenantRate is 0). Build it once per warm instance.
func (d *Deps) Throttle() *throttle.Limiter {
	return throttle.New(throttle.Options{Rate: d.Config.TenantRate, Burst: d.Config.TenantBurst})
}

// Admin returns the administration service.
func (d *Deps) Admin() *admin.Service {
	return &admin.Service{Store: d.Store, Secrets: d.Secrets, Registry: d.Registry, SecretPrefix: d.Config.SecretPrefix,
		Local: d.Config.Local, Connections: d.pool}
}

// MustLoad is the cold start of a function: JSON logging tagged with the
// function's name, the environment (need lists required variables) and the
// dependencies. It exits the process on failure so Lambda reports an init error.
func MustLoad(function string, need ...string) *Deps {
	log := logx.Setup(function)
	if os.Getenv("AWS_LAMBDA_FUNCTION_NAME") != "" {
		// In Lambda, metrics go to stdout as EMF lines beside the logs.
		metrics.Configure(function, os.Stdout)
	}
	// Spans go to the ADOT collector when the stack configured one (OTLP
	// endpoint set); otherwise tracing stays off.
	if err := tracing.Configure(context.Background(), function); err != nil {
		log.Warn("tracing off: exporter not configured", "error", err.Error())
	}
	cfg, err := ConfigFromEnv(need...)
	if err == nil {
		var d *Deps
		if d, err = New(context.Background(), cfg); err == nil {
			return d
		}
	}
	log.Error("cold start failed", "error", err.Error())
	os.Exit(1)
	return nil
}

// tracedClient is the CRM HTTP client with otelhttp spans when tracing is on.
func tracedClient() *http.Client {
	hc := crmhttp.NewClient()
	hc.Transport = tracing.Transport(hc.Transport)
	return hc
}
