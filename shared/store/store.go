// Package store defines the repositories crmflow keeps its state in and the
// domain types they hold. Every method takes the tenant id: an item of another
// tenant is never found (ErrNotFound), which the API answers as 404.
// Adapters: store/memory (tests, fakes) and store/dynamo (AWS, moto).
package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/phone"
)

var (
	// ErrNotFound: no such item for this tenant.
	ErrNotFound = errors.New("not found")
	// ErrExists: a conditional create found the item already there.
	ErrExists = errors.New("already exists")
	// ErrLeased: ClaimJob found the job held under another owner's live lease.
	ErrLeased = errors.New("job is leased by another consumer")
	// ErrBadCursor: a list cursor that is not one the list handed out.
	ErrBadCursor = errors.New("bad list cursor")
	// ErrJobDone: ClaimJob found the job succeeded or failed for good.
	ErrJobDone = errors.New("job is finished")
	// ErrLeaseLost: FinishJob's owner no longer holds the job's lease.
	ErrLeaseLost = errors.New("job lease is no longer held")
)

// Role is what an API key may do.
type Role string

const (
	RolePlatform Role = "platform"
	RoleAdmin    Role = "admin"
	RoleStudio   Role = "studio"
	RoleAgent    Role = "agent"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RolePlatform, RoleAdmin, RoleStudio, RoleAgent:
		return true
	}
	return false
}

// Tenant is one contact-center customer.
type Tenant struct {
	ID      string    `dynamodbav:"tenantId" json:"tenantId"`
	Name    string    `dynamodbav:"name" json:"name"`
	Created time.Time `dynamodbav:"created" json:"created"`
}

// APIKey is a key's stored form: only the SHA-256 hash of the key is kept.
type APIKey struct {
	ID       string    `dynamodbav:"keyId" json:"keyId"`
	TenantID string    `dynamodbav:"tenantId" json:"tenantId"`
	Role     Role      `dynamodbav:"role" json:"role"`
	Hash     string    `dynamodbav:"hash" json:"-"`
	Created  time.Time `dynamodbav:"created" json:"created"`
}

// Configuration is a connection to one CRM instance. Credentials are not here:
// they live in Secrets Manager under SecretName; CredentialNames says which are set.
type Configuration struct {
	TenantID        string   `dynamodbav:"tenantId" json:"-"`
	ID              string   `dynamodbav:"configurationId" json:"configurationId"`
	Name            string   `dynamodbav:"name" json:"name"`
	CRM             crm.Type `dynamodbav:"crm" json:"crm"`
	BaseURL         string   `dynamodbav:"baseUrl" json:"baseUrl"`
	AppURL          string   `dynamodbav:"appUrl,omitempty" json:"appUrl,omitempty"`
	APIVersion      string   `dynamodbav:"apiVersion,omitempty" json:"apiVersion,omitempty"`
	Auth            crm.Auth `dynamodbav:"auth" json:"auth"`
	CredentialNames []string `dynamodbav:"credentialNames,omitempty" json:"-"`
	SecretName      string   `dynamodbav:"secretName" json:"-"`
	TimeoutMs       int      `dynamodbav:"timeoutMs" json:"timeoutMs"`
	// DefaultRegion is the country whose numbering plan reads a caller's
	// number written without a country code (ISO 3166-1 alpha-2, "GB");
	// empty: US (NANP).
	DefaultRegion string `dynamodbav:"defaultRegion,omitempty" json:"defaultRegion,omitempty"`
	// EntityOrder ranks search matches of equal score by entity, first
	// named first ("Contact", "Lead", "Account"); entities it does not name
	// come after, in the dynamic data mapping's order. Empty: the mapping's
	// order alone.
	EntityOrder []string `dynamodbav:"entityOrder,omitempty" json:"entityOrder,omitempty"`
	// BestMatchMargin is how far the top match's score must beat the next
	// one's for a search to name it bestMatch (0 < margin <= 1); nil: only
	// a single match is the best one.
	BestMatchMargin *float64 `dynamodbav:"bestMatchMargin,omitempty" json:"bestMatchMargin,omitempty"`
	// Version grows with every change; caches key on it.
	Version int64     `dynamodbav:"version" json:"version"`
	Created time.Time `dynamodbav:"created" json:"created"`
	Updated time.Time `dynamodbav:"updated" json:"updated"`
}

// Action is what a workflow does.
type Action string

const (
	ActionSearch              Action = "search"
	ActionCreate              Action = "create"
	ActionUpdate              Action = "update"
	ActionTimeline            Action = "timeline"
	ActionDataMemorialization Action = "datamemorialization"
)

// Valid reports whether a is a known action.
func (a Action) Valid() bool {
	switch a {
	case ActionSearch, ActionCreate, ActionUpdate, ActionTimeline, ActionDataMemorialization:
		return true
	}
	return false
}

// Workflow kinds within an action, chosen by the built-in catalog.
const (
	KindPhone        = "phone"         // search: Search for ANI
	KindEmail        = "email"         // search: Search by email
	KindCustomSearch = "custom"        // search: Custom search
	KindStandard     = "standard"      // create: one standard entity
	KindCustomCreate = "custom_create" // create: any entity
	KindUpdate       = "update"
	KindTimeline     = "timeline"
	KindMemorialize  = "datamemorialization"
)

// Workflow is a task on CRM records.
type Workflow struct {
	TenantID        string `dynamodbav:"tenantId" json:"-"`
	ConfigurationID string `dynamodbav:"configurationId" json:"configurationId"`
	ID              string `dynamodbav:"workflowId" json:"workflowId"`
	Action          Action `dynamodbav:"action" json:"action"`
	Kind            string `dynamodbav:"kind" json:"kind"`
	Name            string `dynamodbav:"name" json:"name"`
	Entity          string `dynamodbav:"entity,omitempty" json:"entity,omitempty"`
	DataMappingID   string `dynamodbav:"dataMappingId,omitempty" json:"dataMappingId,omitempty"`
	BuiltIn         bool   `dynamodbav:"builtIn" json:"builtIn"`
}

// MemorializeWorkflowPrefix starts the id of the datamemorialization workflow
// each data mapping gets (memorialize_{dataMappingId}).
const MemorializeWorkflowPrefix = "memorialize_"

// MemorializeWorkflowID is the id of the workflow made for a data mapping.
func MemorializeWorkflowID(dataMappingID string) string {
	return MemorializeWorkflowPrefix + dataMappingID
}

// FieldMapping maps one contact-center field into one CRM field.
type FieldMapping struct {
	Source   string `dynamodbav:"source,omitempty" json:"source,omitempty"`
	Target   string `dynamodbav:"target" json:"target"`
	Template string `dynamodbav:"template,omitempty" json:"template,omitempty"`
}

// DataMapping says which contact-center fields go into which CRM fields after ACW.
type DataMapping struct {
	TenantID        string         `dynamodbav:"tenantId" json:"-"`
	ConfigurationID string         `dynamodbav:"configurationId" json:"configurationId"`
	ID              string         `dynamodbav:"dataMappingId" json:"dataMappingId"`
	Entity          string         `dynamodbav:"entity" json:"entity"`
	Mode            crm.WriteMode  `dynamodbav:"mode" json:"mode"`
	Fields          []FieldMapping `dynamodbav:"fields" json:"fields"`
	Updated         time.Time      `dynamodbav:"updated" json:"updated"`
}

// DisplayField is a field shown on the customer card.
type DisplayField struct {
	Name  string `dynamodbav:"name" json:"name"`
	Label string `dynamodbav:"label,omitempty" json:"label,omitempty"`
}

// EntityMapping says where a search looks and what the card shows for one entity.
type EntityMapping struct {
	Entity        string         `dynamodbav:"entity" json:"entity"`
	SearchFields  []string       `dynamodbav:"searchFields,omitempty" json:"searchFields,omitempty"`
	DisplayFields []DisplayField `dynamodbav:"displayFields,omitempty" json:"displayFields,omitempty"`
}

// DynamicDataMapping decides which CRM entities and fields a search uses.
type DynamicDataMapping struct {
	TenantID        string          `dynamodbav:"tenantId" json:"-"`
	ConfigurationID string          `dynamodbav:"configurationId" json:"configurationId"`
	ID              string          `dynamodbav:"dynamicDataMappingId" json:"dynamicDataMappingId"`
	Entities        []EntityMapping `dynamodbav:"entities" json:"entities"`
	Updated         time.Time       `dynamodbav:"updated" json:"updated"`
}

// Card sections.
const (
	SectionCurrent = "current"
	SectionRelated = "related"
)

// CardField is one shown field of a card record.
type CardField struct {
	Name  string `dynamodbav:"name" json:"name"`
	Label string `dynamodbav:"label" json:"label"`
	Value any    `dynamodbav:"value" json:"value"`
}

// CardRecord is a CRM record as the customer card shows it.
type CardRecord struct {
	Entity    string       `dynamodbav:"entity" json:"entity"`
	ID        string       `dynamodbav:"id" json:"id"`
	Display   string       `dynamodbav:"display" json:"display"`
	URL       string       `dynamodbav:"url,omitempty" json:"url,omitempty"`
	Updated   *time.Time   `dynamodbav:"updated,omitempty" json:"updated,omitempty"`
	Pinned    bool         `dynamodbav:"-" json:"pinned"`
	ScreenPop bool         `dynamodbav:"screenPop" json:"screenPop"`
	Fields    []CardField  `dynamodbav:"fields" json:"fields"`
	Related   []CardRecord `dynamodbav:"related,omitempty" json:"related,omitempty"`
	// Source is "card" on a search result the CRM's answer lacked: a record
	// this contact created or pinned, found on its card (workflow.SourceCard).
	Source string `dynamodbav:"-" json:"source,omitempty"`
	// Match says why a search answered the record; only on search answers.
	Match *Match `dynamodbav:"-" json:"match,omitempty"`
}

// Match kinds (Match.Kind): how a search's value was found in a record.
const (
	MatchExact    = phone.MatchExact    // the phone number with its country code after a +
	MatchNational = phone.MatchNational // the phone number as dialled at home
	MatchDigits   = phone.MatchDigits   // the phone number's digits written otherwise
	MatchEmail    = "email"             // the email address
	MatchFilter   = "filter"            // a custom search's filter
)

// Match explains a search result: the field that held the searched value
// (empty when the CRM matched on a field it did not return), how it
// matched, and a score from 0 to 1 that ranks the results.
type Match struct {
	Field string  `json:"field,omitempty"`
	Kind  string  `json:"kind"`
	Score float64 `json:"score"`
}

// Ref returns the record's reference.
func (r CardRecord) Ref() crm.Ref { return crm.Ref{Entity: r.Entity, ID: r.ID} }

// Job statuses.
const (
	JobQueued       = "queued"
	JobRunning      = "running"
	JobSucceeded    = "succeeded"
	JobFailed       = "failed"
	JobDeadlettered = "deadlettered"
)

// JobSummary is a post-call job as the card lists it.
type JobSummary struct {
	JobID        string    `dynamodbav:"jobId" json:"jobId"`
	Action       Action    `dynamodbav:"action" json:"action"`
	Status       string    `dynamodbav:"status" json:"status"`
	CRMRecordIDs []crm.Ref `dynamodbav:"crmRecordIds,omitempty" json:"crmRecordIds"`
	Error        string    `dynamodbav:"error,omitempty" json:"error,omitempty"`
}

// Card is a contact's customer card. Current holds records created or pinned in
// this interaction; pinned ones are the linked records post-call jobs write to.
type Card struct {
	TenantID        string       `json:"-"`
	ContactID       string       `json:"contactId"`
	ConfigurationID string       `json:"configurationId"`
	Current         []CardRecord `json:"current"`
	Related         []CardRecord `json:"related"`
	Jobs            []JobSummary `json:"jobs"`
}

// Linked returns the pinned records of the current section.
func (c Card) Linked() []crm.Ref {
	var out []crm.Ref
	for _, r := range c.Current {
		if r.Pinned {
			out = append(out, r.Ref())
		}
	}
	return out
}

// CardTTL is how long a card record lives after its own last write or pin
// (each record is an item of its own with its own expiry).
const CardTTL = 7 * 24 * time.Hour

// JobTTL is how long a job record is kept after its last change.
const JobTTL = 30 * 24 * time.Hour

// CardWrite is one record written to a card. Section current adds it to the
// current section (Pinned links it); section related never demotes a record
// that is already current.
type CardWrite struct {
	Record  CardRecord
	Section string
	Pinned  bool
}

// Job is a queued post-call job.
type Job struct {
	TenantID        string          `dynamodbav:"tenantId" json:"-"`
	ID              string          `dynamodbav:"jobId" json:"jobId"`
	Action          Action          `dynamodbav:"action" json:"action"`
	Status          string          `dynamodbav:"status" json:"status"`
	ConfigurationID string          `dynamodbav:"configurationId" json:"configurationId"`
	ContactID       string          `dynamodbav:"contactId" json:"contactId"`
	WorkflowID      string          `dynamodbav:"workflowId,omitempty" json:"workflowId,omitempty"`
	DataMappingID   string          `dynamodbav:"dataMappingId,omitempty" json:"dataMappingId,omitempty"`
	Attempts        int             `dynamodbav:"attempts" json:"attempts"`
	LastError       string          `dynamodbav:"lastError,omitempty" json:"lastError,omitempty"`
	CRMRecordIDs    []crm.Ref       `dynamodbav:"crmRecordIds,omitempty" json:"crmRecordIds"`
	Payload         json.RawMessage `dynamodbav:"payload,omitempty" json:"-"`
	Created         time.Time       `dynamodbav:"created" json:"created"`
	Updated         time.Time       `dynamodbav:"updated" json:"updated"`
	// LeaseOwner and LeaseUntilMs (Unix milliseconds) are the idempotency
	// ledger's lease: set by ClaimJob while a consumer runs the job, cleared
	// by FinishJob. A number, so DynamoDB can compare it in a condition.
	LeaseOwner   string `dynamodbav:"leaseOwner,omitempty" json:"-"`
	LeaseUntilMs int64  `dynamodbav:"leaseUntil,omitempty" json:"-"`
}

// Finished reports whether a job is done for good: succeeded or failed.
// A dead-lettered job is not: a redrive runs it again.
func (j Job) Finished() bool { return j.Status == JobSucceeded || j.Status == JobFailed }

// Claimable reports whether ClaimJob may take the job at now: queued,
// dead-lettered (redriven), or running under a lease that has lapsed.
func (j Job) Claimable(now time.Time) bool {
	switch j.Status {
	case JobQueued, JobDeadlettered:
		return true
	case JobRunning:
		return j.LeaseUntilMs < now.UnixMilli()
	}
	return false
}

// Tenants stores tenants.
type Tenants interface {
	PutTenant(ctx context.Context, t Tenant) error
	GetTenant(ctx context.Context, tenantID string) (Tenant, error)
}

// Keys stores API key hashes.
type Keys interface {
	// PutKey stores a key; ErrExists if the hash is taken.
	PutKey(ctx context.Context, k APIKey) error
	// KeyByHash finds a key by the hash of its secret (the authorizer's lookup).
	KeyByHash(ctx context.Context, hash string) (APIKey, error)
	// DeleteKey removes a key of a tenant; ErrNotFound if the tenant has no such key.
	DeleteKey(ctx context.Context, tenantID, keyID string) error
	// ListKeys lists a tenant's keys by id (their hashes stay in the store).
	ListKeys(ctx context.Context, tenantID string) ([]APIKey, error)
}

// Configurations stores CRM configurations.
type Configurations interface {
	// PutConfiguration creates or replaces; it sets Version to the stored
	// version + 1, whatever the caller's Version says.
	PutConfiguration(ctx context.Context, c *Configuration) error
	GetConfiguration(ctx context.Context, tenantID, id string) (Configuration, error)
	ListConfigurations(ctx context.Context, tenantID string) ([]Configuration, error)
	// DeleteConfiguration removes the configuration with its workflows and mappings.
	DeleteConfiguration(ctx context.Context, tenantID, id string) error
}

// Workflows stores workflows of a configuration.
type Workflows interface {
	PutWorkflows(ctx context.Context, ws ...Workflow) error
	GetWorkflow(ctx context.Context, tenantID, configurationID, id string) (Workflow, error)
	ListWorkflows(ctx context.Context, tenantID, configurationID string) ([]Workflow, error)
	DeleteWorkflow(ctx context.Context, tenantID, configurationID, id string) error
}

// Mappings stores data memorialization and dynamic data mappings.
type Mappings interface {
	PutDataMapping(ctx context.Context, m DataMapping) error
	GetDataMapping(ctx context.Context, tenantID, configurationID, id string) (DataMapping, error)
	DeleteDataMapping(ctx context.Context, tenantID, configurationID, id string) error
	// ListDataMappings lists a configuration's data mappings by id.
	ListDataMappings(ctx context.Context, tenantID, configurationID string) ([]DataMapping, error)
	PutDynamicDataMapping(ctx context.Context, m DynamicDataMapping) error
	GetDynamicDataMapping(ctx context.Context, tenantID, configurationID, id string) (DynamicDataMapping, error)
	DeleteDynamicDataMapping(ctx context.Context, tenantID, configurationID, id string) error
	// ListDynamicDataMappings lists a configuration's dynamic data mappings by id.
	ListDynamicDataMappings(ctx context.Context, tenantID, configurationID string) ([]DynamicDataMapping, error)
}

// Cards stores customer cards, each record an item of its own so a search adds
// its results with one write and never reads first.
type Cards interface {
	// WriteCard adds records to a contact's card in one call and renews its TTL.
	WriteCard(ctx context.Context, tenantID, contactID, configurationID string, ws []CardWrite) error
	// GetCard reads a card; ErrNotFound when the contact has none.
	GetCard(ctx context.Context, tenantID, contactID string) (Card, error)
	// SetPinned pins (moves to current, links) or unpins (back to related) a
	// record that is on the card; ErrNotFound when it is not.
	SetPinned(ctx context.Context, tenantID, contactID string, ref crm.Ref, pinned bool) error
}

// Jobs stores post-call jobs.
type Jobs interface {
	// PutJobIfAbsent stores a new job; ErrExists (and the stored job) if its id is taken.
	PutJobIfAbsent(ctx context.Context, j Job) (Job, error)
	GetJob(ctx context.Context, tenantID, jobID string) (Job, error)
	// UpdateJob replaces a job's status fields and mirrors its summary onto the
	// card; ErrNotFound if the tenant has no such job.
	UpdateJob(ctx context.Context, j Job) error
	// ClaimJob is the ledger's conditional take: when the job is claimable
	// (Job.Claimable) it becomes running under owner's lease until now+lease,
	// with Attempts incremented, and is returned. Otherwise: ErrNotFound,
	// ErrJobDone (succeeded or failed) or ErrLeased (another live lease),
	// each with the stored job where there is one.
	ClaimJob(ctx context.Context, tenantID, jobID, owner string, now time.Time, lease time.Duration) (Job, error)
	// FinishJob ends owner's attempt: it replaces the job with j (status
	// succeeded, failed, deadlettered, or queued to be retried), clears the
	// lease and mirrors the summary onto the card, all on condition that the
	// job is running under owner's lease; ErrLeaseLost otherwise.
	FinishJob(ctx context.Context, j Job, owner string) error
	// RequeueJob puts a job that can no longer progress back to queued, for
	// a redrive: one dead-lettered, or one running under a lease that has
	// lapsed (its consumer died on the message's last receive). It is
	// conditional on the job being as read, so a consumer's live claim is
	// never overwritten: ErrLeased (a live lease), ErrJobDone (finished),
	// ErrNotFound. The card summary follows.
	RequeueJob(ctx context.Context, tenantID, jobID string, now time.Time) (Job, error)
	// RetryJob is RequeueJob that also takes a failed job back (an operator
	// fixed the cause): queued again, on the same condition. A succeeded job
	// is ErrJobDone: it is never written twice.
	RetryJob(ctx context.Context, tenantID, jobID string, now time.Time) (Job, error)
	// DeadletterJob records what a lapsed lease means once the queue has
	// given up on the job's message (its consumer died on the last receive
	// SQS allows): j, as the caller read it, becomes deadlettered with
	// reason as its error, its lease cleared, and the card summary follows,
	// on condition that the stored job is still as read (status and
	// attempts: a claim in between changes both, and wins). ErrLeased when
	// j is running under a live lease or a claim came in between,
	// ErrJobDone when it is finished, ErrNotFound; each with the stored job
	// where there is one.
	DeadletterJob(ctx context.Context, j Job, now time.Time, reason string) (Job, error)
	// ListJobs lists a tenant's jobs in one status, the most recently
	// changed first, a page of at most limit from cursor ("" = the first);
	// ErrBadCursor for a cursor it did not hand out for that list.
	ListJobs(ctx context.Context, tenantID, status string, limit int, cursor string) (JobPage, error)
}

// JobPage is one page of ListJobs; Next is the cursor of the next page, ""
// on the last.
type JobPage struct {
	Jobs []Job
	Next string
}

// JobStatuses are the statuses ListJobs takes.
var JobStatuses = []string{JobQueued, JobRunning, JobSucceeded, JobFailed, JobDeadlettered}

// JobListOrder is the sort key ListJobs orders a status by (descending):
// the last change, then the id, fixed width so it sorts as text.
func JobListOrder(j Job) string {
	return j.Updated.UTC().Format("2006-01-02T15:04:05.000000000Z") + "#" + j.ID
}

// Store is every repository.
type Store interface {
	Tenants
	Keys
	Configurations
	Workflows
	Mappings
	Cards
	Jobs
}

// JobCursor is the cursor of the page after j in its status list.
func JobCursor(j Job) string {
	return base64.RawURLEncoding.EncodeToString([]byte(JobListOrder(j)))
}

// ParseJobCursor returns the list order and job id a JobCursor holds;
// ErrBadCursor if it is not one.
func ParseJobCursor(cursor string) (order, jobID string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", "", ErrBadCursor
	}
	order = string(b)
	ts, id, ok := strings.Cut(order, "#")
	if !ok || id == "" || len(id) > 128 || strings.ContainsAny(id, "#/ ") {
		return "", "", ErrBadCursor
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000000000Z", ts); err != nil {
		return "", "", ErrBadCursor
	}
	return order, id, nil
}
