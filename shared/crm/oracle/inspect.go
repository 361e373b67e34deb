package oracle

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// schemaJSON is the media type of the metadata catalog's resource
// descriptions (the "alternate" and "describedby" links name it).
const schemaJSON = "application/schema+json"

// maxDescribeDepth bounds how deep Describe walks nested properties.
const maxDescribeDepth = 4

// Ping reads the site's resource list, GET /services/rest/connect/{version}/
// (Oracle: "the base URL, which provides information on all the resource
// collections"; REAL in osvc_ruby's cassettes): one authenticated call
// that touches no record.
func (c *connector) Ping(ctx context.Context) error {
	const op = "oracle: ping"
	var list struct {
		Items []struct {
			Name string `json:"name"`
		} `json:"items"`
	}
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: ""}, &list)
	if err != nil {
		return err
	}
	if len(list.Items) == 0 {
		return &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Oracle B2C Service answered no resource list"}
	}
	return nil
}

// Sample reads one record of entity (the lowest id) through ROQL.
func (c *connector) Sample(ctx context.Context, entity string) (crm.Record, bool, error) {
	op := "oracle: sample " + entity
	entity, err := resolveEntity(op, entity)
	if err != nil {
		return crm.Record{}, false, err
	}
	cols := columns(entity, nil)
	found, err := c.selectRecords(ctx, op, entity, cols, "", "id", 1)
	if err != nil || len(found) == 0 {
		return crm.Record{}, false, err
	}
	return c.record(entity, cols, found[0], nil), true, nil
}

// schemaNode is the part of a JSON Schema Describe reads.
type schemaNode struct {
	Type        json.RawMessage        `json:"type"`
	Title       string                 `json:"title"`
	Label       string                 `json:"label"`
	Description string                 `json:"description"`
	Ref         string                 `json:"$ref"`
	Properties  map[string]*schemaNode `json:"properties"`
	Items       *schemaNode            `json:"items"`
	Definitions map[string]*schemaNode `json:"definitions"`
}

// Describe reads entity's fields from the metadata catalog,
// GET metadata-catalog/{resource} as application/schema+json. A
// collection's schema keeps the record under definitions.singularResource
// (its items); a record's schema has the properties itself. Compound
// fields (name, statusWithType) and list fields (emails, threads) give
// dotted paths, the way the driver takes fields.
func (c *connector) Describe(ctx context.Context, entity string) (crm.EntityMeta, error) {
	op := "oracle: describe " + entity
	entity, err := resolveEntity(op, entity)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: "metadata-catalog/" + resourcePath(entity, ""),
		Header: func(h http.Header) { h.Set("Accept", schemaJSON) }}, nil)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	meta, ok := describeSchema(entity, r.Body)
	if !ok {
		return crm.EntityMeta{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Oracle B2C Service answered no readable schema"}
	}
	return meta, nil
}

// describeSchema turns a metadata catalog schema into entity metadata.
func describeSchema(entity string, body []byte) (crm.EntityMeta, bool) {
	var root schemaNode
	if json.Unmarshal(body, &root) != nil {
		return crm.EntityMeta{}, false
	}
	rec := &root
	if sr := root.Definitions["singularResource"]; sr != nil && len(sr.Properties) > 0 {
		rec = sr
	}
	if len(rec.Properties) == 0 {
		return crm.EntityMeta{}, false
	}
	meta := crm.EntityMeta{Entity: entity, Label: firstOf(rec.Title, rec.Label, objectName(entity))}
	walkProperties(&meta, "", rec.Properties, 0)
	sort.Slice(meta.Fields, func(i, j int) bool { return meta.Fields[i].Name < meta.Fields[j].Name })
	return meta, true
}

func walkProperties(meta *crm.EntityMeta, prefix string, props map[string]*schemaNode, depth int) {
	for name, p := range props {
		if p == nil || name == "links" || !segmentRe.MatchString(name) {
			continue
		}
		path := prefix + name
		meta.Fields = append(meta.Fields, crm.FieldMeta{Name: path, Label: firstOf(p.Label, p.Title, p.Description), Type: schemaType(p)})
		if depth+1 >= maxDescribeDepth {
			continue
		}
		children := p.Properties
		if p.Items != nil && len(p.Items.Properties) > 0 {
			children = p.Items.Properties
		}
		walkProperties(meta, path+".", children, depth+1)
	}
}

// schemaType is a property's JSON Schema type without "null", or
// "reference" for a $ref to another resource or a named ID.
func schemaType(p *schemaNode) string {
	var one string
	if json.Unmarshal(p.Type, &one) == nil && one != "" {
		return one
	}
	var many []string
	if json.Unmarshal(p.Type, &many) == nil {
		for _, t := range many {
			if t != "null" {
				return t
			}
		}
	}
	if p.Ref != "" {
		return "reference"
	}
	return ""
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
