package hubspot

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// portal is what record URLs need: the account (hub) id and the app's
// origin (scheme://host).
type portal struct {
	id  int64
	app string
}

// defaultUIDomain is HubSpot's app host for North American accounts.
const defaultUIDomain = "app.hubspot.com"

// uiDomainShape accepts HubSpot's app hosts: app.hubspot.com and the data
// center ones (app-eu1.hubspot.com, app-na2.hubspot.com…), as the account
// details' uiDomain names them, so a record URL never points elsewhere.
var uiDomainShape = lazyre.New(`^app(-[a-z0-9]{1,10})?\.hubspot\.com$`)

// appHostAllowed is the driver's AppHostAllowed: an appUrl must be one of
// HubSpot's app hosts.
func appHostAllowed(host string) bool { return uiDomainShape.MatchString(strings.ToLower(host)) }

// unknownPortal is what the cache holds after HubSpot refused the account
// details: records go without URLs until it expires, and then one more
// try is made.
const (
	unknownPortal      = "-"
	unknownPortalRetry = 2 * time.Minute
)

// appOrigin is where record URLs point, when it follows from the
// configuration alone: the appUrl, or in local mode (an http loopback
// baseUrl) the baseUrl itself. "" means the account's uiDomain decides.
func appOrigin(cfg crm.Config, apiOrigin string) string {
	if cfg.AppURL != "" {
		o, _ := crmhttp.Origin(cfg.AppURL)
		return o
	}
	if u, err := url.Parse(apiOrigin); err == nil && u.Scheme == "http" && crmhttp.IsLoopback(u.Hostname()) {
		return apiOrigin
	}
	return ""
}

// portal returns the account id and app origin for record URLs, read once
// per connector from GET /account-info/v3/details (the only documented
// source of the hub id). It never fails an action: without the details
// it answers nil and records carry no URL. Concurrent first callers share
// one request.
func (c *connector) portal(ctx context.Context) *portal {
	if p := c.portalInfo.Load(); p != nil {
		return p
	}
	v, err := c.account.Get(ctx, c.fetchPortal)
	if err != nil || v == unknownPortal {
		return nil
	}
	idText, ui, _ := strings.Cut(v, " ")
	id, _ := strconv.ParseInt(idText, 10, 64)
	app := c.appOrigin
	if app == "" {
		app = "https://" + ui
	}
	p := &portal{id: id, app: app}
	c.portalInfo.Store(p)
	return p
}

// fetchPortal reads the account details and keeps them as "id uiDomain",
// the form the single-flight cache holds; a refusal by HubSpot is kept as
// unknownPortal for a while, so that a token without access to the
// details costs one call every few minutes, not one per action.
func (c *connector) fetchPortal(ctx context.Context) (crmhttp.Token, error) {
	id, ui, err := c.accountDetails(ctx, "hubspot: read account details")
	if err != nil {
		if e, ok := crm.AsError(err); ok && e.Status != 0 {
			return crmhttp.Token{Value: unknownPortal, Expires: time.Now().Add(unknownPortalRetry)}, nil
		}
		return crmhttp.Token{}, err
	}
	return crmhttp.Token{Value: strconv.FormatInt(id, 10) + " " + ui}, nil
}

// accountDetails is GET /account-info/v3/details: the portal id and the
// app host (uiDomain, app.hubspot.com when it names no HubSpot app host).
func (c *connector) accountDetails(ctx context.Context, op string) (int64, string, error) {
	var details struct {
		PortalID int64  `json:"portalId"`
		UIDomain string `json:"uiDomain"`
	}
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: "/account-info/v3/details"}, &details)
	if err != nil {
		return 0, "", err
	}
	if details.PortalID <= 0 {
		return 0, "", &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "account details without a portalId"}
	}
	ui := strings.ToLower(details.UIDomain)
	if !uiDomainShape.MatchString(ui) {
		ui = defaultUIDomain
	}
	return details.PortalID, ui, nil
}

// recordURL is {app}/contacts/{portalId}/record/{objectTypeId}/{id}; ""
// without the portal or an object type id (a custom object named by its
// name).
func (p *portal) recordURL(o object, id string) string {
	if p == nil || o.typeID == "" || !recordIDShape.MatchString(id) {
		return ""
	}
	return p.app + "/contacts/" + strconv.FormatInt(p.id, 10) + "/record/" + o.typeID + "/" + id
}
