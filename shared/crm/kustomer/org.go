package kustomer

import (
	"context"
	"github.com/crmflow/crmflow/shared/lazyre"
	"net/http"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// orgNameShape is an org name fit for the app's host name, so that a record
// URL never points anywhere else.
var orgNameShape = lazyre.New(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// orgName returns the organization's name, the subdomain of the agent app
// (https://{org}.kustomerapp.com). A per-org API host names it; otherwise
// it is read once per connector from GET /v1/orgs/current, concurrent first
// callers sharing one request.
func (c *connector) orgName(ctx context.Context) (string, error) {
	if p := c.org.Load(); p != nil {
		return *p, nil
	}
	if c.hostOrg != "" {
		name := c.hostOrg
		c.org.Store(&name)
		return name, nil
	}
	v, err := c.orgFetch.Get(ctx, c.fetchOrg)
	if err != nil {
		if _, ok := crm.AsError(err); ok {
			return "", err
		}
		return "", crmhttp.TransportError("kustomer: read org", err)
	}
	c.org.Store(&v)
	return v, nil
}

func (c *connector) fetchOrg(ctx context.Context) (crmhttp.Token, error) {
	const op = "kustomer: read org"
	r, err := c.do(ctx, call{op: op, method: http.MethodGet, path: "/v1/orgs/current"})
	if err != nil {
		return crmhttp.Token{}, err
	}
	var answer struct {
		Data struct {
			Attributes struct {
				Name string `json:"name"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if err := decode(op, r, &answer); err != nil {
		return crmhttp.Token{}, err
	}
	if !orgNameShape.MatchString(answer.Data.Attributes.Name) {
		return crmhttp.Token{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "org answered without a usable name"}
	}
	return crmhttp.Token{Value: answer.Data.Attributes.Name}, nil
}
