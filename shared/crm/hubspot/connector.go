package hubspot

import (
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// connector talks to one HubSpot account. The token is static and the
// caches below are safe for concurrent use, so the connector is too.
type connector struct {
	cfg    crm.Config
	hc     *http.Client
	origin string // scheme://host of the API
	token  string
	now    func() time.Time

	// account caches the account details (single flight); portalInfo is the
	// parsed answer, read without I/O by RecordURL.
	account    crmhttp.TokenCache
	portalInfo atomic.Pointer[portal]
	// closedStages caches the closed ticket stages for a while.
	closedStages crmhttp.TokenCache
}

var _ crm.Connector = (*connector)(nil)

// New validates cfg and returns a connector for it. hc is shared across
// connectors; New keeps its transport but refuses redirects to other hosts.
func New(cfg crm.Config, hc *http.Client) (crm.Connector, error) {
	return newConnector(cfg, hc)
}

func newConnector(cfg crm.Config, hc *http.Client) (*connector, error) {
	origin, ok := crmhttp.Origin(cfg.BaseURL)
	if !ok {
		return nil, configError("baseUrl must be the API address, https://api.hubapi.com")
	}
	if cfg.APIVersion != "" && cfg.APIVersion != DefaultAPIVersion {
		return nil, configError("apiVersion must be %s (CRM v3 objects with v4 associations)", DefaultAPIVersion)
	}
	if cfg.Auth.Type != crm.AuthBearerToken {
		return nil, configError("auth type %q is not supported (use %s with a private app or service key token)", cfg.Auth.Type, crm.AuthBearerToken)
	}
	if !validToken(cfg.Credentials.Token) {
		return nil, configError("credentials.token must be the private app access token")
	}
	c := &connector{cfg: cfg, origin: origin, token: cfg.Credentials.Token, now: time.Now}
	c.hc = crmhttp.ConnectorClient(hc)
	return c, nil
}

// validToken: a bearer token is one run of visible ASCII characters; this
// also keeps it from breaking the Authorization header.
func validToken(t string) bool {
	return crmhttp.VisibleASCII(t, 4096)
}

func configError(format string, args ...any) error {
	return &crm.Error{Code: crm.InvalidArgument, Op: "hubspot: configure", Message: fmt.Sprintf(format, args...)}
}

func (c *connector) Type() crm.Type { return crm.HubSpot }

// Capabilities: timeline writes (and memorializations into calls) carry
// their key in hs_call_external_id and are found by a search on it.
func (c *connector) Capabilities() crm.Capabilities {
	return crm.Capabilities{FindWriteByKey: true, RelatedOpen: true, CustomEntities: true}
}

// RecordURL is the record page in HubSpot's app. It needs the account id,
// which the connector learns with its first request; before that it is "".
func (c *connector) RecordURL(ref crm.Ref) string {
	p := c.portalInfo.Load()
	o, err := checkRef("", ref)
	if p == nil || err != nil {
		return ""
	}
	return p.recordURL(o.typeID, ref.ID)
}

// recordURL is https://{uiDomain}/contacts/{portalId}/record/{objectTypeId}/{id}.
func (p *portal) recordURL(typeID, id string) string {
	return "https://" + p.uiDomain + "/contacts/" + strconv.FormatInt(p.id, 10) + "/record/" + typeID + "/" + id
}
