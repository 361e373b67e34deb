package oracle

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// DefaultAPIVersion is the Connect REST version used when a configuration
// names none: /services/rest/connect/v1.4.
const DefaultAPIVersion = "v1.4"

// Driver describes Oracle B2C Service for the registry.
func Driver() crm.Driver {
	return crm.Driver{
		Type:              crm.Oracle,
		Label:             "Oracle B2C Service",
		DefaultAPIVersion: DefaultAPIVersion,
		HostAllowed:       hostAllowed,
		// Basic auth: there is no token endpoint.
		TokenHostAllowed: nil,
		AuthTypes:        []crm.AuthType{crm.AuthBasic},
		// The Agent Browser UI is served by the site's interfaces
		// ({site}.custhelp.com/AgentWeb/), so an appUrl may name another
		// interface of the site than the one the API is called on.
		AppHostAllowed:   hostAllowed,
		StandardEntities: standardEntities(),
		CanonicalEntity:  canonicalEntity,
		MappingCheck:     mappingCheck,
		ConfigCheck:      configCheck,
		Example: crm.Example{BaseURL: "https://acme.custhelp.com",
			Auth:        crm.Auth{Type: crm.AuthBasic, Username: "example.integration", ApplicationContext: "crmflow"},
			Credentials: crm.Credentials{Password: "example-password"}},
		New: New,
	}
}

// siteLabel is one DNS label of a site or interface name (acme, acme--tst).
var siteLabel = lazyre.New(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// siteDomains are the domains Oracle serves B2C Service sites and their
// interfaces on: {site}.custhelp.com, the regional {site}.{pod}.custhelp.com
// and the rightnowdemo.com demo sites.
var siteDomains = []string{".custhelp.com", ".rightnowdemo.com"}

// hostAllowed accepts {site}.custhelp.com and {site}.{region}.custhelp.com
// (one or two labels in front), in any letter case.
func hostAllowed(host string) bool {
	h := strings.ToLower(host)
	for _, d := range siteDomains {
		name, ok := strings.CutSuffix(h, d)
		if !ok {
			continue
		}
		labels := strings.Split(name, ".")
		if len(labels) > 2 {
			return false
		}
		for _, l := range labels {
			if !siteLabel.MatchString(l) {
				return false
			}
		}
		return true
	}
	return false
}

// standardEntities are the create workflows' resources with their standard
// writable fields (REST names; dotted paths into compound fields, named IDs
// and references set by .id).
func standardEntities() []crm.EntityDef {
	return []crm.EntityDef{
		{Entity: resContacts, Label: "Contact", Fields: []string{"name.first", "name.last", "title", "login",
			"emails", "phones", "address.street", "address.city", "address.postalCode", "address.country.id",
			"address.stateOrProvince.id", "organization.id", "contactType.id"}},
		{Entity: resIncidents, Label: "Incident", Fields: []string{"subject", "primaryContact.id", "organization.id",
			"statusWithType.status.id", "severity.id", "channel.id", "queue.id", "category.id", "product.id",
			"disposition.id", "assignedTo.account.id", "assignedTo.staffGroup.id", "threads"}},
		{Entity: resOrganizations, Label: "Organization", Fields: []string{"name", "industry.id", "parent.id", "addresses"}},
		{Entity: resTasks, Label: "Task", Fields: []string{"name", "taskType.id", "priority.id", "statusWithType.status.id",
			"dueTime", "assignedToAccount.id", "contact.id", "incident.id", "organization.id", "notes"}},
	}
}
