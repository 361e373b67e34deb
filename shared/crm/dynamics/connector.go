package dynamics

import (
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// connector talks to one Dataverse environment. Everything but the token
// cache and the cached WhoAmI answer is fixed at construction, so it is safe
// for concurrent use.
type connector struct {
	cfg      crm.Config
	hc       *http.Client
	origin   string // scheme://host of the environment
	apiRoot  string // origin + /api/data/v9.x/
	tokenURL string
	scope    string
	tokens   crmhttp.TokenCache
	now      func() time.Time

	userMu sync.Mutex
	userID string // the application user, from WhoAmI
}

var _ crm.Connector = (*connector)(nil)

var (
	versionRe = lazyre.New(`^v9\.[0-9]$`)
	// tokenPath is Entra's v2.0 token endpoint below a tenant id or domain.
	tokenPath = lazyre.New(`^/[A-Za-z0-9][A-Za-z0-9.-]{0,99}/oauth2/v2\.0/token$`)
)

// New validates cfg and returns a connector for it. hc is shared across
// connectors; New keeps its transport but refuses redirects to other hosts.
func New(cfg crm.Config, hc *http.Client) (crm.Connector, error) {
	return newConnector(cfg, hc)
}

func newConnector(cfg crm.Config, hc *http.Client) (*connector, error) {
	origin, ok := crmhttp.Origin(cfg.BaseURL)
	if !ok {
		return nil, configError("baseUrl must be the environment URL, such as https://acme.crm.dynamics.com")
	}
	version := cfg.APIVersion
	if version == "" {
		version = DefaultAPIVersion
	}
	if !versionRe.MatchString(version) {
		return nil, configError("apiVersion must look like v9.2")
	}
	if cfg.Auth.Type != crm.AuthClientCredentials {
		return nil, configError("auth type %q is not supported (use %s with Microsoft Entra ID)", cfg.Auth.Type, crm.AuthClientCredentials)
	}
	if cfg.Auth.ClientID == "" || cfg.Credentials.ClientSecret == "" {
		return nil, configError("client credentials need auth.clientId and credentials.clientSecret")
	}
	tok, err := url.Parse(cfg.Auth.TokenURL)
	if cfg.Auth.TokenURL == "" || err != nil || (tok.Scheme != "https" && tok.Scheme != "http") || tok.Host == "" ||
		tok.User != nil || tok.RawQuery != "" || tok.Fragment != "" || !tokenPath.MatchString(tok.Path) {
		return nil, configError("auth.tokenUrl must be the tenant's token endpoint, such as https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token")
	}
	c := &connector{cfg: cfg, origin: origin, tokenURL: tok.String(), now: time.Now}
	c.apiRoot = c.origin + "/api/data/" + version + "/"
	c.scope = cfg.Auth.Scope
	if c.scope == "" {
		c.scope = c.origin + "/.default"
	}
	c.hc = crmhttp.ConnectorClient(hc)
	return c, nil
}

func configError(format string, args ...any) error {
	return &crm.Error{Code: crm.InvalidArgument, Op: "dynamics: configure", Message: fmt.Sprintf(format, args...)}
}

func (c *connector) Type() crm.Type { return crm.Dynamics }

// Capabilities: every create-mode write has a key-derived primary key, so
// earlier writes are found by key for any table.
func (c *connector) Capabilities() crm.Capabilities {
	return crm.Capabilities{FindWriteByKey: true, RelatedOpen: true, CustomEntities: true}
}

// RecordURL is the model-driven app address of a record.
func (c *connector) RecordURL(ref crm.Ref) string {
	q := url.Values{"etn": {ref.Entity}, "id": {ref.ID}, "pagetype": {"entityrecord"}}
	return c.origin + "/main.aspx?" + q.Encode()
}
