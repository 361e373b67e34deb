package dynamics

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

var _ crm.Inspector = (*connector)(nil)

// Ping calls the WhoAmI function (GET WhoAmI, "Use the Web API WhoAmI
// function"): authenticated, touching no table, answering the application
// user's id.
func (c *connector) Ping(ctx context.Context) error {
	_, err := c.whoAmI(ctx)
	return err
}

// Sample reads one row of entity: the key, its name columns and modifiedon.
func (c *connector) Sample(ctx context.Context, entity string) (crm.Record, bool, error) {
	op := "dynamics: sample " + entity
	logical, err := resolveEntity(op, entity)
	if err != nil {
		return crm.Record{}, false, err
	}
	show := defaultDisplay[logical]
	if show == nil {
		show = nameColumns(logical)
	}
	if isCustom(logical) {
		// A prefixed table's name column is only a convention ({prefix}_name).
		show = nil
	}
	recs, err := c.query(ctx, op, logical, queryOptions{selects: selectList(logical, show)}, 1, show)
	if err != nil || len(recs) == 0 {
		return crm.Record{}, false, err
	}
	return recs[0], true, nil
}

// label is Dataverse's Label complex type; UserLocalizedLabel is the label
// in the calling user's language.
type label struct {
	UserLocalizedLabel *struct {
		Label string `json:"Label"`
	} `json:"UserLocalizedLabel"`
	LocalizedLabels []struct {
		Label string `json:"Label"`
	} `json:"LocalizedLabels"`
}

func (l *label) text() string {
	if l == nil {
		return ""
	}
	if l.UserLocalizedLabel != nil && strings.TrimSpace(l.UserLocalizedLabel.Label) != "" {
		return l.UserLocalizedLabel.Label
	}
	for _, ll := range l.LocalizedLabels {
		if strings.TrimSpace(ll.Label) != "" {
			return ll.Label
		}
	}
	return ""
}

// entityDefinition is the part of EntityMetadata Describe reads.
type entityDefinition struct {
	LogicalName   string `json:"LogicalName"`
	EntitySetName string `json:"EntitySetName"`
	DisplayName   *label `json:"DisplayName"`
	Attributes    []struct {
		LogicalName   string `json:"LogicalName"`
		AttributeType string `json:"AttributeType"`
		DisplayName   *label `json:"DisplayName"`
	} `json:"Attributes"`
}

// describeQuery selects what Describe needs of EntityMetadata and of each
// AttributeMetadata ("Query table definitions using the Web API":
// $expand=Attributes($select=…), no paging on metadata).
const describeQuery = "$select=LogicalName,SchemaName,EntitySetName,DisplayName,PrimaryIdAttribute,PrimaryNameAttribute" +
	"&$expand=Attributes($select=LogicalName,DisplayName,AttributeType)"

// Describe reads entity's columns from EntityDefinitions(LogicalName='…').
// Lookups are listed under their logical name (parentcustomerid) and, as
// the driver reads and filters them, as _x_value. An EntitySetName other
// than the one the driver derives is an error: the table could not be
// addressed, and a configuration test should say so before any call fails.
func (c *connector) Describe(ctx context.Context, entity string) (crm.EntityMeta, error) {
	op := "dynamics: describe " + entity
	logical, err := resolveEntity(op, entity)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	// The logical name passed resolveEntity: lowercase letters, digits and
	// underscores, nothing to escape inside the quotes.
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: "EntityDefinitions(LogicalName='" + logical + "')",
		Query: describeQuery}, nil)
	if err != nil {
		return crm.EntityMeta{}, err
	}
	meta, set, ok := describeDefinition(r.Body)
	if !ok {
		return crm.EntityMeta{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "Dataverse answered no readable table definition"}
	}
	if meta.Entity != logical {
		return crm.EntityMeta{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status,
			Message: "Dataverse answered the definition of " + crm.QuoteName(meta.Entity) + " for " + crm.QuoteName(logical)}
	}
	if set != "" && set != entitySet(logical) {
		return crm.EntityMeta{}, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status,
			Message: "table " + logical + " has the entity set name " + crm.QuoteName(set) + ", crmflow addresses it as " + crm.QuoteName(entitySet(logical))}
	}
	return meta, nil
}

// describeDefinition reads an EntityMetadata answer: the entity itself, or
// (as the reference's example shows it) inside a one-item value array.
func describeDefinition(body []byte) (crm.EntityMeta, string, bool) {
	var def entityDefinition
	if json.Unmarshal(body, &def) != nil {
		return crm.EntityMeta{}, "", false
	}
	if def.LogicalName == "" {
		var list struct {
			Value []entityDefinition `json:"value"`
		}
		if json.Unmarshal(body, &list) != nil || len(list.Value) != 1 {
			return crm.EntityMeta{}, "", false
		}
		def = list.Value[0]
	}
	if def.LogicalName == "" {
		return crm.EntityMeta{}, "", false
	}
	meta := crm.EntityMeta{Entity: def.LogicalName, Label: def.DisplayName.text()}
	if meta.Label == "" {
		meta.Label = tableLabel(def.LogicalName)
	}
	for _, a := range def.Attributes {
		if a.LogicalName == "" {
			continue
		}
		f := crm.FieldMeta{Name: a.LogicalName, Label: a.DisplayName.text(), Type: a.AttributeType}
		meta.Fields = append(meta.Fields, f)
		if a.AttributeType == "Lookup" || a.AttributeType == "Customer" || a.AttributeType == "Owner" {
			f.Name = "_" + a.LogicalName + "_value"
			meta.Fields = append(meta.Fields, f)
		}
	}
	sort.Slice(meta.Fields, func(i, j int) bool { return meta.Fields[i].Name < meta.Fields[j].Name })
	return meta, def.EntitySetName, true
}
