package oracle

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
	cfg        crm.Config
	hc         *http.Client
	origin     string // scheme://host of the site
	apiRoot    string // origin + /services/rest/connect/{version}/
	basic      string // the Authorization header
	appContext string
	pageSize   int
	now        func() time.Time
}

var _ crm.Connector = (*connector)(nil)

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
	c := &connector{cfg: cfg, origin: origin, appContext: appContext,
		pageSize: defaultPageSize, now: time.Now}
	c.apiRoot = c.origin + "/services/rest/connect/" + version + "/"
	c.basic = "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.Auth.Username+":"+cfg.Credentials.Password))
	c.hc = crmhttp.ConnectorClient(hc)
	return c, nil
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

// RecordURL opens the record in the Agent Browser UI of the site.
func (c *connector) RecordURL(ref crm.Ref) string {
	return c.origin + "/AgentWeb/#/" + url.PathEscape(ref.Entity) + "/" + url.PathEscape(ref.ID)
}
