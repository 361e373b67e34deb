package oracle

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// DefaultApplicationContext is sent in OSvC-CREST-Application-Context when
// the configuration names none; it shows in the site's PAPI meters log.
const DefaultApplicationContext = "crmflow"

// maxApplicationContext is the longest header value v1.4 takes (longer: 400).
const maxApplicationContext = 40

// defaultPageSize is how many rows one ROQL page asks for.
const defaultPageSize = 100

// connector talks to one site. Everything is fixed at construction, so it
// is safe for concurrent use.
type connector struct {
	cfg crm.Config
	// api sends the calls below apiRoot with the basic credentials and the
	// application context; nothing can be refreshed, so a 401 is final.
	api        crmhttp.Client
	origin     string // scheme://host of the site
	appOrigin  string // scheme://host of the Agent Browser UI; "" when unknown
	apiRoot    string // origin + /services/rest/connect/{version}/
	appContext string // OSvC-CREST-Application-Context
	pageSize   int
	now        func() time.Time
}

var (
	_ crm.Connector = (*connector)(nil)
	_ crm.Inspector = (*connector)(nil)
)

var versionRe = lazyre.New(`^(v1\.[0-9]{1,2}|latest)$`)

// New validates cfg and returns a connector for it. hc is shared across
// connectors; New keeps its transport but refuses redirects to other hosts.
func New(cfg crm.Config, hc *http.Client) (crm.Connector, error) {
	return newConnector(cfg, hc)
}

func newConnector(cfg crm.Config, hc *http.Client) (*connector, error) {
	origin, ok := crmhttp.Origin(cfg.BaseURL)
	if !ok {
		return nil, configError("baseUrl must be the site address, such as https://acme.custhelp.com")
	}
	version := cfg.APIVersion
	if version == "" {
		version = DefaultAPIVersion
	}
	if !versionRe.MatchString(version) {
		return nil, configError("apiVersion must look like v1.4")
	}
	if cfg.Auth.Type != crm.AuthBasic {
		return nil, configError("auth type %q is not supported (use %s)", cfg.Auth.Type, crm.AuthBasic)
	}
	if cfg.Auth.Username == "" || cfg.Credentials.Password == "" || strings.Contains(cfg.Auth.Username, ":") {
		return nil, configError("basic auth needs auth.username (a staff account, without a colon) and credentials.password")
	}
	appContext := cfg.Auth.ApplicationContext
	if appContext == "" {
		appContext = DefaultApplicationContext
	}
	if len(appContext) > maxApplicationContext || strings.ContainsFunc(appContext, func(r rune) bool { return r < 0x20 || r > 0x7e }) {
		return nil, configError("auth.applicationContext must be at most %d printable ASCII characters", maxApplicationContext)
	}
	c := &connector{cfg: cfg, origin: origin, appOrigin: appOrigin(cfg.AppURL, origin), appContext: appContext,
		pageSize: defaultPageSize, now: time.Now}
	c.apiRoot = c.origin + "/services/rest/connect/" + version + "/"
	c.api = crmhttp.Client{HTTP: crmhttp.ConnectorClient(hc), Timeout: cfg.Timeout, CRM: "Oracle B2C Service", Base: c.apiRoot,
		Auth:          crmhttp.StaticAuth("Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.Auth.Username+":"+cfg.Credentials.Password))),
		Header:        func(h http.Header) { h.Set("OSvC-CREST-Application-Context", c.appContext) },
		CheckResponse: c.checkResponse,
		// Numbers as written: Create reads a created record into a map.
		Decode: crmhttp.ExactDecoder("Oracle B2C Service")}
	return c, nil
}

// configCheck is what a saved configuration needs beyond New: the
// OSvC-CREST-Application-Context header's value, required in v1.4
// (crm-wire-facts.md; a request without it is a 400), named by the admin
// rather than defaulted, so the site's logs say which integration called.
func configCheck(cfg crm.Config) error {
	if strings.TrimSpace(cfg.Auth.ApplicationContext) == "" {
		return crm.Refusal("oracle: configure", "auth.applicationContext", "is required for Oracle (OSvC-CREST-Application-Context)")
	}
	return nil
}

func configError(format string, args ...any) error {
	return &crm.Error{Code: crm.InvalidArgument, Op: "oracle: configure", Message: fmt.Sprintf(format, args...)}
}

func (c *connector) Type() crm.Type { return crm.Oracle }

// Capabilities: write keys live in the subject of keyed incidents (and the
// name of tasks), so earlier writes are found; open incidents of a contact
// are listed by ROQL; any resource, custom objects included, can be created.
func (c *connector) Capabilities() crm.Capabilities {
	return crm.Capabilities{FindWriteByKey: true, RelatedOpen: true, CustomEntities: true}
}

// appOrigin is where the Agent Browser UI of the site is: the
// configuration's appUrl when it names one, else the site itself when the
// API host is a site interface ({site}.custhelp.com, which serves
// /AgentWeb/ too) or, in local mode, a loopback address; "" otherwise (a
// proxy in front of the site says nothing of where agents work).
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
	if (u.Scheme == "https" && hostAllowed(host)) || crmhttp.IsLoopback(host) {
		return apiOrigin
	}
	return ""
}

// RecordURL opens the record in the site's Agent Browser UI, "" when the
// UI's address or the reference is unknown. It makes no call. The UI lives
// at /AgentWeb/ on the site; the #/{resource}/{id} route after it is the
// driver's (no record deep link is published), so at worst the UI opens
// on its home page.
func (c *connector) RecordURL(ref crm.Ref) string {
	if c.appOrigin == "" || !validID(ref.ID) {
		return ""
	}
	entity, err := resolveEntity("oracle: record url", ref.Entity)
	if err != nil {
		return ""
	}
	return c.appOrigin + "/AgentWeb/#/" + url.PathEscape(entity) + "/" + url.PathEscape(ref.ID)
}
