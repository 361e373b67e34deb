package hubspot

import (
	"context"
	"github.com/crmflow/crmflow/shared/lazyre"
	"net/http"
	"strconv"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// portal is what record URLs need from the account details.
type portal struct {
	id       int64
	uiDomain string
}

// defaultUIDomain is HubSpot's app host for North American accounts.
const defaultUIDomain = "app.hubspot.com"

// uiDomainShape accepts HubSpot's app hosts: app.hubspot.com and the data
// center ones (app-eu1.hubspot.com…), so a record URL never points elsewhere.
var uiDomainShape = lazyre.New(`^app(-[a-z0-9]{1,10})?\.hubspot\.com$`)

// portal returns the account id and app host, read once per connector from
// GET /account-info/v3/details (HubSpot's documented account details; the
// configuration has no field for them). Concurrent first callers share one
// request.
func (c *connector) portal(ctx context.Context) (*portal, error) {
	if p := c.portalInfo.Load(); p != nil {
		return p, nil
	}
	v, err := c.account.Get(ctx, c.fetchPortal)
	if err != nil {
		if _, ok := crm.AsError(err); ok {
			return nil, err
		}
		return nil, crmhttp.TransportError("hubspot: read account details", err)
	}
	idText, ui, _ := strings.Cut(v, " ")
	id, _ := strconv.ParseInt(idText, 10, 64)
	p := &portal{id: id, uiDomain: ui}
	c.portalInfo.Store(p)
	return p, nil
}

// fetchPortal reads the account details and keeps them as "id uiDomain",
// the form the single-flight cache holds.
func (c *connector) fetchPortal(ctx context.Context) (crmhttp.Token, error) {
	const op = "hubspot: read account details"
	r, err := c.do(ctx, call{op: op, method: http.MethodGet, path: "/account-info/v3/details"})
	if err != nil {
		return crmhttp.Token{}, err
	}
	var details struct {
		PortalID int64  `json:"portalId"`
		UIDomain string `json:"uiDomain"`
	}
	if err := decode(op, r, &details); err != nil {
		return crmhttp.Token{}, err
	}
	if details.PortalID <= 0 {
		return crmhttp.Token{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "account details without a portalId"}
	}
	ui := strings.ToLower(details.UIDomain)
	if !uiDomainShape.MatchString(ui) {
		ui = defaultUIDomain
	}
	return crmhttp.Token{Value: strconv.FormatInt(details.PortalID, 10) + " " + ui}, nil
}
