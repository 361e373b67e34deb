package zendesk

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/lazyre"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// connector talks to one Zendesk account. Everything but the token cache is
// fixed at construction, so it is safe for concurrent use.
type connector struct {
	cfg      crm.Config
	api      crmhttp.Client // the Support API: Base is origin + /api/v2/
	origin   string         // scheme://host of the account
	app      string         // scheme://host of the agent workspace; "" when unknown
	tokenURL string         // client credentials only
	tokens   crmhttp.TokenCache
	now      func() time.Time
}

var _ crm.Connector = (*connector)(nil)

// printable refuses credentials that would break or smuggle a header.
var printable = lazyre.New(`^[\x21-\x7e]+$`)

// New validates cfg and returns a connector for it. hc is shared across
// connectors; New keeps its transport but refuses redirects to other hosts.
func New(cfg crm.Config, hc *http.Client) (crm.Connector, error) {
	return newConnector(cfg, hc)
}

func newConnector(cfg crm.Config, hc *http.Client) (*connector, error) {
	origin, ok := crmhttp.Origin(cfg.BaseURL)
	if !ok {
		return nil, configError("baseUrl must be the account address, such as https://acme.zendesk.com")
	}
	if v := cfg.APIVersion; v != "" && v != DefaultAPIVersion {
		return nil, configError("apiVersion must be v2")
	}
	if cfg.AppURL != "" {
		if _, ok := crmhttp.Origin(cfg.AppURL); !ok {
			return nil, configError("appUrl must be the account address, such as https://acme.zendesk.com")
		}
	}
	c := &connector{cfg: cfg, origin: origin, app: appOrigin(cfg.AppURL, origin), now: time.Now}
	c.api = crmhttp.Client{HTTP: crmhttp.ConnectorClient(hc), Timeout: cfg.Timeout, CRM: "Zendesk",
		Base: c.origin + "/api/v2/", CheckResponse: c.checkResponse, Decode: decode}
	switch cfg.Auth.Type {
	case crm.AuthAPIToken:
		email := cfg.Auth.Email
		if email == "" || strings.ContainsAny(email, ":/") || !printable.MatchString(email) || !strings.Contains(email, "@") ||
			!printable.MatchString(cfg.Credentials.APIToken) {
			return nil, configError("api token auth needs auth.email (an agent's address) and credentials.apiToken")
		}
		// API tokens and bearer tokens are fixed: a 401 is final.
		c.api.Auth = crmhttp.StaticAuth("Basic " + base64.StdEncoding.EncodeToString([]byte(email+"/token:"+cfg.Credentials.APIToken)))
	case crm.AuthBearerToken:
		if !printable.MatchString(cfg.Credentials.Token) {
			return nil, configError("bearer token auth needs credentials.token (an OAuth access token)")
		}
		c.api.Auth = crmhttp.StaticAuth("Bearer " + cfg.Credentials.Token)
	case crm.AuthClientCredentials:
		if cfg.Auth.ClientID == "" || cfg.Credentials.ClientSecret == "" {
			return nil, configError("client credentials need auth.clientId and credentials.clientSecret")
		}
		c.tokenURL = c.origin + "/oauth/tokens"
		if cfg.Auth.TokenURL != "" {
			t, ok := crmhttp.OnOrigin(cfg.Auth.TokenURL, c.origin)
			if !ok {
				return nil, configError("auth.tokenUrl must be on the account, such as %s/oauth/tokens", c.origin)
			}
			c.tokenURL = t
		}
		// A refused token is dropped and the call retried once with a fresh one.
		c.api.Auth, c.api.Tokens = crmhttp.BearerAuth(&c.tokens, "zendesk: get token", c.fetchToken), &c.tokens
	default:
		return nil, configError("auth type %q is not supported (use %s, %s or %s)", cfg.Auth.Type,
			crm.AuthAPIToken, crm.AuthBearerToken, crm.AuthClientCredentials)
	}
	return c, nil
}

// decode reads a JSON answer, or a part of one, with numbers kept exact
// (Zendesk ids pass 2^53 in some accounts' custom field values and are
// best not rounded); it is the Client's Decode too.
func decode(op string, r *crmhttp.Reply, out any) error {
	return crmhttp.DecodeExact(op, "Zendesk", r, out)
}

func configError(format string, args ...any) error {
	return &crm.Error{Code: crm.InvalidArgument, Op: "zendesk: configure", Message: fmt.Sprintf(format, args...)}
}

func (c *connector) Type() crm.Type { return crm.Zendesk }

// Capabilities: write keys live in external_id (and a tag for comments on
// existing tickets), so earlier writes can be found; tickets list a
// requester's open ones; custom object records can be created by key.
func (c *connector) Capabilities() crm.Capabilities {
	return crm.Capabilities{FindWriteByKey: true, RelatedOpen: true, CustomEntities: true}
}

// appOrigin is where the agent workspace is: appUrl when the configuration
// names one; else the account itself when the API host is
// {subdomain}.zendesk.com (the workspace is served at /agent on the same
// host) or, in local mode, a loopback address; "" otherwise (a proxy in
// front of the account says nothing of where agents work).
func appOrigin(appURL, apiOrigin string) string {
	if appURL != "" {
		o, _ := crmhttp.Origin(appURL)
		return o
	}
	u, err := url.Parse(apiOrigin)
	if err != nil {
		return ""
	}
	if host := u.Hostname(); (u.Scheme == "https" && hostAllowed(host)) || crmhttp.IsLoopback(host) {
		return apiOrigin
	}
	return ""
}

// RecordURL is the agent workspace address of a record,
// {app}/agent/{tickets|users|organizations}/{id}; "" for custom object
// records (Zendesk publishes no address for one), for an unknown
// workspace or a malformed reference. It makes no call.
func (c *connector) RecordURL(ref crm.Ref) string {
	if c.app == "" {
		return ""
	}
	canon, err := canonicalEntity(strings.TrimSpace(ref.Entity))
	if err != nil {
		return ""
	}
	res := resourceOf(canon)
	if res.custom() || !res.validID(ref.ID) {
		return ""
	}
	return c.app + "/agent/" + res.plural + "/" + ref.ID
}
