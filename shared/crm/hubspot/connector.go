package hubspot

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// connector talks to one HubSpot account. The token is static and the
// caches below are safe for concurrent use, so the connector is too.
type connector struct {
	cfg crm.Config
	// api sends the calls to the API origin with the static token: it
	// cannot be refreshed, so a 401 is not retried.
	api crmhttp.Client
	// appOrigin is where record URLs point when the configuration says
	// (appUrl, or the loopback baseUrl of local mode); "" leaves it to the
	// account's uiDomain.
	appOrigin string
	now       func() time.Time

	// account caches the account details (single flight); portalInfo is the
	// parsed answer, read without I/O by RecordURL (nil until known).
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
	if cfg.AppURL != "" && !validAppURL(cfg.AppURL) {
		return nil, configError("appUrl must be HubSpot's app address, such as https://app.hubspot.com or https://app-eu1.hubspot.com")
	}
	c := &connector{cfg: cfg, appOrigin: appOrigin(cfg, origin), now: time.Now}
	c.api = crmhttp.Client{
		HTTP:    crmhttp.ConnectorClient(hc),
		Timeout: cfg.Timeout,
		CRM:     "HubSpot",
		Base:    origin,
		Auth:    crmhttp.StaticAuth("Bearer " + cfg.Credentials.Token),
		CheckResponse: func(op string, r *crmhttp.Reply) error {
			return apiError(op, r.Status, r.Header, r.Body)
		},
		// Call notes are HTML, and HubSpot reads either form the same.
		Unescaped: true,
	}
	return c, nil
}

// validAppURL: an appUrl is an origin, https (the admin layer checks the
// host with AppHostAllowed) or plain http on loopback in local mode.
func validAppURL(s string) bool {
	if _, ok := crmhttp.Origin(s); !ok {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || crmhttp.IsLoopback(u.Hostname()))
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

// Capabilities: every create the driver makes for a job carries its key in
// the unique crmflow_key property and is found by a read by that value.
func (c *connector) Capabilities() crm.Capabilities {
	return crm.Capabilities{FindWriteByKey: true, RelatedOpen: true, CustomEntities: true}
}

// RecordURL is the record page in HubSpot's app,
// {app}/contacts/{portalId}/record/{objectTypeId}/{id}. It makes no call:
// the portal id comes from the account details the connector reads before
// its first search or read, and until then, or when HubSpot does not give
// them, or for a custom object named by its name (no type id), it is "".
func (c *connector) RecordURL(ref crm.Ref) string {
	o, ok := lookupObject(strings.TrimSpace(ref.Entity))
	if !ok {
		return ""
	}
	return c.portalInfo.Load().recordURL(o, ref.ID)
}
