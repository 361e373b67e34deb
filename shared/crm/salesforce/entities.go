package salesforce

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// standardObjects are standard objects spelled as Salesforce spells them
// (Object Reference, developer.salesforce.com/docs/atlas.en-us.object_reference.meta).
// Object names are case-insensitive in the REST API and SOQL, so any case of
// these maps to this spelling. Other standard objects (the reference lists
// hundreds) pass as given: only the org knows them all.
var standardObjects = []string{
	"Account", "Asset", "Campaign", "CampaignMember", "Case", "CaseComment", "Contact", "ContentVersion",
	"Contract", "EmailMessage", "Entitlement", "Event", "Individual", "Lead", "LiveChatTranscript", "Note",
	"Opportunity", "OpportunityLineItem", "Order", "Product2", "Quote", "ServiceAppointment", "Task", "User",
	"VoiceCall", "WorkOrder",
}

var standardByFold = func() map[string]string {
	m := make(map[string]string, len(standardObjects))
	for _, s := range standardObjects {
		m[strings.ToLower(s)] = s
	}
	return m
}()

// pluralMistakes are plural spellings of standard objects: Salesforce has
// no plural resource names (/sobjects/Contact, FROM Contact), so these are
// refused with the right name rather than sent to a 404.
var pluralMistakes = func() map[string]string {
	m := map[string]string{}
	for _, s := range standardObjects {
		l := strings.ToLower(s)
		switch {
		case strings.HasSuffix(l, "y"):
			m[l[:len(l)-1]+"ies"] = s
		case strings.HasSuffix(l, "s"), strings.HasSuffix(l, "h"):
			m[l+"es"] = s
		default:
			m[l+"s"] = s
		}
	}
	return m
}()

// Suffixes of custom and derived objects, spelled as Salesforce spells them
// (Object Reference, "Custom Objects" and "Associated Objects"; Platform
// Events, Custom Metadata Types, Big Objects and External Objects guides).
const (
	suffixCustom      = "__c"
	suffixMetadata    = "__mdt"
	suffixEvent       = "__e"
	suffixExternal    = "__x"
	suffixBig         = "__b"
	suffixShare       = "__Share"
	suffixHistory     = "__History"
	suffixFeed        = "__Feed"
	suffixChangeEvent = "__ChangeEvent"
)

var suffixes = []string{suffixCustom, suffixMetadata, suffixEvent, suffixExternal, suffixBig, suffixShare,
	suffixHistory, suffixFeed, suffixChangeEvent}

// nameSegment is a Salesforce API name segment: a letter, then letters,
// digits and single underscores, not ending in one (the rule for custom
// object and namespace names; standard objects follow it too).
const nameSegment = `[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*`

var (
	plainObjectRe  = lazyre.New(`^` + nameSegment + `$`)
	customObjectRe = lazyre.New(`^(` + nameSegment + `__)?` + nameSegment + `__[A-Za-z]+$`)
)

// acceptedNames says what canonicalEntity takes, for its refusals.
const acceptedNames = "a Salesforce object API name such as Contact, Case, Task (any case), " +
	"or a custom object such as Invoice__c or ns__Invoice__c"

// canonicalEntity maps a spelling of a Salesforce object to the API name the
// driver uses in paths, SOQL, SOSL, records and cards: known standard
// objects as Salesforce spells them (contact, CONTACT → Contact); custom
// objects as given with their suffix spelled as Salesforce does
// (invoice__C → invoice__c: the org's own case is only in its describe);
// other standard-shaped names as given.
func canonicalEntity(name string) (string, error) {
	fold := strings.ToLower(name)
	if s, ok := standardByFold[fold]; ok {
		return s, nil
	}
	if s, ok := pluralMistakes[fold]; ok {
		return "", crm.Refusal("salesforce: entity", "entity", "%s is not a Salesforce object: object names are singular (%s)", crm.QuoteName(name), s)
	}
	if len(name) > 120 || soqlReserved[strings.ToUpper(name)] {
		return "", refuseEntity(name)
	}
	if plainObjectRe.MatchString(name) {
		return name, nil
	}
	if customObjectRe.MatchString(name) {
		i := strings.LastIndex(name, "__")
		for _, s := range suffixes {
			if strings.EqualFold(name[i:], s) {
				return name[:i] + s, nil
			}
		}
	}
	return "", refuseEntity(name)
}

func refuseEntity(name string) error {
	return crm.Refusal("salesforce: entity", "entity", "%s is not a Salesforce object name: use %s", crm.QuoteName(name), acceptedNames)
}

// resolveEntity is canonicalEntity behind the generic shape check
// (crm.Driver.Canonical), with op naming the refused action.
func resolveEntity(op, name string) (string, error) { return resolveEntityAt(op, "entity", name) }

// resolveEntityAt is resolveEntity for an entity named at field
// ("links[0].entity", "entities[1].entity").
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

// objectSuffix is the suffix of a canonical custom or derived object name
// (suffixCustom…), "" for a standard object.
func objectSuffix(entity string) string {
	if i := strings.LastIndex(entity, "__"); i > 0 {
		return entity[i:]
	}
	return ""
}

// writeProblem says why records of entity can never be written in mode
// through the REST sObject resources, "" when they may be: custom metadata
// records are deployed with the Metadata API, history and change events are
// written by Salesforce itself, and a platform event is published (created)
// but never updated.
func writeProblem(entity string, mode crm.WriteMode) string {
	switch objectSuffix(entity) {
	case suffixMetadata:
		return entity + " is a custom metadata type: its records are deployed with the Metadata API, not written through the REST API"
	case suffixHistory, suffixChangeEvent, suffixFeed:
		return entity + " is written by Salesforce itself and is read-only"
	case suffixEvent:
		if mode == crm.ModeUpdate {
			return entity + " is a platform event: events are published (created), never updated"
		}
	}
	return ""
}

// searchProblem says why entity can never be searched, "" when it may be.
func searchProblem(entity string) string {
	switch objectSuffix(entity) {
	case suffixEvent, suffixChangeEvent:
		return entity + " is an event: events cannot be queried or searched"
	}
	return ""
}

// spelled is a known standard object's own spelling of name, else name; for
// names that come from Salesforce (attributes.type) or were resolved already.
func spelled(name string) string {
	if s, ok := standardByFold[strings.ToLower(name)]; ok {
		return s
	}
	return name
}
