package salesforce

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// DefaultAPIVersion is the REST API version used when a configuration names none.
const DefaultAPIVersion = "v62.0"

// Driver describes Salesforce for the registry.
func Driver() crm.Driver {
	return crm.Driver{
		Type:              crm.Salesforce,
		Label:             "Salesforce",
		DefaultAPIVersion: DefaultAPIVersion,
		HostAllowed:       hostAllowed,
		TokenHostAllowed:  tokenHostAllowed,
		AuthTypes:         []crm.AuthType{crm.AuthClientCredentials, crm.AuthJWTBearer},
		AppHostAllowed:    appHostAllowed,
		StandardEntities:  standardEntities(),
		CanonicalEntity:   canonicalEntity,
		Fields:            fieldSpecs,
		MappingCheck:      mappingCheck,
		Example: crm.Example{BaseURL: "https://acme.my.salesforce.com",
			Auth:        crm.Auth{Type: crm.AuthClientCredentials, ClientID: "example-client", TokenURL: "https://acme.my.salesforce.com/services/oauth2/token"},
			Credentials: crm.Credentials{ClientSecret: "example-secret"}},
		New: New,
	}
}

// myDomainLabels is the part of a My Domain host before .my.salesforce.com:
// acme, acme--uat.sandbox, acme--dev.scratch.
var myDomainLabels = lazyre.New(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// My Domain host suffixes: the API and login host, and the Lightning
// Experience host of the same org (help.salesforce.com "My Domain URL
// Formats"; enhanced domains: MyDomainName.my.salesforce.com and
// MyDomainName.lightning.force.com, sandboxes
// MyDomainName--SandboxName.sandbox.my.salesforce.com and
// ….sandbox.lightning.force.com).
const (
	mySalesforceSuffix = ".my.salesforce.com"
	lightningSuffix    = ".lightning.force.com"
)

// hostAllowed accepts My Domain hosts only (production, sandbox and scratch
// orgs all end in .my.salesforce.com); instance hosts such as na1 are not
// where an org's API lives any more.
func hostAllowed(host string) bool {
	prefix, ok := strings.CutSuffix(strings.ToLower(host), mySalesforceSuffix)
	return ok && myDomainLabels.MatchString(prefix)
}

// appHostAllowed accepts an appUrl on the org's Lightning Experience host
// ({name}.lightning.force.com, where /lightning/r/… record pages live) or on
// its My Domain host, which serves the same /lightning/ paths by sending
// the browser on to the Lightning host.
func appHostAllowed(host string) bool {
	prefix, ok := strings.CutSuffix(strings.ToLower(host), lightningSuffix)
	return (ok && myDomainLabels.MatchString(prefix)) || hostAllowed(host)
}

// tokenHostAllowed adds the login hosts the JWT bearer flow may post to.
func tokenHostAllowed(host string) bool {
	switch strings.ToLower(host) {
	case "login.salesforce.com", "test.salesforce.com":
		return true
	}
	return false
}

// standardEntities are the create workflows' entities with their standard
// createable fields (Salesforce API names).
func standardEntities() []crm.EntityDef {
	return []crm.EntityDef{
		{Entity: "Account", Label: "Account", Fields: []string{"Name", "AccountNumber", "Type", "Industry", "Phone", "Fax",
			"Website", "Description", "NumberOfEmployees", "AnnualRevenue", "Rating", "BillingStreet", "BillingCity",
			"BillingState", "BillingPostalCode", "BillingCountry", "ParentId"}},
		{Entity: "Case", Label: "Case", Fields: []string{"Subject", "Description", "Status", "Priority", "Origin", "Type",
			"Reason", "ContactId", "AccountId", "SuppliedName", "SuppliedEmail", "SuppliedPhone", "IsEscalated", "ParentId"}},
		{Entity: "Contact", Label: "Contact", Fields: []string{"FirstName", "LastName", "Salutation", "Title", "Department",
			"AccountId", "Email", "Phone", "MobilePhone", "HomePhone", "OtherPhone", "MailingStreet", "MailingCity",
			"MailingState", "MailingPostalCode", "MailingCountry", "Birthdate", "LeadSource", "Description"}},
		{Entity: "Lead", Label: "Lead", Fields: []string{"FirstName", "LastName", "Company", "Title", "Email", "Phone",
			"MobilePhone", "Status", "LeadSource", "Industry", "Rating", "Street", "City", "State", "PostalCode", "Country",
			"Website", "Description", "NumberOfEmployees"}},
		{Entity: "Opportunity", Label: "Opportunity", Fields: []string{"Name", "StageName", "CloseDate", "Amount",
			"Probability", "AccountId", "Type", "LeadSource", "NextStep", "Description"}},
		{Entity: "WorkOrder", Label: "Work Order", Fields: []string{"Subject", "Description", "Status", "Priority",
			"AccountId", "ContactId", "CaseId", "StartDate", "EndDate", "Street", "City", "State", "PostalCode", "Country"}},
	}
}
