// Package salesforce is the crm.Connector for Salesforce: OAuth 2.0 client
// credentials or JWT bearer sessions, SOSL for phone searches, SOQL for
// everything else, and Tasks (keyed by CallObject) for the timeline.
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
		StandardEntities:  standardEntities(),
		New:               New,
	}
}

// myDomainLabels is the part of a My Domain host before .my.salesforce.com:
// acme, acme--uat.sandbox, acme--dev.scratch.
var myDomainLabels = lazyre.New(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// hostAllowed accepts My Domain hosts only (production, sandbox and scratch
// orgs all end in .my.salesforce.com); instance hosts such as na1 are not
// where an org's API lives any more.
func hostAllowed(host string) bool {
	prefix, ok := strings.CutSuffix(strings.ToLower(host), ".my.salesforce.com")
	return ok && myDomainLabels.MatchString(prefix)
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
