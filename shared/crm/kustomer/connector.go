package kustomer

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// connector talks to one Kustomer organization. The API key is static and
// the caches below are safe for concurrent use, so the connector is too.
type connector struct {
	cfg crm.Config
	// api sends the calls to the API origin with the API key: it cannot
	// be refreshed, so a 401 is not retried.
	api crmhttp.Client
	now func() time.Time

	// app is the agent app's scheme://host record URLs point to, "" when
	// the configuration gives none (appBase).
	app string

	// owners remembers which customer a conversation belongs to, so that
	// RecordURL can build a conversation's link from its ref alone.
	ownersMu sync.Mutex
	owners   map[string]string
}

var _ crm.Connector = (*connector)(nil)

// maxOwners bounds the conversation → customer memory.
const maxOwners = 4096

// New validates cfg and returns a connector for it. hc is shared across
// connectors; New keeps its transport but refuses redirects to other hosts.
func New(cfg crm.Config, hc *http.Client) (crm.Connector, error) {
	return newConnector(cfg, hc)
}

func newConnector(cfg crm.Config, hc *http.Client) (*connector, error) {
	origin, ok := crmhttp.Origin(cfg.BaseURL)
	if !ok {
		return nil, configError("baseUrl must be the API address, such as https://acme.api.kustomerapp.com or https://api.prod2.kustomerapp.com")
	}
	if cfg.APIVersion != "" && cfg.APIVersion != DefaultAPIVersion {
		return nil, configError("apiVersion must be %s", DefaultAPIVersion)
	}
	if cfg.Auth.Type != crm.AuthBearerToken {
		return nil, configError("auth type %q is not supported (use %s with a Kustomer API key)", cfg.Auth.Type, crm.AuthBearerToken)
	}
	if !validToken(cfg.Credentials.Token) {
		return nil, configError("credentials.token must be the Kustomer API key")
	}
	if cfg.AppURL != "" {
		if _, ok := crmhttp.Origin(cfg.AppURL); !ok {
			return nil, configError("appUrl must be the agent app's address, such as https://acme.kustomerapp.com")
		}
	}
	c := &connector{cfg: cfg, now: time.Now, app: appBase(cfg.AppURL, origin), owners: map[string]string{}}
	c.api = crmhttp.Client{
		HTTP:    crmhttp.ConnectorClient(hc),
		Timeout: cfg.Timeout,
		CRM:     "Kustomer",
		Base:    origin,
		Auth:    crmhttp.StaticAuth("Bearer " + cfg.Credentials.Token),
		CheckResponse: func(op string, r *crmhttp.Reply) error {
			return apiError(op, r.Status, r.Header, r.Body, c.now())
		},
		// Kustomer reads <, > and & either way; agents read them more
		// easily unescaped.
		Unescaped: true,
	}
	return c, nil
}

// validToken: an API key is one run of visible ASCII characters (a JWT);
// this also keeps it from breaking the Authorization header.
func validToken(t string) bool {
	return crmhttp.VisibleASCII(t, 8192)
}

func configError(format string, args ...any) error {
	return &crm.Error{Code: crm.InvalidArgument, Op: "kustomer: configure", Message: fmt.Sprintf(format, args...)}
}

func (c *connector) Type() crm.Type { return crm.Kustomer }

// Capabilities: timeline messages and every create-mode memorialization
// carry their key in externalId, which FindWrite reads back without the
// search; customers' open conversations are listed; any Klass can be
// created.
func (c *connector) Capabilities() crm.Capabilities {
	return crm.Capabilities{FindWriteByKey: true, RelatedOpen: true, CustomEntities: true}
}

// RecordURL is the record's page in Kustomer's agent app, built without a
// call from the configured app address (appBase); "" when there is none.
// Conversations link to their customer's timeline event, so they need a
// customer the connector has seen them with.
func (c *connector) RecordURL(ref crm.Ref) string {
	o, err := checkRef("kustomer: record url", ref)
	if err != nil {
		return ""
	}
	var customer string
	switch o.entity {
	case entCustomer:
		customer = ref.ID
	case entConversation:
		c.ownersMu.Lock()
		customer = c.owners[ref.ID]
		c.ownersMu.Unlock()
	}
	return c.recordURL(o, ref.ID, customer, ref.ID)
}

// recordURL is {app}/app/customers/{customerId} for a customer,
// …/event/{conversationId} for a conversation or a message or note in it,
// and the customer's page for a KObject; "" when unknown.
func (c *connector) recordURL(o object, id, customer, conversation string) string {
	if c.app == "" || customer == "" {
		return ""
	}
	base := c.app + "/app/customers/" + customer
	switch {
	case o.entity == entCustomer:
		return c.app + "/app/customers/" + id
	case o.entity == entConversation || o.entity == entMessage || o.entity == entNote:
		if conversation == "" {
			return ""
		}
		return base + "/event/" + conversation
	case o.isKObject():
		return base
	}
	return ""
}

// remember notes a conversation's customer for RecordURL.
func (c *connector) remember(conversation, customer string) {
	if conversation == "" || customer == "" {
		return
	}
	c.ownersMu.Lock()
	if len(c.owners) >= maxOwners {
		c.owners = map[string]string{}
	}
	c.owners[conversation] = customer
	c.ownersMu.Unlock()
}
