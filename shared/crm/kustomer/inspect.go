package kustomer

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

var _ crm.Inspector = (*connector)(nil)

// maxKlassPages bounds how many pages of Klasses Describe reads to find one.
const maxKlassPages = 10

// Ping reads the API key's user, GET /v1/users/current ("Get current
// user"): one authenticated call that touches no record.
func (c *connector) Ping(ctx context.Context) error {
	const op = "kustomer: ping"
	var s single
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: "/v1/users/current"}, &s)
	if err != nil {
		return err
	}
	if s.Data.ID == "" {
		return &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Kustomer answered no current user"}
	}
	return nil
}

// Sample reads one record of entity: the first of GET {collection}
// ?page=1&pageSize=1 (Get customers, Get conversations, Get KObjects…).
func (c *connector) Sample(ctx context.Context, entity string) (crm.Record, bool, error) {
	op := "kustomer: sample"
	o, err := resolve(op, entity)
	if err != nil {
		return crm.Record{}, false, err
	}
	op += " " + o.entity
	var page list
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: o.collection(),
		Query: url.Values{"page": {"1"}, "pageSize": {"1"}}.Encode()}, &page); err != nil {
		return crm.Record{}, false, err
	}
	for _, res := range page.Data {
		if idShape.MatchString(res.ID) {
			return c.toRecord(o, res, fieldsOrDefault(o, nil)), true, nil
		}
	}
	return crm.Record{}, false, nil
}

// Describe lists entity's fields: the standard attributes Kustomer's
// reference documents for the object (attributes.go; Kustomer's API has no
// metadata for them), the driver's email and phone shorthands for
// customers and companies, and the custom attributes the org defines, from
// GET /v1/metadata/{resource} ("Get custom attribute metadata": company,
// conversation, customer, message and kobject.*), as custom.{name} with
// their displayName. A KObject's Klass is first found in GET /v1/klasses
// (its displayName is the label); a Klass the org does not define is
// NotFound. Notes have no custom attribute metadata.
func (c *connector) Describe(ctx context.Context, entity string) (crm.EntityMeta, error) {
	op := "kustomer: describe"
	o, err := resolve(op, entity)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	op += " " + o.entity
	meta := crm.EntityMeta{Entity: o.entity, Label: label(o.entity)}
	if o.isKObject() {
		if meta.Label, err = c.klassLabel(ctx, op, o.klass); err != nil {
			return crm.EntityMeta{}, err
		}
	}
	readOnly := readOnlyAttributes[o.entity]
	if o.isKObject() {
		readOnly = readOnlyAttributes[kobjectPrefix]
	}
	for _, a := range append(append([]attr{}, attributesOf(o)...), readOnly...) {
		meta.Fields = append(meta.Fields, crm.FieldMeta{Name: a.name, Label: label(a.name), Type: a.typ})
	}
	if o.entity == entCustomer || o.entity == entCompany {
		meta.Fields = append(meta.Fields, crm.FieldMeta{Name: "email", Label: "Email (first of emails)", Type: "string"},
			crm.FieldMeta{Name: "phone", Label: "Phone (first of phones)", Type: "string"})
	}
	if o.entity != entNote {
		custom, err := c.customAttributes(ctx, op, o.entity)
		if err != nil {
			return crm.EntityMeta{}, err
		}
		meta.Fields = append(meta.Fields, custom...)
	}
	sort.Slice(meta.Fields, func(i, j int) bool { return meta.Fields[i].Name < meta.Fields[j].Name })
	return meta, nil
}

// klassLabel finds a Klass by name in GET /v1/klasses (paged) and returns
// its displayName.
func (c *connector) klassLabel(ctx context.Context, op, klass string) (string, error) {
	call := crmhttp.Call{Op: op, Method: http.MethodGet, Path: "/v1/klasses"}
	q := url.Values{"page": {"1"}, "pageSize": {"100"}}
	var (
		found bool
		dn    string
	)
	if _, err := c.eachPage(ctx, call, q, maxKlassPages, func(page list) bool {
		for _, k := range page.Data {
			if name, _ := k.Attributes["name"].(string); name == klass {
				found = true
				dn, _ = k.Attributes["displayName"].(string)
				return true
			}
		}
		return false
	}); err != nil {
		return "", err
	}
	if found {
		if strings.TrimSpace(dn) != "" {
			return dn, nil
		}
		return klass, nil
	}
	return "", &crm.Error{Code: crm.NotFound, Op: op, Message: "the org defines no Klass " + quoteName(klass)}
}

// customAttributes reads GET /v1/metadata/{resource}: data.attributes
// .properties maps each custom attribute to its type and displayName. An
// object with no custom attributes may have no metadata (404): none then.
func (c *connector) customAttributes(ctx context.Context, op, resource string) ([]crm.FieldMeta, error) {
	var answer struct {
		Data struct {
			Attributes struct {
				Properties map[string]struct {
					Type        string `json:"type"`
					DisplayName string `json:"displayName"`
				} `json:"properties"`
			} `json:"attributes"`
		} `json:"data"`
	}
	_, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: "/v1/metadata/" + url.PathEscape(resource)}, &answer)
	if crm.CodeOf(err) == crm.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []crm.FieldMeta
	for name, p := range answer.Data.Attributes.Properties {
		if !validPath(name) || strings.Contains(name, ".") {
			continue
		}
		out = append(out, crm.FieldMeta{Name: "custom." + name, Label: firstNonEmpty(p.DisplayName, name), Type: p.Type})
	}
	return out, nil
}

// label spells an attribute or object name for people: externalId →
// External id, customer → Customer. Kustomer's reference gives standard
// attributes no display names.
func label(name string) string {
	var b strings.Builder
	for i, r := range name {
		switch {
		case i == 0:
			b.WriteRune(unicode.ToUpper(r))
		case unicode.IsUpper(r):
			b.WriteRune(' ')
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
