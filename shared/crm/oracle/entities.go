package oracle

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// Canonical resource names of the objects the driver treats specially.
const (
	resContacts      = "contacts"
	resIncidents     = "incidents"
	resOrganizations = "organizations"
	resTasks         = "tasks"
)

// standardObject is a Connect Common Object Model object and its REST
// resource: the object name (Contact) is what ROQL and the object model
// call it, the resource name (contacts) what the REST paths take. Oracle:
// "the names of resource collections are the same as the names of object
// types in the Common Object Model, except that they're plural and
// camelCase" (cxsvc c_osvc_vid_accessing_resources.html).
type standardObject struct {
	object   string
	resource string
}

// standardObjects are the record resources of the resource list a site
// answers at /services/rest/connect/{version}/ (REAL: osvc_ruby
// spec/fixtures/connect/get/should_produce_a_200_response_code.yml), with
// their object names. Lists that are not records (analyticsReports,
// configurations, namedIDs, queryResults…) are left out: nothing is
// created in or searched from them here.
var standardObjects = []standardObject{
	{"Account", "accounts"},
	{"Answer", "answers"},
	{"Asset", "assets"},
	{"Contact", resContacts},
	{"Incident", resIncidents},
	{"Opportunity", "opportunities"},
	{"Organization", resOrganizations},
	{"PurchasedProduct", "purchasedProducts"},
	{"SalesProduct", "salesProducts"},
	{"ServiceCategory", "serviceCategories"},
	{"ServiceDisposition", "serviceDispositions"},
	{"ServiceProduct", "serviceProducts"},
	{"Task", resTasks},
}

// spellings maps every accepted spelling, lower-cased, to the canonical
// resource name: the object name and the resource name, whatever their
// case (ROQL and the REST paths ignore it: osvc_ruby's recorded
// "select * from serviceproducts" answers tableName "serviceProducts").
var spellings = func() map[string]string {
	m := map[string]string{}
	for _, o := range standardObjects {
		m[strings.ToLower(o.object)] = o.resource
		m[strings.ToLower(o.resource)] = o.resource
	}
	return m
}()

// customObjectRe is a custom object, Package.Object (CO.CallNote,
// STPBX.Call_Track in a real site's resource list): its REST resource name
// is its object name.
var customObjectRe = lazyre.New(`^[A-Za-z][A-Za-z0-9_]{0,39}\.[A-Za-z][A-Za-z0-9_]{0,79}$`)

// acceptedNames says what canonicalEntity takes, for its refusals.
const acceptedNames = "contacts, incidents, organizations, tasks (or Contact, Incident, Organization, Task), " +
	"another standard resource such as opportunities, or a custom object as Package.Object (CO.CallNote)"

// canonicalEntity maps a spelling of an Oracle B2C Service object to the
// REST resource name the driver uses in paths, queries and records.
// Custom objects keep the spelling they are given: only the site's
// metadata catalog knows how it spells them.
func canonicalEntity(name string) (string, error) {
	if r, ok := spellings[strings.ToLower(name)]; ok {
		return r, nil
	}
	if customObjectRe.MatchString(name) {
		return name, nil
	}
	return "", crm.Refusal("oracle: entity", "entity", "%s is not an Oracle B2C Service object: use %s", crm.QuoteName(name), acceptedNames)
}

// resolveEntity is canonicalEntity behind the generic shape check
// (crm.Driver.Canonical), with op naming the action that was refused.
func resolveEntity(op, name string) (string, error) {
	return resolveEntityAt(op, "entity", name)
}

// resolveEntityAt is resolveEntity for an entity named at field (the
// entity of a link: "links[0].entity").
func resolveEntityAt(op, field, name string) (string, error) {
	name = strings.TrimSpace(name)
	if !crm.ValidEntityName(name) {
		return "", crm.Refusal(op, field, "%s is not an entity name: use %s", crm.QuoteName(name), acceptedNames)
	}
	canon, err := canonicalEntity(name)
	if err != nil {
		e, _ := crm.AsRefusal(err)
		e.Op, e.Field = op, field
		return "", e
	}
	return canon, nil
}

// isCustomObject reports whether a canonical name is a custom object.
func isCustomObject(entity string) bool { return strings.Contains(entity, ".") }

// objectName is the Common Object Model name of a canonical resource
// (Contact for contacts), for labels; custom objects are their own.
func objectName(entity string) string {
	for _, o := range standardObjects {
		if o.resource == entity {
			return o.object
		}
	}
	return entity
}
