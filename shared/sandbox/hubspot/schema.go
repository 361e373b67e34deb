package hubspot

import "strings"

// kind is a property's type, which decides how filters compare it: text is
// case-insensitive, enumerations are case-sensitive, numbers and date-times
// compare by value.
type kind int

const (
	kindText kind = iota
	kindNumber
	kindDateTime
	kindEnum
)

type propDef struct {
	kind    kind
	options []string // allowed values of an enumeration; nil allows any
}

// objectType is one CRM object the sandbox serves.
type objectType struct {
	id       string // object type id: 0-1, 2-9001
	name     string // plural name used in paths: contacts
	singular string // HubSpot also accepts the singular in paths: contact
	// fqn is a custom object's fully qualified name (p{portal}_{name}).
	fqn   string
	props map[string]propDef
	// required must be set on create.
	required []string
	// defaults are the properties answered when a request names none.
	defaults []string
	// searchable are the properties a free-text "query" looks in.
	searchable []string
	// created and modified name the date properties the sandbox maintains.
	created, modified string
	// label names the object in batch error messages (CONTACT, TICKET).
	label string
	// groups are the object's property groups ({label}information).
	groups []string
	// uniqueAllowed: the object may have unique-value properties (HubSpot
	// documents them for contacts, companies, deals, tickets and custom
	// objects; calls are taken too, unconfirmed; not notes or tasks).
	uniqueAllowed bool
	// custom, unique and labels are the properties made through the
	// properties API, those of them with hasUniqueValue, and their labels;
	// guarded by Server.mu.
	custom, unique []string
	labels         map[string]string
}

// Call outcomes (hs_call_disposition) every HubSpot account has.
var callOutcomes = []string{
	"9d9162e7-6cf3-4944-bf63-4dff82258764", // Busy
	"f240bbac-87c9-4f6e-bf70-924b57d47db7", // Connected
	"a4c4c377-d246-4b32-a13b-75a56a4cd0ff", // Left live message
	"b2cf5968-551e-4856-9783-52b3da59a7d0", // Left voicemail
	"73a0d17f-1163-4015-bdd5-ec830791da20", // No answer
	"17b47fee-58de-441e-a44c-c6300d46f273", // Wrong number
}

var callStatuses = []string{"BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED",
	"IN_PROGRESS", "MISSED", "NO_ANSWER", "QUEUED", "RINGING"}

func props(k kind, names ...string) map[string]propDef {
	m := make(map[string]propDef, len(names))
	for _, n := range names {
		m[n] = propDef{kind: k}
	}
	return m
}

func merge(ms ...map[string]propDef) map[string]propDef {
	out := map[string]propDef{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func enum(options ...string) propDef { return propDef{kind: kindEnum, options: options} }

// standardTypes are the objects of a HubSpot account as the sandbox knows
// them: their real property names, a subset of each object's properties.
func standardTypes(portalID string) []*objectType {
	types := baseTypes(portalID)
	for _, t := range types {
		t.groups = []string{strings.ToLower(t.label) + "information"}
		switch t.name {
		case "notes", "tasks":
		default:
			t.uniqueAllowed = true
		}
	}
	return types
}

func baseTypes(portalID string) []*objectType {
	owner := map[string]propDef{"hubspot_owner_id": {kind: kindEnum}, "hs_object_id": {kind: kindNumber}}
	crmDates := merge(props(kindDateTime, "createdate", "hs_lastmodifieddate"), owner)
	engagementDates := merge(props(kindDateTime, "hs_timestamp", "hs_createdate", "hs_lastmodifieddate"), owner)
	return []*objectType{
		{id: "0-1", name: "contacts", singular: "contact", label: "CONTACT",
			props: merge(props(kindText, "firstname", "lastname", "email", "phone", "mobilephone", "fax", "company",
				"jobtitle", "website", "address", "city", "state", "zip", "country", "hs_additional_emails"),
				props(kindDateTime, "createdate", "lastmodifieddate"), owner,
				map[string]propDef{"lifecyclestage": enum("subscriber", "lead", "marketingqualifiedlead",
					"salesqualifiedlead", "opportunity", "customer", "evangelist", "other"),
					"hs_lead_status": enum("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED",
						"ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING")}),
			defaults:   []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"},
			searchable: []string{"firstname", "lastname", "email", "phone", "hs_additional_emails", "fax", "mobilephone", "company"},
			created:    "createdate", modified: "lastmodifieddate"},
		{id: "0-2", name: "companies", singular: "company", label: "COMPANY",
			props: merge(props(kindText, "name", "domain", "phone", "website", "industry", "description", "address",
				"address2", "city", "state", "zip", "country", "type"),
				props(kindNumber, "numberofemployees", "annualrevenue"), crmDates,
				map[string]propDef{"lifecyclestage": enum("subscriber", "lead", "marketingqualifiedlead",
					"salesqualifiedlead", "opportunity", "customer", "evangelist", "other")}),
			defaults:   []string{"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"},
			searchable: []string{"website", "phone", "name", "domain"},
			created:    "createdate", modified: "hs_lastmodifieddate"},
		{id: "0-3", name: "deals", singular: "deal", label: "DEAL",
			props: merge(props(kindText, "dealname", "description"), props(kindNumber, "amount"),
				props(kindDateTime, "closedate"), crmDates,
				map[string]propDef{"pipeline": enum("default"), "dealstage": enum(dealStages...),
					"dealtype": enum("newbusiness", "existingbusiness"), "hs_priority": enum("low", "medium", "high")}),
			required:   []string{"dealname", "dealstage"},
			defaults:   []string{"amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"},
			searchable: []string{"dealname", "pipeline", "dealstage", "description", "dealtype"},
			created:    "createdate", modified: "hs_lastmodifieddate"},
		{id: "0-5", name: "tickets", singular: "ticket", label: "TICKET",
			props: merge(props(kindText, "subject", "content"), props(kindDateTime, "closed_date"), crmDates,
				map[string]propDef{"hs_pipeline": {kind: kindEnum}, "hs_pipeline_stage": {kind: kindEnum},
					"hs_ticket_priority": enum("LOW", "MEDIUM", "HIGH", "URGENT"),
					"hs_ticket_category": enum("PRODUCT_ISSUE", "BILLING_ISSUE", "FEATURE_REQUEST", "GENERAL_INQUIRY"),
					"source_type":        enum("CHAT", "EMAIL", "FORM", "PHONE")}),
			required: []string{"subject", "hs_pipeline_stage"},
			defaults: []string{"content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline",
				"hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"},
			searchable: []string{"subject", "content", "hs_pipeline_stage", "hs_ticket_category"},
			created:    "createdate", modified: "hs_lastmodifieddate"},
		{id: "0-48", name: "calls", singular: "call", label: "CALL",
			props: merge(props(kindText, "hs_call_title", "hs_call_body", "hs_call_from_number", "hs_call_to_number",
				"hs_call_recording_url", "hs_call_external_id", "hs_body_preview"),
				props(kindNumber, "hs_call_duration"), engagementDates,
				map[string]propDef{"hs_call_direction": enum("INBOUND", "OUTBOUND"), "hs_call_status": enum(callStatuses...),
					"hs_call_disposition": enum(callOutcomes...),
					"hs_call_source":      enum("CRM_UI", "INTEGRATIONS_PLATFORM", "API")}),
			required:   []string{"hs_timestamp"},
			defaults:   []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"},
			searchable: []string{"hs_call_title", "hs_body_preview"},
			created:    "hs_createdate", modified: "hs_lastmodifieddate"},
		{id: "0-46", name: "notes", singular: "note", label: "NOTE",
			props:      merge(props(kindText, "hs_note_body", "hs_body_preview"), engagementDates),
			required:   []string{"hs_timestamp"},
			defaults:   []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"},
			searchable: []string{"hs_note_body"},
			created:    "hs_createdate", modified: "hs_lastmodifieddate"},
		{id: "0-27", name: "tasks", singular: "task", label: "TASK",
			props: merge(props(kindText, "hs_task_subject", "hs_task_body"), engagementDates,
				map[string]propDef{"hs_task_status": enum("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"),
					"hs_task_priority": enum("NONE", "LOW", "MEDIUM", "HIGH"),
					"hs_task_type":     enum("CALL", "EMAIL", "TODO")}),
			required:   []string{"hs_timestamp"},
			defaults:   []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"},
			searchable: []string{"hs_task_body", "hs_task_subject"},
			created:    "hs_createdate", modified: "hs_lastmodifieddate"},
		{id: "2-9001", name: "p" + portalID + "_devices", fqn: "p" + portalID + "_devices", label: "DEVICE",
			props:      merge(props(kindText, "name", "serial_number", "model"), crmDates),
			required:   []string{"name"},
			defaults:   []string{"createdate", "hs_lastmodifieddate", "hs_object_id", "name"},
			searchable: []string{"name", "serial_number"},
			created:    "createdate", modified: "hs_lastmodifieddate"},
	}
}

// dealStages are the stages of the default deal pipeline.
var dealStages = []string{"appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin",
	"contractsent", "closedwon", "closedlost"}

// typeIndex finds object types by id, plural name, singular name or
// fully qualified name (p{portal}_{name}, or p_{name}), as HubSpot's
// paths accept them.
type typeIndex map[string]*objectType

func indexTypes(types []*objectType) typeIndex {
	idx := typeIndex{}
	for _, t := range types {
		keys := []string{t.id, t.name, t.singular, t.fqn}
		if _, name, ok := strings.Cut(t.fqn, "_"); ok {
			// p_{name}, the short form of a custom object's name.
			keys = append(keys, "p_"+name)
		}
		for _, k := range keys {
			if k != "" {
				idx[k] = t
			}
		}
	}
	return idx
}

func (idx typeIndex) lookup(segment string) (*objectType, bool) {
	t, ok := idx[segment]
	return t, ok
}
