package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
)

// keyProperty holds a write's key on every record the driver creates for a
// job: a custom string property with hasUniqueValue, which makes two
// records with one key impossible (HubSpot refuses the second) and lets
// FindWrite read the record by it (GET …/{key}?idProperty=crmflow_key), a
// read that needs no search index. SetUpWriteKeys makes it.
const keyProperty = "crmflow_key"

// keyPropertyDefinition is the property SetUpWriteKeys creates: a visible
// text field (not a form field), so an admin can see which job made a
// record. The fields are PropertyCreate's in spec:CRM/Properties/…/properties.json.
func keyPropertyDefinition(group string) map[string]any {
	return map[string]any{"name": keyProperty, "label": "crmflow write key", "type": "string", "fieldType": "text",
		"groupName": group, "hasUniqueValue": true, "formField": false,
		"description": "Set by crmflow: the post-call job that created this record. Unique, so a retried job never writes twice."}
}

// keyed says whether HubSpot lets o have a unique-value property. HubSpot
// documents unique properties for companies, deals, tickets and custom
// objects, and for contacts since September 2023 (developer changelog
// "Unique Properties support for newly created Contact properties"); the
// brief of this driver adds calls, which HubSpot does not list
// (unconfirmed: a configuration test reports HubSpot's refusal). Other
// objects (notes, tasks, meetings, emails, products…) cannot hold a
// consistent key, so create-mode memorialization into them is refused.
func keyed(o object) bool {
	switch o.typeID {
	case typeContact, typeCompany, typeDeal, typeTicket, typeCall:
		return true
	case "":
		return true // a custom object named by its name
	}
	return strings.HasPrefix(o.typeID, "2-")
}

// unkeyedReason explains a refusal of a create-mode write into an object
// without a unique key.
func unkeyedReason(o object) string {
	return fmt.Sprintf("%s cannot have a unique-value property, so crmflow cannot find a write there again and could "+
		"write it twice: memorialize into calls, contacts, companies, deals, tickets or a custom object, or use update mode", o.entity)
}

// SetUpWriteKeys makes crmflow_key, the unique-value key property, on
// calls (the timeline) and on each entity's object where it is missing:
// GET /crm/v3/properties/{objectType}/crmflow_key, and on a 404 POST
// /crm/v3/properties/{objectType} into the object's first property group
// (GET /crm/v3/properties/{objectType}/groups). It names what it made
// ("calls.crmflow_key"); a second run makes nothing. A property of that
// name without hasUniqueValue is an error: HubSpot cannot make an existing
// property unique ("Once set, this can't be changed"), so an admin must
// archive it first. Creating properties needs the crm.schemas.{object}.write
// scope of each object (crm.schemas.custom.write for custom objects).
func (c *connector) SetUpWriteKeys(ctx context.Context, entities []string) ([]string, error) {
	const op = "hubspot: set up write keys"
	objs := []object{calls}
	for i, e := range entities {
		o, err := resolveAt(op, fmt.Sprintf("entities[%d]", i), e)
		if err != nil {
			return nil, err
		}
		if !keyed(o) {
			return nil, crm.Refusal(op, fmt.Sprintf("entities[%d]", i), "%s", unkeyedReason(o))
		}
		dup := false
		for _, have := range objs {
			dup = dup || have.entity == o.entity
		}
		if !dup {
			objs = append(objs, o)
		}
	}
	var made []string
	for _, o := range objs {
		created, err := c.ensureKeyProperty(ctx, op+" "+o.entity, o)
		if err != nil {
			return made, err
		}
		if created {
			made = append(made, o.entity+"."+keyProperty)
		}
	}
	return made, nil
}

func (c *connector) ensureKeyProperty(ctx context.Context, op string, o object) (bool, error) {
	base := "/crm/v3/properties/" + url.PathEscape(o.entity)
	var def struct {
		HasUniqueValue bool `json:"hasUniqueValue"`
	}
	_, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: base + "/" + keyProperty}, &def)
	switch {
	case err == nil:
		if !def.HasUniqueValue {
			return false, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: fmt.Sprintf("the %s property %s exists "+
				"without unique values, which HubSpot cannot change: archive it and run the test again", o.entity, keyProperty)}
		}
		return false, nil
	case crm.CodeOf(err) != crm.NotFound:
		return false, err
	}
	group, err := c.propertyGroup(ctx, op, base, o)
	if err != nil {
		return false, err
	}
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodPost, Path: base, Body: keyPropertyDefinition(group)}, nil); err != nil {
		if e, ok := crm.AsError(err); ok && e.Code == crm.AlreadyExists {
			return false, nil // made meanwhile by a concurrent test
		}
		return false, err
	}
	return true, nil
}

// propertyGroup picks the group the key property goes into: the object's
// own information group ({singular}information, as contactinformation)
// when it has one, else its first group.
func (c *connector) propertyGroup(ctx context.Context, op, base string, o object) (string, error) {
	var answer struct {
		Results []struct {
			Name string `json:"name"`
		} `json:"results"`
	}
	if _, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: base + "/groups"}, &answer); err != nil {
		return "", err
	}
	if len(answer.Results) == 0 {
		return "", &crm.Error{Code: crm.InvalidArgument, Op: op, Message: o.entity + " has no property group to put " + keyProperty + " in"}
	}
	want := strings.ToLower(strings.TrimSuffix(objectLabel(o), "s")) + "information"
	for _, g := range answer.Results {
		if strings.EqualFold(strings.ReplaceAll(g.Name, "_", ""), strings.ReplaceAll(want, " ", "")) {
			return g.Name, nil
		}
	}
	return answer.Results[0].Name, nil
}

// recordByKey reads the record of o carrying key: GET
// /crm/v3/objects/{type}/{key}?idProperty=crmflow_key, a read by a unique
// value (consistent, unlike search); 404 is none.
func (c *connector) recordByKey(ctx context.Context, op string, o object, key string) (hsObject, bool, error) {
	q := url.Values{"idProperty": {keyProperty}, "properties": {keyProperty}}
	var h hsObject
	r, err := c.api.Do(ctx, crmhttp.Call{Op: op, Method: http.MethodGet, Path: objectPath(o, url.PathEscape(key)), Query: q.Encode()}, &h)
	if crm.CodeOf(err) == crm.NotFound {
		return hsObject{}, false, nil
	}
	if err != nil {
		return hsObject{}, false, err
	}
	if v, _ := h.Properties[keyProperty].(string); !recordIDShape.MatchString(h.ID) || v != key {
		return hsObject{}, false, &crm.Error{Code: crm.Internal, Op: op, Status: r.Status, Message: "the read by key answered another record"}
	}
	return h, true, nil
}

// insertKeyed creates a record carrying a write key. When HubSpot refuses
// it (AlreadyExists or InvalidArgument: the duplicate-value answer is not
// documented) and a record with the key exists, that record is the write:
// an earlier attempt made it and lost the answer.
func (c *connector) insertKeyed(ctx context.Context, op string, o object, key string, props map[string]string, assoc []association) (hsObject, error) {
	h, err := c.insert(ctx, op, o, props, assoc)
	if err == nil {
		return h, nil
	}
	if e, ok := crm.AsError(err); !ok || (e.Code != crm.AlreadyExists && e.Code != crm.InvalidArgument) {
		return hsObject{}, err
	}
	found, ok, ferr := c.recordByKey(ctx, op, o, key)
	if ferr != nil || !ok {
		return hsObject{}, err
	}
	return found, nil
}

var _ crm.WriteKeySetter = (*connector)(nil)
