// Package drivers is the registry of every CRM driver this build carries.
// Adding a CRM is one driver package, one sandbox, and one line here.
package drivers

import (
	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/dynamics"
	"github.com/crmflow/crmflow/shared/crm/hubspot"
	"github.com/crmflow/crmflow/shared/crm/kustomer"
	"github.com/crmflow/crmflow/shared/crm/oracle"
	"github.com/crmflow/crmflow/shared/crm/salesforce"
	"github.com/crmflow/crmflow/shared/crm/servicenow"
	"github.com/crmflow/crmflow/shared/crm/zendesk"
)

// Registry returns a registry holding every driver.
func Registry() *crm.Registry {
	return crm.NewRegistry(
		salesforce.Driver(),
		dynamics.Driver(),
		servicenow.Driver(),
		zendesk.Driver(),
		hubspot.Driver(),
		kustomer.Driver(),
		oracle.Driver(),
	)
}
