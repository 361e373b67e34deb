package salesforce

import (
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// connector talks to one org. Everything but the token cache and the
// instance address is fixed at construction, so it is safe for concurrent use.
type connector struct {
	cfg crm.Config
	// api sends the REST calls to the session's instance with its token
	// (auth); a 300 is read by the one call that expects it (AnyStatus).
	api    crmhttp.Client
	origin string // scheme://host of the configuration
	// appOrigin is where record URLs point (Lightning Experience), "" when
	// it cannot be known: then records have no URL.
	appOrigin string
	version   string
	tokenURL  string
	key       *rsa.PrivateKey // JWT bearer only
	tokens    crmhttp.TokenCache
	// instance is the instance_url of the current session (always on the
	// configuration's host; see checkInstance).
	instance atomic.Pointer[string]
	now      func() time.Time
}

var _ crm.Connector = (*connector)(nil)

var versionRe = lazyre.New(`^v[0-9]{2,3}\.0$`)

// New validates cfg and returns a connector for it. hc is shared across
// connectors; New keeps its transport but refuses redirects to other hosts.
func New(cfg crm.Config, hc *http.Client) (crm.Connector, error) {
	return newConnector(cfg, hc)
}

func newConnector(cfg crm.Config, hc *http.Client) (*connector, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.User != nil ||
		(base.Path != "" && base.Path != "/") || base.RawQuery != "" || base.Fragment != "" {
		return nil, configError("baseUrl must be the org's address, such as https://acme.my.salesforce.com")
	}
	c := &connector{cfg: cfg, origin: base.Scheme + "://" + strings.ToLower(base.Host), version: cfg.APIVersion, now: time.Now}
	c.appOrigin = appOrigin(cfg.AppURL, c.origin)
	if c.version == "" {
		c.version = DefaultAPIVersion
	}
	if !versionRe.MatchString(c.version) {
		return nil, configError("apiVersion must look like v62.0")
	}
	c.tokenURL = c.origin + "/services/oauth2/token"
	if cfg.Auth.TokenURL != "" {
		t, err := url.Parse(cfg.Auth.TokenURL)
		if err != nil || (t.Scheme != "https" && t.Scheme != "http") || t.Host == "" || t.User != nil || t.Fragment != "" {
			return nil, configError("auth.tokenUrl must be an absolute http(s) URL")
		}
		c.tokenURL = cfg.Auth.TokenURL
	}
	switch cfg.Auth.Type {
	case crm.AuthClientCredentials:
		if cfg.Auth.ClientID == "" || cfg.Credentials.ClientSecret == "" {
			return nil, configError("client credentials need auth.clientId and credentials.clientSecret")
		}
	case crm.AuthJWTBearer:
		if cfg.Auth.ClientID == "" || cfg.Auth.Username == "" || cfg.Credentials.PrivateKey == "" {
			return nil, configError("JWT bearer needs auth.clientId, auth.username and credentials.privateKey")
		}
		if c.key, err = parsePrivateKey(cfg.Credentials.PrivateKey); err != nil {
			return nil, configError("credentials.privateKey: %v", err)
		}
	default:
		return nil, configError("auth type %q is not supported (use %s or %s)", cfg.Auth.Type, crm.AuthClientCredentials, crm.AuthJWTBearer)
	}
	if hc == nil {
		hc = crmhttp.NewClient()
	}
	client := *hc
	client.CheckRedirect = crmhttp.SameHostRedirects
	c.api = crmhttp.Client{HTTP: &client, Timeout: cfg.Timeout, CRM: "Salesforce", Base: c.origin,
		Auth: c.auth, Tokens: &c.tokens, CheckResponse: checkResponse}
	return c, nil
}

func configError(format string, args ...any) error {
	return &crm.Error{Code: crm.InvalidArgument, Op: "salesforce: configure", Message: fmt.Sprintf(format, args...)}
}

func (c *connector) Type() crm.Type { return crm.Salesforce }

func (c *connector) Capabilities() crm.Capabilities {
	return crm.Capabilities{FindWriteByKey: true, RelatedOpen: true, CustomEntities: true}
}

// appOrigin is the Lightning Experience origin record URLs point to: the
// configuration's appUrl when set (the admin layer checked its host with
// AppHostAllowed), else derived from a My Domain baseUrl
// ({name}.my.salesforce.com → {name}.lightning.force.com, sandboxes and
// other partitioned domains alike), else a loopback baseUrl itself (local
// mode), else none.
func appOrigin(appURL, apiOrigin string) string {
	if appURL != "" {
		o, _ := crmhttp.Origin(appURL)
		return o
	}
	u, err := url.Parse(apiOrigin)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	if u.Scheme == "https" && hostAllowed(host) && u.Port() == "" {
		return "https://" + strings.TrimSuffix(strings.ToLower(host), mySalesforceSuffix) + lightningSuffix
	}
	if crmhttp.IsLoopback(host) {
		return apiOrigin
	}
	return ""
}

// RecordURL is the Lightning Experience record page,
// {app}/lightning/r/{sObject}/{id}/view, or "" when the app's address is
// unknown or the reference is not one Salesforce could have (no call, no
// failure: decoration never fails an action).
func (c *connector) RecordURL(ref crm.Ref) string {
	if c.appOrigin == "" || !idShape.MatchString(ref.ID) {
		return ""
	}
	entity, err := resolveEntity("salesforce: record url", ref.Entity)
	if err != nil {
		return ""
	}
	return c.appOrigin + "/lightning/r/" + url.PathEscape(entity) + "/" + url.PathEscape(ref.ID) + "/view"
}

// dataPath is an API path below /services/data/{version}/; segments must be escaped already.
func (c *connector) dataPath(rest string) string {
	return "/services/data/" + c.version + "/" + rest
}

func (c *connector) sobjectPath(entity, id string) string {
	p := c.dataPath("sobjects/" + url.PathEscape(entity))
	if id != "" {
		p += "/" + url.PathEscape(id)
	}
	return p
}
