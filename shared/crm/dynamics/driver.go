package dynamics

import (
	"strings"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/lazyre"
)

// DefaultAPIVersion is the Web API version used when a configuration names none.
const DefaultAPIVersion = "v9.2"

// Driver describes Dynamics 365 / Dataverse for the registry.
func Driver() crm.Driver {
	return crm.Driver{
		Type:              crm.Dynamics,
		Label:             "Microsoft Dynamics 365",
		DefaultAPIVersion: DefaultAPIVersion,
		HostAllowed:       hostAllowed,
		TokenHostAllowed:  tokenHostAllowed,
		AuthTypes:         []crm.AuthType{crm.AuthClientCredentials},
		AppHostAllowed:    hostAllowed,
		StandardEntities:  standardEntities(),
		CanonicalEntity:   canonicalEntity,
		Fields:            fieldSpecs,
		MappingCheck:      mappingCheck,
		Example: crm.Example{BaseURL: "https://acme.crm.dynamics.com",
			Auth: crm.Auth{Type: crm.AuthClientCredentials, ClientID: "00000000-0000-0000-0000-0000000000c1",
				TokenURL: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token", Scope: "https://acme.crm.dynamics.com/.default"},
			Credentials: crm.Credentials{ClientSecret: "example-secret"}},
		New: New,
	}
}

// orgHost is an environment URL host: {org}.crm.dynamics.com or a regional
// crm{N} (crm4 Europe, crm11 UK…). The org label is one DNS label.
var orgHost = lazyre.New(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.crm[0-9]{0,2}\.dynamics\.com$`)

// hostAllowed accepts environment hosts of the commercial cloud only. It is
// the appUrl rule too: model-driven apps live on an environment host.
func hostAllowed(host string) bool { return orgHost.MatchString(strings.ToLower(host)) }

// tokenHostAllowed accepts the Microsoft Entra ID endpoint of the commercial cloud.
func tokenHostAllowed(host string) bool { return strings.EqualFold(host, "login.microsoftonline.com") }

// standardEntities are the create workflows' tables with their standard
// columns (logical names). Lookups are set with "nav" keys, which
// any create accepts.
func standardEntities() []crm.EntityDef {
	address := []string{"address1_line1", "address1_city", "address1_stateorprovince", "address1_postalcode", "address1_country"}
	return []crm.EntityDef{
		{Entity: "account", Label: "Account", Fields: append([]string{"name", "accountnumber", "telephone1", "telephone2",
			"telephone3", "fax", "emailaddress1", "emailaddress2", "emailaddress3", "websiteurl", "industrycode",
			"numberofemployees", "revenue", "description", "primarycontactid", "parentaccountid"}, address...)},
		{Entity: "incident", Label: "Case", Fields: []string{"title", "description", "prioritycode", "caseorigincode",
			"casetypecode", "severitycode", "customerid_contact", "customerid_account",
			"primarycontactid"}},
		{Entity: "contact", Label: "Contact", Fields: append([]string{"firstname", "lastname", "middlename", "jobtitle",
			"department", "emailaddress1", "emailaddress2", "emailaddress3", "telephone1", "telephone2", "telephone3",
			"mobilephone", "fax", "birthdate", "description", "preferredcontactmethodcode",
			"parentcustomerid_account"}, address...)},
		{Entity: "lead", Label: "Lead", Fields: append([]string{"firstname", "lastname", "subject", "companyname", "jobtitle",
			"emailaddress1", "emailaddress2", "emailaddress3", "telephone1", "telephone2", "telephone3", "mobilephone",
			"websiteurl", "leadsourcecode", "industrycode", "description", "parentaccountid",
			"parentcontactid"}, address...)},
		{Entity: "opportunity", Label: "Opportunity", Fields: []string{"name", "estimatedvalue", "estimatedclosedate",
			"closeprobability", "stepname", "description", "parentaccountid", "parentcontactid",
			"customerid_account", "customerid_contact"}},
		{Entity: "phonecall", Label: "Phone Call", Fields: []string{"subject", "description", "phonenumber", "directioncode",
			"actualdurationminutes", "actualstart", "actualend", "scheduledstart", "scheduledend", "category", "subcategory",
			"prioritycode", "regardingobjectid_contact_phonecall", "regardingobjectid_account_phonecall",
			"regardingobjectid_incident_phonecall"}},
	}
}
