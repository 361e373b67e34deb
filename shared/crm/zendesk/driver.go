package zendesk

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// DefaultAPIVersion is the Support API version: /api/v2.
const DefaultAPIVersion = "v2"

// Driver describes Zendesk Support for the registry.
func Driver() crm.Driver {
	return crm.Driver{
		Type:              crm.Zendesk,
		Label:             "Zendesk",
		DefaultAPIVersion: DefaultAPIVersion,
		HostAllowed:       hostAllowed,
		// The OAuth token endpoint is /oauth/tokens on the account's own host.
		TokenHostAllowed: nil,
		AuthTypes:        []crm.AuthType{crm.AuthAPIToken, crm.AuthBearerToken, crm.AuthClientCredentials},
		// The agent workspace is /agent on the account's own host, so an
		// appUrl names an account too (the one agents open when the API
		// is reached through another address).
		AppHostAllowed:   hostAllowed,
		StandardEntities: standardEntities(),
		CanonicalEntity:  canonicalEntity,
		MappingCheck:     mappingCheck,
		Example: crm.Example{BaseURL: "https://acme.zendesk.com",
			Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: "example-client", TokenURL: "https://acme.zendesk.com/oauth/tokens"},
			Credentials: crm.Credentials{ClientSecret: "example-secret"}},
		New: New,
	}
}

// subdomain is the one DNS label of an account in front of .zendesk.com.
var subdomain = lazyre.New(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// hostAllowed accepts {subdomain}.zendesk.com, in any letter case.
func hostAllowed(host string) bool {
	name, ok := strings.CutSuffix(strings.ToLower(host), ".zendesk.com")
	return ok && subdomain.MatchString(name)
}

// standardEntities are the create workflows' resources with their standard
// writable attributes; nested ones are dotted (comment.body, user_fields.x).
func standardEntities() []crm.EntityDef {
	return []crm.EntityDef{
		{Entity: "ticket", Label: "Ticket", Fields: []string{"subject", "comment.body", "comment.public", "requester_id",
			"submitter_id", "assignee_id", "group_id", "organization_id", "status", "priority", "type", "tags",
			"external_id", "due_at", "custom_fields"}},
		{Entity: "user", Label: "User", Fields: []string{"name", "email", "phone", "role", "organization_id", "external_id",
			"tags", "notes", "details", "time_zone", "locale", "user_fields"}},
		{Entity: "organization", Label: "Organization", Fields: []string{"name", "external_id", "details", "notes",
			"domain_names", "tags", "group_id", "organization_fields"}},
	}
}
