// Package crm is the portable API that every CRM driver implements: one Connector
// interface, one Record shape, one portable filter language and one set of error
// codes, so the use cases in shared/workflow never know which CRM they talk to.
package crm

import (
	"context"
	"time"

	"github.com/crmflow/crmflow/shared/phone"
)

// Type names a CRM product. The values are the ones used in configurations.
type Type string

const (
	Salesforce Type = "salesforce"
	Dynamics   Type = "dynamics"
	ServiceNow Type = "servicenow"
	Zendesk    Type = "zendesk"
	HubSpot    Type = "hubspot"
	Kustomer   Type = "kustomer"
	Oracle     Type = "oracle"
)

// AuthType is how a connector authenticates to its CRM.
type AuthType string

const (
	AuthClientCredentials AuthType = "oauth2_client_credentials"
	AuthJWTBearer         AuthType = "oauth2_jwt_bearer"
	AuthBasic             AuthType = "basic"
	AuthAPIToken          AuthType = "api_token"
	AuthBearerToken       AuthType = "bearer_token"
)

// Auth holds the non-secret half of a configuration's authentication.
type Auth struct {
	Type               AuthType `json:"type"`
	TokenURL           string   `json:"tokenUrl,omitempty"`
	ClientID           string   `json:"clientId,omitempty"`
	Username           string   `json:"username,omitempty"`
	Email              string   `json:"email,omitempty"`
	Scope              string   `json:"scope,omitempty"`
	Audience           string   `json:"audience,omitempty"`
	ApplicationContext string   `json:"applicationContext,omitempty"`
}

// Credentials is the secret half. It lives in Secrets Manager only and is never
// logged: String, GoString (fmt) and LogValue (slog, logvalue.go) redact it.
type Credentials struct {
	ClientSecret string `json:"clientSecret,omitempty"`
	PrivateKey   string `json:"privateKey,omitempty"`
	Password     string `json:"password,omitempty"`
	APIToken     string `json:"apiToken,omitempty"`
	Token        string `json:"token,omitempty"`
}

// Names lists which credential fields are set, for the write-only "set" view.
func (c Credentials) Names() []string {
	var out []string
	for _, kv := range []struct {
		name string
		v    string
	}{{"clientSecret", c.ClientSecret}, {"privateKey", c.PrivateKey}, {"password", c.Password}, {"apiToken", c.APIToken}, {"token", c.Token}} {
		if kv.v != "" {
			out = append(out, kv.name)
		}
	}
	return out
}

// String keeps credentials out of any %v formatting.
func (Credentials) String() string { return "[credentials redacted]" }

// GoString keeps credentials out of %#v formatting.
func (Credentials) GoString() string { return "[credentials redacted]" }

// Config is what a driver needs to talk to one CRM instance.
type Config struct {
	ConfigurationID string
	Type            Type
	BaseURL         string
	// AppURL is the agent-facing app record URLs point to (Kustomer's
	// https://{org}.kustomerapp.com); "" lets the driver derive it from
	// BaseURL where the host names the app, else records have no URL.
	AppURL      string
	APIVersion  string
	Auth        Auth
	Credentials Credentials
	// Timeout bounds one CRM round trip; the caller's context bounds the whole call.
	Timeout time.Duration
}

// Record is one CRM item in portable form.
type Record struct {
	Entity  string
	ID      string
	Display string
	URL     string
	Updated time.Time
	// Fields holds the requested fields by their CRM API name; nested attributes
	// use dotted paths (user_fields.job_title).
	Fields map[string]any
	// Related carries a person's open cases/tickets/incidents when a search asks for them.
	Related []Record
}

// Ref points at a record.
type Ref struct {
	Entity string `json:"entity"`
	ID     string `json:"id"`
}

// EntitySpec says which fields of an entity a search looks in and shows.
// It comes from a dynamic data mapping; empty means the driver's defaults.
type EntitySpec struct {
	Entity        string
	SearchFields  []string
	DisplayFields []string
}

// PhoneSearch looks for a phone number across phone fields.
type PhoneSearch struct {
	// Variants are the forms to look for (E.164, national, digits only), most
	// specific first; see phone.Number.Variants.
	Variants []string
	// Number is the parsed number the variants come from (its country,
	// national number and formats), for drivers that add the forms people
	// type (phone.Forms); zero when a caller gave variants only.
	Number   phone.Number
	Entities []EntitySpec
	Limit    int
}

// EmailSearch looks for an email address.
type EmailSearch struct {
	Email    string
	Entities []EntitySpec
	Limit    int
}

// Query is a custom search over one entity with the portable filter.
type Query struct {
	Entity string
	Filter Filter
	Fields []string
	Limit  int
}

// Activity is one interaction written to a CRM's timeline.
type Activity struct {
	// Key identifies the write; drivers store it in a CRM-side field where the CRM
	// has one (Salesforce Task CallObject) so FindWrite can find it after a crash.
	Key          string
	Subject      string
	Description  string
	Direction    string // inbound | outbound
	MediaType    string // voice | chat | email | sms | social
	Phone        string
	Start        time.Time
	End          time.Time
	Duration     time.Duration
	Disposition  string
	AgentName    string
	ContactID    string // the contact center's contact id
	RecordingURL string
	Links        []Ref
}

// WriteMode says whether a memorialization creates a record or updates linked ones.
type WriteMode string

const (
	ModeCreate WriteMode = "create"
	ModeUpdate WriteMode = "update"
)

// Memorialization is a data memorialization write: already mapped and converted fields.
type Memorialization struct {
	Key    string
	Entity string
	Mode   WriteMode
	Fields map[string]any
	Links  []Ref
}

// WriteKind tells FindWrite which kind of write to look for.
type WriteKind string

const (
	WriteActivity        WriteKind = "timeline"
	WriteMemorialization WriteKind = "datamemorialization"
)

// WriteLookup names an earlier write: its kind, the key it was made with,
// for memorialization the entity it went to, and the records the write was
// linked to.
type WriteLookup struct {
	Kind   WriteKind
	Entity string
	Key    string
	// Links are the Activity's or Memorialization's links, the same the
	// write was given. A driver whose write lands on a linked record (a
	// comment on an existing ticket) reads that record's own history for
	// the key, a consistent read, instead of a lagging search. nil means
	// the links are unknown; a caller that knows there were none passes an
	// empty, non-nil slice.
	Links []Ref
}

// WriteResult names the CRM records a write created or changed.
type WriteResult struct {
	Records []Ref
}

// Capabilities tells the use cases and the conformance suite what a CRM cannot do.
type Capabilities struct {
	// FindWriteByKey is true when the driver stores the write key in the CRM and
	// can find an earlier write by it.
	FindWriteByKey bool
	// RelatedOpen is true when the driver can list a person's open cases.
	RelatedOpen bool
	// CustomEntities is true when arbitrary entity names can be created.
	CustomEntities bool
}

// Connector is one CRM instance seen through the portable API. Implementations
// are safe for concurrent use.
type Connector interface {
	Type() Type
	Capabilities() Capabilities
	SearchByPhone(ctx context.Context, s PhoneSearch) ([]Record, error)
	SearchByEmail(ctx context.Context, s EmailSearch) ([]Record, error)
	Search(ctx context.Context, q Query) ([]Record, error)
	// RelatedOpen lists up to limit most recent open cases/tickets/incidents of a person record.
	RelatedOpen(ctx context.Context, person Ref, limit int) ([]Record, error)
	Get(ctx context.Context, ref Ref, fields []string) (Record, error)
	Create(ctx context.Context, entity string, fields map[string]any) (Record, error)
	Update(ctx context.Context, ref Ref, fields map[string]any) error
	AddActivity(ctx context.Context, a Activity) (WriteResult, error)
	WriteRecord(ctx context.Context, m Memorialization) (WriteResult, error)
	// FindWrite looks for an earlier write made with l.Key. found is false when
	// there is none (or the CRM cannot tell: see Capabilities.FindWriteByKey).
	// Update-mode memorialization needs no lookup: writing the same fields twice is harmless.
	FindWrite(ctx context.Context, l WriteLookup) (res WriteResult, found bool, err error)
	// RecordURL is the agent-facing address of a record (screen pop), "" when
	// the driver cannot build one. It makes no call: decoration never fails
	// a search, create or update.
	RecordURL(ref Ref) string
}
