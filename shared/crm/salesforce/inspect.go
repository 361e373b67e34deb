package salesforce

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

var _ crm.Inspector = (*connector)(nil)

// Ping reads the Resources by Version list, GET /services/data/{version}/
// (REST API Developer Guide, resources_discoveryresource.htm): it needs a
// valid session but no permission beyond API access, touches no record and
// is small. (The Versions list, /services/data/, needs no session, so it
// proves nothing; Limits needs "View Setup and Configuration".)
func (c *connector) Ping(ctx context.Context) error {
	const op = "salesforce: ping"
	var resources map[string]any
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: c.dataPath("")}, &resources); err != nil {
		return err
	}
	if _, ok := resources["sobjects"]; !ok {
		return &crm.Error{Code: crm.Internal, Op: op, Message: "Salesforce answered no resource list"}
	}
	return nil
}

// Sample reads one record of entity with SOQL (any record, LIMIT 1).
func (c *connector) Sample(ctx context.Context, entity string) (crm.Record, bool, error) {
	op := "salesforce: sample"
	entity, err := resolveEntity(op, entity)
	if err != nil {
		return crm.Record{}, false, err
	}
	if msg := searchProblem(entity); msg != "" {
		return crm.Record{}, false, crm.Refusal(op, "entity", "%s", msg)
	}
	sel := append([]string{"Id"}, nameFields(entity)...)
	if s := objectSuffix(entity); s == "" || s == suffixCustom {
		sel = append(sel, "LastModifiedDate")
	}
	recs, err := c.query(ctx, op+" "+entity, "SELECT "+strings.Join(dedupeFold(sel), ",")+" FROM "+entity+" LIMIT 1", 1, nameFields(entity))
	if err != nil || len(recs) == 0 {
		return crm.Record{}, false, err
	}
	return recs[0], true, nil
}

// describeResult is the part of an sObject Describe answer Describe reads
// (REST API Developer Guide, dome_sobject_describe.htm; the fields are
// SOAP API's DescribeSObjectResult and Field).
type describeResult struct {
	Name   string `json:"name"`
	Label  string `json:"label"`
	Fields []struct {
		Name  string `json:"name"`
		Label string `json:"label"`
		Type  string `json:"type"`
	} `json:"fields"`
}

// Describe reads entity's fields from GET sobjects/{sObject}/describe.
func (c *connector) Describe(ctx context.Context, entity string) (crm.EntityMeta, error) {
	op := "salesforce: describe"
	entity, err := resolveEntity(op, entity)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	var d describeResult
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op + " " + entity, Method: http.MethodGet,
		Path: c.dataPath("sobjects/" + url.PathEscape(entity) + "/describe")}, &d); err != nil {
		return crm.EntityMeta{}, err
	}
	return describeMeta(entity, d)
}

func describeMeta(entity string, d describeResult) (crm.EntityMeta, error) {
	if len(d.Fields) == 0 {
		return crm.EntityMeta{}, &crm.Error{Code: crm.Internal, Op: "salesforce: describe " + entity, Message: "Salesforce answered a describe without fields"}
	}
	meta := crm.EntityMeta{Entity: entity, Label: d.Label, Fields: make([]crm.FieldMeta, 0, len(d.Fields))}
	for _, f := range d.Fields {
		if f.Name != "" {
			meta.Fields = append(meta.Fields, crm.FieldMeta{Name: f.Name, Label: f.Label, Type: f.Type})
		}
	}
	sort.Slice(meta.Fields, func(i, j int) bool { return meta.Fields[i].Name < meta.Fields[j].Name })
	return meta, nil
}
