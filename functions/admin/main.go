// Command admin is the Lambda serving tenants, keys, configurations, workflows
// and mappings (every /v1/tenants and /v1/configurations route).
package main

import (
	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() { deps.Start(routes.Admin) }
