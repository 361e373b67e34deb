package kustomer

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// DefaultAPIVersion is the REST API generation the driver speaks (/v1).
const DefaultAPIVersion = "v1"

// Driver describes Kustomer for the registry.
func Driver() crm.Driver {
	return crm.Driver{
		Type:              crm.Kustomer,
		Label:             "Kustomer",
		DefaultAPIVersion: DefaultAPIVersion,
		HostAllowed:       hostAllowed,
		// API keys are static bearer tokens made in Kustomer's settings; there
		// is no token endpoint, so no token URL to check.
		AuthTypes:        []crm.AuthType{crm.AuthBearerToken},
		StandardEntities: standardEntities(),
		CanonicalEntity:  canonicalEntity,
		MappingCheck:     mappingCheck,
		AppHostAllowed:   appHostAllowed,
		Example: crm.Example{BaseURL: "https://acme.api.kustomerapp.com",
			Auth: crm.Auth{Type: crm.AuthBearerToken}, Credentials: crm.Credentials{Token: "example-api-key"}},
		New: New,
	}
}

// apiHost matches Kustomer's API hosts: api.kustomerapp.com (US, prod1),
// the regional pods api.prod2.kustomerapp.com (EU), api.prod4… (India),
// and the per-organization forms {org}.api.kustomerapp.com and
// {org}.api.prodN.kustomerapp.com.
var apiHost = lazyre.New(`^(?:([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.)?api\.(?:(prod[0-9]{1,2})\.)?kustomerapp\.com$`)

func hostAllowed(host string) bool { return apiHost.MatchString(strings.ToLower(host)) }

// standardEntities are the create workflows' objects with their standard
// attributes. email and phone are the driver's shorthand for a customer's
// first entry of emails and phones.
func standardEntities() []crm.EntityDef {
	return []crm.EntityDef{
		{Entity: entCustomer, Label: "Customer", Fields: []string{"name", "email", "phone", "emails", "phones", "externalId",
			"username", "company", "locale", "timeZone", "gender", "birthdayAt", "tags", "avatarUrl", "defaultLang"}},
		{Entity: entConversation, Label: "Conversation", Fields: []string{"customer", "name", "status", "priority", "direction",
			"tags", "assignedUsers", "assignedTeams", "externalId", "defaultLang"}},
	}
}
