package hubspot

import (
	"context"
	"net/http"
	"net/url"
	"sort"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

var _ crm.Inspector = (*connector)(nil)

// Ping reads the account details, GET /account-info/v3/details: one
// authenticated call that touches no record and needs no CRM object scope.
func (c *connector) Ping(ctx context.Context) error {
	_, _, err := c.accountDetails(ctx, "hubspot: ping")
	return err
}

// Sample reads one record of entity: the first page of one from the list
// endpoint, GET /crm/v3/objects/{objectType}?limit=1.
func (c *connector) Sample(ctx context.Context, entity string) (crm.Record, bool, error) {
	const op = "hubspot: sample"
	o, err := resolve(op, entity)
	if err != nil {
		return crm.Record{}, false, err
	}
	var page struct {
		Results []hsObject `json:"results"`
	}
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op + " " + o.entity, Method: http.MethodGet, Path: objectPath(o, ""),
		Query: url.Values{"limit": {"1"}, "archived": {"false"}}.Encode()}, &page); err != nil {
		return crm.Record{}, false, err
	}
	if len(page.Results) == 0 {
		return crm.Record{}, false, nil
	}
	h := page.Results[0]
	return c.portal(ctx).toRecord(o, h, sortedKeys(h.Properties)), true, nil
}

// hsProperty is a property definition as GET /crm/v3/properties answers it.
type hsProperty struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Type  string `json:"type"`
}

// Describe reads entity's properties, GET /crm/v3/properties/{objectType}:
// each property's internal name (what the driver takes in fields, filters
// and mappings) with its label and type (string, number, datetime,
// enumeration, bool, phone_number…).
func (c *connector) Describe(ctx context.Context, entity string) (crm.EntityMeta, error) {
	const op = "hubspot: describe"
	o, err := resolve(op, entity)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	var answer struct {
		Results []hsProperty `json:"results"`
	}
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op + " " + o.entity, Method: http.MethodGet, Path: "/crm/v3/properties/" + url.PathEscape(o.entity),
		Query: url.Values{"archived": {"false"}}.Encode()}, &answer)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	if len(answer.Results) == 0 {
		return crm.EntityMeta{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "HubSpot answered no properties"}
	}
	meta := crm.EntityMeta{Entity: o.entity, Label: objectLabel(o)}
	for _, p := range answer.Results {
		if validProperty(p.Name) {
			meta.Fields = append(meta.Fields, crm.FieldMeta{Name: p.Name, Label: p.Label, Type: p.Type})
		}
	}
	sort.Slice(meta.Fields, func(i, j int) bool { return meta.Fields[i].Name < meta.Fields[j].Name })
	return meta, nil
}
