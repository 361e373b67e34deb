package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/eventsource"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/jobs"
	"github.com/crmflow/crmflow/shared/localrun"
	"github.com/crmflow/crmflow/shared/queue"
	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/dynamo"
)

type options struct {
	addr        string
	demo        bool
	platformKey string
	out         io.Writer
}

// Local names. The local run has one stage, "local".
const (
	localTable       = "crmflow-local"
	localSecrets     = "crmflow/local/"
	timelineQueue    = "crmflow-local-timeline"
	memorializeQueue = "crmflow-local-memorialize"
	// localCacheTTL is short: in AWS each function caches for 60 s, locally an
	// admin change should show at once.
	localCacheTTL = time.Second
	// consumerTimeout and queueVisibility are the stack's (infra/stack).
	consumerTimeout = 60 * time.Second
	queueVisibility = 6 * consumerTimeout
)

func run(ctx context.Context, o options) error {
	if o.platformKey != "" && !ids.LooksLikeKey(o.platformKey) {
		return errors.New("CRMFLOW_PLATFORM_KEY must look like cfk_ followed by at least 20 letters and digits")
	}
	m, err := startMoto(ctx)
	if err != nil {
		return err
	}
	defer m.stop()

	// Every AWS client in this process talks to moto through the same adapters as in AWS.
	os.Setenv(awsEndpointEnv, m.endpoint)
	if os.Getenv("AWS_REGION") == "" {
		os.Setenv("AWS_REGION", "us-east-1")
	}
	awsCfg, err := awsclient.Load(ctx)
	if err != nil {
		return err
	}
	if err := dynamo.CreateTable(ctx, awsclient.DynamoDB(awsCfg), localTable); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	q := queue.NewSQS(awsclient.SQS(awsCfg))
	// As in the stack: a job gets maxReceiveCount deliveries before its
	// dead-letter queue, each hidden for the consumer's visibility timeout.
	qopts := queue.QueueOptions{VisibilityTimeout: queueVisibility, MaxReceiveCount: jobs.DefaultMaxReceiveCount}
	tl, err := q.CreateQueue(ctx, timelineQueue, qopts)
	if err != nil {
		return fmt.Errorf("create queues: %w", err)
	}
	mq, err := q.CreateQueue(ctx, memorializeQueue, qopts)
	if err != nil {
		return fmt.Errorf("create queues: %w", err)
	}

	// The per-tenant throttle of the Studio routes, as in the stack
	// (CRMFLOW_TENANT_RATE, CRMFLOW_TENANT_BURST; defaults otherwise).
	env, err := deps.ConfigFromEnv()
	if err != nil {
		return err
	}
	d, err := deps.New(ctx, deps.Config{Table: localTable, Stage: "local", SecretPrefix: localSecrets, Local: true,
		CacheTTL: localCacheTTL, TimelineQueueURL: tl.URL, MemorializeQueueURL: mq.URL,
		TenantRate: env.TenantRate, TenantBurst: env.TenantBurst, MaxReceiveCount: qopts.MaxReceiveCount})
	if err != nil {
		return err
	}
	adm := d.Admin()
	wf := d.Workflow()
	js := d.Jobs()

	key := o.platformKey
	if key == "" {
		key, _ = ids.NewKey()
	}
	if _, err := adm.BootstrapPlatformKey(ctx, key); err != nil {
		return fmt.Errorf("store platform key: %w", err)
	}

	l, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	// Sandboxes take the ports after the gateway's (8081, 8082, … for the
	// default address) so the README's URLs hold; a busy port falls back to
	// a free one, and the banner says which.
	gwPort := l.Addr().(*net.TCPAddr).Port
	sbs := sandboxes()
	for i, s := range sbs {
		port := 0
		if gwPort != 0 {
			port = gwPort + 1 + i
		}
		if err := s.start(port); err != nil {
			l.Close()
			return fmt.Errorf("start %s sandbox: %w", s.crm, err)
		}
		defer s.stop(context.Background())
	}

	var ready atomic.Bool
	gw := localrun.Gateway(localrun.Services{Admin: adm, Workflow: wf, Jobs: js, Keys: d.Store, Throttle: d.Throttle()}, func() error {
		if !ready.Load() {
			return errors.New("starting")
		}
		return nil
	})
	// The event source mappings: each queue drives its consumer with SQS
	// events as Lambda does (batches of 10, partial batch failures).
	var pollers sync.WaitGroup
	pollCtx, stopPolling := context.WithCancel(ctx)
	defer func() { stopPolling(); pollers.Wait() }()
	for _, p := range []*eventsource.Poller{
		{Queue: q, URL: tl.URL, ARN: tl.ARN, Region: awsCfg.Region, Timeout: consumerTimeout,
			Handler: handlers.Consumer(js, store.ActionTimeline)},
		{Queue: q, URL: mq.URL, ARN: mq.ARN, Region: awsCfg.Region, Timeout: consumerTimeout,
			Handler: handlers.Consumer(js, store.ActionDataMemorialization)},
	} {
		pollers.Add(1)
		go func() { defer pollers.Done(); _ = p.Run(pollCtx) }()
	}

	srv := &http.Server{Handler: gw, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(l) }()
	base := "http://" + l.Addr().String()

	fmt.Fprintf(o.out, "crmflow local run\n  gateway:      %s\n  moto_server:  %s\n  table:        %s\n  queues:       %s, %s (each with a -dlq)\n  platform key: %s\n",
		base, m.endpoint, localTable, timelineQueue, memorializeQueue, key)
	for _, s := range sbs {
		fmt.Fprintf(o.out, "  %-12s  %s (sandbox)\n", s.crm+":", s.url)
	}
	if o.demo {
		if err := seedDemo(ctx, o.out, base, key, sbs); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	ready.Store(true)
	fmt.Fprintf(o.out, "ready: curl %s/healthz — Ctrl-C stops everything\n", base)

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	fmt.Fprintln(o.out, "stopped")
	return nil
}

const awsEndpointEnv = routes.EnvAWSEndpoint
