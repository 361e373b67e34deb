package dynamics

import (
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// connector talks to one Dataverse environment. Everything but the token
// cache and the cached WhoAmI answer is fixed at construction, so it is safe
// for concurrent use.
type connector struct {
	cfg    crm.Config
	origin string // scheme://host of the environment
	// api sends the calls below apiRoot with the cached access token.
	api crmhttp.Client
	// appOrigin is where the model-driven apps of the environment are,
	// "" when unknown (records then have no URL).
	appOrigin string
	apiRoot   string // origin + /api/data/v9.x/
	tokenURL  string
	scope     string
	tokens    crmhttp.TokenCache
	now       func() time.Time

	userMu sync.Mutex
	userID string // the application user, from WhoAmI

	// noCaseExpand is set once the environment refused the open cases'
	// $expand (no incident table): searches then read cases one call later.
	noCaseExpand atomic.Bool
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
	if cfg.AppURL != "" {
		app, ok := crmhttp.Origin(cfg.AppURL)
		if !ok {
			return nil, configError("appUrl must be the environment's app address, such as https://acme.crm.dynamics.com")
		}
		c.appOrigin = app
	} else {
		c.appOrigin = appOrigin(origin)
	}
	c.apiRoot = c.origin + "/api/data/" + version + "/"
	c.scope = cfg.Auth.Scope
	if c.scope == "" {
		c.scope = c.origin + "/.default"
	}
	c.api = crmhttp.Client{
		HTTP:          crmhttp.ConnectorClient(hc),
		Timeout:       cfg.Timeout,
		CRM:           "Dataverse",
		Base:          c.apiRoot,
		Auth:          crmhttp.BearerAuth(&c.tokens, "dynamics: get token", c.fetchToken),
		Tokens:        &c.tokens,
		Header:        odataHeaders,
		CheckResponse: checkResponse,
	}
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

// appOrigin derives where the apps are from the API's origin: the
// environment host itself serves main.aspx ({org}.crm[N].dynamics.com,
// "Open apps, forms, views, dialogs, and reports with a URL"), and so does
// a loopback address in local mode; any other host (a proxy in front of
// the environment) says nothing of where agents work.
func appOrigin(apiOrigin string) string {
	u, err := url.Parse(apiOrigin)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	if (u.Scheme == "https" && hostAllowed(host)) || crmhttp.IsLoopback(host) {
		return apiOrigin
	}
	return ""
}

// RecordURL is the record's form in the model-driven app,
// {app}/main.aspx?etn={logical name}&id={guid}&pagetype=entityrecord, or ""
// when the app's address is unknown or the reference is not one Dataverse
// could have. It makes no call and never fails an action.
func (c *connector) RecordURL(ref crm.Ref) string {
	if c.appOrigin == "" || !guidShape.MatchString(ref.ID) {
		return ""
	}
	logical, err := resolveEntity("dynamics: record url", ref.Entity)
	if err != nil {
		return ""
	}
	q := url.Values{"etn": {logical}, "id": {strings.ToLower(ref.ID)}, "pagetype": {"entityrecord"}}
	return c.appOrigin + "/main.aspx?" + q.Encode()
}
