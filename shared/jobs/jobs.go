// Package jobs is the post-call half of crmflow: the enqueue use case behind
// POST /v1/workflows/timeline and /datamemorialization, the consumer that
// writes each queued job into the CRM exactly once, the rendering of data
// memorialization mappings into CRM fields, and GET /v1/jobs/{jobId}.
//
// Exactly once rests on three things: a deterministic job id (the same
// request twice is one job), the idempotency ledger on the job record
// (store.ClaimJob / store.FinishJob: a conditional lease, so two consumers
// never run one job at once), and the CRM-side write key (the job id, e.g. in
// Salesforce Task.CallObject) looked up with FindWrite before any second
// attempt, which finds a write whose acknowledgement was lost in a crash.
//
// The package sees ports only (store, queue, connections); it never imports AWS.
package jobs

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/cxone"
	"github.com/crmflow/crmflow/shared/store"
)

// Queue is the port to the job queues; *queue.SQS has it.
type Queue interface {
	Send(ctx context.Context, url, body string, delay time.Duration) (messageID string, err error)
	ChangeVisibility(ctx context.Context, url, receipt string, d time.Duration) error
}

// Connections hands out a configuration's live connector and its workflows;
// *connections.Pool has them (and *workflow.Service, which embeds its pool),
// so jobs share the live calls' caches, connector and token.
type Connections interface {
	Connection(ctx context.Context, tenantID, configurationID string) (crm.Connector, store.Configuration, error)
	Workflow(ctx context.Context, tenantID, configurationID, workflowID string) (store.Workflow, error)
	Driver(ctx context.Context, tenantID, configurationID string) (crm.Driver, error)
}

// Defaults of Options.
const (
	// DefaultMaxReceiveCount matches the queues' redrive policy (infra/stack/queues.go).
	DefaultMaxReceiveCount = 5
	// DefaultLease outlasts a consumer invocation (60 s in infra), so a lapsed
	// lease means its holder is gone, not slow.
	DefaultLease = 90 * time.Second
	// DefaultCRMDeadline bounds one job's CRM calls; it is below DefaultLease.
	DefaultCRMDeadline = 20 * time.Second
	// DefaultBaseBackoff and DefaultMaxBackoff shape retries of transient
	// failures that carry no Retry-After: base × 2^(receives−1), capped.
	DefaultBaseBackoff = 2 * time.Second
	DefaultMaxBackoff  = 5 * time.Minute
	// maxRetryAfter caps a CRM's Retry-After (SQS allows up to 12 h).
	maxRetryAfter = 15 * time.Minute
)

// Options configure a Service.
type Options struct {
	Store       store.Store
	Queue       Queue
	Connections Connections
	// QueueURLs are the queues enqueue sends each action's jobs to. A consumer
	// uses its action's URL to change visibility when set, else the URL of
	// the delivery (Delivery.QueueURL).
	QueueURLs map[store.Action]string
	// MaxReceiveCount is the queue's redrive maxReceiveCount: a transient
	// failure on that receive marks the job deadlettered.
	MaxReceiveCount int
	Lease           time.Duration
	CRMDeadline     time.Duration
	BaseBackoff     time.Duration
	MaxBackoff      time.Duration
	// Jitter returns a random duration in [0, d] (full jitter of the
	// backoff); uniform when nil. Tests set it to pin the backoff.
	Jitter func(d time.Duration) time.Duration
	// Owner names this consumer in leases; random when empty.
	Owner string
	Now   func() time.Time
}

// Service runs post-call jobs. Build one per warm Lambda and share it.
type Service struct {
	o Options
}

// New returns a Service, filling unset options with the defaults.
func New(o Options) *Service {
	if o.MaxReceiveCount <= 0 {
		o.MaxReceiveCount = DefaultMaxReceiveCount
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.CRMDeadline <= 0 {
		o.CRMDeadline = DefaultCRMDeadline
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = DefaultBaseBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.Jitter == nil {
		o.Jitter = fullJitter
	}
	if o.Owner == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		o.Owner = "consumer-" + hex.EncodeToString(b)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{o: o}
}

// JobID is the deterministic id of a post-call job: the same tenant,
// configuration, contact, action and workflow (timeline) or mapping
// (memorialization) always name the same job. 26 base32 characters keep
// 130 bits of the SHA-256 and fit every CRM-side key field.
func JobID(tenantID, configurationID, contactID string, action store.Action, workflowOrMappingID string) string {
	h := sha256.Sum256([]byte(strings.Join([]string{tenantID, configurationID, contactID, string(action), workflowOrMappingID}, "\x00")))
	enc := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(h[:])
	return "job_" + strings.ToLower(enc[:26])
}

// message is the body of a queued job: where to find it, nothing else, so
// the job record stays the one truth.
type message struct {
	TenantID string `json:"tenantId"`
	JobID    string `json:"jobId"`
}

// payload is what a job carries from the request to the consumer.
type payload struct {
	CxoneContact  cxone.Contact `json:"cxoneContact"`
	Records       []crm.Ref     `json:"records"`
	InteractionID string        `json:"interactionId,omitempty"`
}
