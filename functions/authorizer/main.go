// Command authorizer is the HTTP API Lambda authorizer: it hashes the bearer
// key and tells the functions which tenant and role it belongs to.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() {
	d := deps.MustLoad(routes.Authorizer, routes.EnvTable)
	lambda.Start(handlers.Authorizer(d.Store))
}
