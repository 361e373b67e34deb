package servicenow

import (
	"encoding/base64"
	"fmt"
	"github.com/crmflow/crmflow/shared/lazyre"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// connector talks to one instance. Everything but the token cache is fixed
// at construction, so it is safe for concurrent use.
type connector struct {
	cfg      crm.Config
	api      crmhttp.Client // the Table API: Base is origin + /api/now/{version}/table/
	origin   string         // scheme://host of the instance
	app      string         // scheme://host of the agent UI record URLs point to
	tokenURL string         // client credentials only
	tokens   crmhttp.TokenCache
	now      func() time.Time
}

var _ crm.Connector = (*connector)(nil)

var versionRe = lazyre.New(`^v[1-9]$`)

// New validates cfg and returns a connector for it. hc is shared across
// connectors; New keeps its transport but refuses redirects to other hosts.
func New(cfg crm.Config, hc *http.Client) (crm.Connector, error) {
	return newConnector(cfg, hc)
}

func newConnector(cfg crm.Config, hc *http.Client) (*connector, error) {
	origin, ok := crmhttp.Origin(cfg.BaseURL)
	if !ok {
		return nil, configError("baseUrl must be the instance address, such as https://acme.service-now.com")
	}
	version := cfg.APIVersion
	if version == "" {
		version = DefaultAPIVersion
	}
	if !versionRe.MatchString(version) {
		return nil, configError("apiVersion must look like v2")
	}
	c := &connector{cfg: cfg, origin: origin, app: origin, now: time.Now}
	if cfg.AppURL != "" {
		app, ok := crmhttp.Origin(cfg.AppURL)
		if !ok {
			return nil, configError("appUrl must be a scheme and host, such as https://acme.service-now.com")
		}
		c.app = app
	}
	c.api = crmhttp.Client{HTTP: crmhttp.ConnectorClient(hc), Timeout: cfg.Timeout, CRM: "ServiceNow",
		Base: c.origin + "/api/now/" + version + "/table/", CheckResponse: c.checkResponse, Decode: decodeResult}
	switch cfg.Auth.Type {
	case crm.AuthBasic:
		if cfg.Auth.Username == "" || cfg.Credentials.Password == "" || strings.Contains(cfg.Auth.Username, ":") {
			return nil, configError("basic auth needs auth.username (without a colon) and credentials.password")
		}
		// Basic credentials have no token to refresh: a 401 is final.
		c.api.Auth = crmhttp.StaticAuth("Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.Auth.Username+":"+cfg.Credentials.Password)))
	case crm.AuthClientCredentials:
		if cfg.Auth.ClientID == "" || cfg.Credentials.ClientSecret == "" {
			return nil, configError("client credentials need auth.clientId and credentials.clientSecret")
		}
		c.tokenURL = c.origin + "/oauth_token.do"
		if cfg.Auth.TokenURL != "" {
			t, ok := crmhttp.OnOrigin(cfg.Auth.TokenURL, c.origin)
			if !ok {
				return nil, configError("auth.tokenUrl must be on the instance, such as %s/oauth_token.do", c.origin)
			}
			c.tokenURL = t
		}
		// A refused token is dropped and the call retried once with a fresh one.
		c.api.Auth, c.api.Tokens = crmhttp.BearerAuth(&c.tokens, "servicenow: get token", c.fetchToken), &c.tokens
	default:
		return nil, configError("auth type %q is not supported (use %s or %s)", cfg.Auth.Type, crm.AuthBasic, crm.AuthClientCredentials)
	}
	return c, nil
}

// decodeResult is the Client's Decode: the Table API wraps every answer in
// {"result": …}.
func decodeResult(op string, r *crmhttp.Reply, out any) error {
	env := struct {
		Result any `json:"result"`
	}{Result: out}
	return crmhttp.Decode(op, "ServiceNow", r, &env)
}

func configError(format string, args ...any) error {
	return &crm.Error{Code: crm.InvalidArgument, Op: "servicenow: configure", Message: fmt.Sprintf(format, args...)}
}

func (c *connector) Type() crm.Type { return crm.ServiceNow }

// Capabilities: write keys live in task.correlation_id, so earlier writes
// are found for the timeline and for memorialization into task tables (see
// FindWrite).
func (c *connector) Capabilities() crm.Capabilities {
	return crm.Capabilities{FindWriteByKey: true, RelatedOpen: true, CustomEntities: true}
}

// RecordURL is the classic UI address of a record, framed by nav_to.do,
// on the agent app: the configuration's appUrl when set, else the instance
// itself (the agent UI lives on the API's host). "" when the reference is
// no table and sys_id: decoration never fails an action.
func (c *connector) RecordURL(ref crm.Ref) string {
	ref, err := resolveRef("servicenow: record url", "", ref)
	if err != nil || c.app == "" {
		return ""
	}
	return c.app + "/nav_to.do?uri=" + url.QueryEscape(ref.Entity+".do?sys_id="+ref.ID)
}

// recordPath is the Table API path of a table or one of its rows, below the API root.
func recordPath(table, id string) string {
	p := url.PathEscape(table)
	if id != "" {
		p += "/" + url.PathEscape(id)
	}
	return p
}
