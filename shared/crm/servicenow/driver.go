package servicenow

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// DefaultAPIVersion is the Table API version used when a configuration names
// none: /api/now/v2/table.
const DefaultAPIVersion = "v2"

// Driver describes ServiceNow for the registry.
func Driver() crm.Driver {
	return crm.Driver{
		Type:              crm.ServiceNow,
		Label:             "ServiceNow",
		DefaultAPIVersion: DefaultAPIVersion,
		HostAllowed:       hostAllowed,
		// The token endpoint is /oauth_token.do on the instance itself.
		TokenHostAllowed: nil,
		AuthTypes:        []crm.AuthType{crm.AuthBasic, crm.AuthClientCredentials},
		// The agent UI is on the instance host: record URLs follow from
		// baseUrl, so there is no AppHostAllowed.
		StandardEntities: standardEntities(),
		CanonicalEntity:  canonicalEntity,
		Fields:           fieldSpecs,
		MappingCheck:     mappingCheck,
		Example: crm.Example{BaseURL: "https://acme.service-now.com",
			Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: "example-client", TokenURL: "https://acme.service-now.com/oauth_token.do"},
			Credentials: crm.Credentials{ClientSecret: "example-secret"}},
		New: New,
	}
}

// instanceName is the one DNS label in front of .service-now.com (acme,
// acme-dev, acmeuat).
var instanceName = lazyre.New(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// hostAllowed accepts {instance}.service-now.com, in any letter case.
func hostAllowed(host string) bool {
	name, ok := strings.CutSuffix(strings.ToLower(host), ".service-now.com")
	return ok && instanceName.MatchString(name)
}

// standardEntities are the create workflows' tables with their standard
// writable columns (ServiceNow column names).
func standardEntities() []crm.EntityDef {
	return []crm.EntityDef{
		{Entity: "incident", Label: "Incident", Fields: []string{"short_description", "description", "caller_id", "category",
			"subcategory", "contact_type", "urgency", "impact", "state", "assignment_group", "assigned_to", "cmdb_ci",
			"business_service", "company", "location", "work_notes", "comments"}},
		{Entity: "interaction", Label: "Interaction", Fields: []string{"type", "short_description", "opened_for", "contact",
			"account", "assigned_to", "assignment_group", "state", "parent", "work_notes"}},
		{Entity: "customer_contact", Label: "Contact", Fields: []string{"first_name", "last_name", "email", "phone",
			"mobile_phone", "title", "account", "company", "user_name", "city", "state", "zip", "country", "time_zone"}},
		{Entity: "sys_user", Label: "User", Fields: []string{"user_name", "first_name", "last_name", "email", "phone",
			"mobile_phone", "home_phone", "title", "department", "company", "manager", "location", "city", "state", "zip",
			"country", "time_zone", "active"}},
	}
}
