// Command authorizer is the HTTP API Lambda authorizer: it hashes the bearer
// key and tells the functions which tenant and role it belongs to.
package main

import (
	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() { deps.Start(routes.Authorizer) }
