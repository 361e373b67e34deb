package hubspot

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
)

// DefaultAPIVersion names the API generation the driver speaks: CRM v3
// objects (with v4 associations).
const DefaultAPIVersion = "v3"

// productionHost is HubSpot's API host for accounts in every data center.
const productionHost = "api.hubapi.com"

// Driver describes HubSpot for the registry.
func Driver() crm.Driver {
	return crm.Driver{
		Type:              crm.HubSpot,
		Label:             "HubSpot",
		DefaultAPIVersion: DefaultAPIVersion,
		HostAllowed:       hostAllowed,
		// Only static bearer tokens: HubSpot issues no client-credentials
		// tokens for the CRM APIs, so there is no token URL to check.
		AuthTypes: []crm.AuthType{crm.AuthBearerToken},
		// Records open in HubSpot's app (app.hubspot.com, app-eu1…), not on
		// the API host.
		AppHostAllowed:   appHostAllowed,
		StandardEntities: standardEntities(),
		CanonicalEntity:  canonicalEntity,
		Fields:           fieldSpecs,
		MappingCheck:     mappingCheck,
		Example: crm.Example{BaseURL: "https://api.hubapi.com",
			Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: "pat-na1-example"}},
		New: New,
	}
}

// hostAllowed accepts exactly api.hubapi.com (any letter case).
func hostAllowed(host string) bool { return strings.EqualFold(host, productionHost) }

// standardEntities are the create workflows' objects with their standard
// property names (HubSpot's default properties).
func standardEntities() []crm.EntityDef {
	address := []string{"address", "city", "state", "zip", "country"}
	return []crm.EntityDef{
		{Entity: "contacts", Label: "Contact", Fields: append([]string{"firstname", "lastname", "email", "phone", "mobilephone",
			"fax", "company", "jobtitle", "website", "lifecyclestage", "hs_lead_status", "hubspot_owner_id"}, address...)},
		{Entity: "companies", Label: "Company", Fields: append([]string{"name", "domain", "phone", "website", "industry",
			"description", "type", "numberofemployees", "annualrevenue", "lifecyclestage", "hubspot_owner_id", "address2"}, address...)},
		{Entity: "tickets", Label: "Ticket", Fields: []string{"subject", "content", "hs_pipeline", "hs_pipeline_stage",
			"hs_ticket_priority", "hs_ticket_category", "source_type", "hubspot_owner_id"}},
		{Entity: "deals", Label: "Deal", Fields: []string{"dealname", "amount", "pipeline", "dealstage", "closedate",
			"dealtype", "description", "hs_priority", "hubspot_owner_id"}},
	}
}
