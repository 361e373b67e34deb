// Command admin is the Lambda serving tenants, keys, configurations, workflows
// and mappings (every /v1/tenants and /v1/configurations route).
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() {
	d := deps.MustLoad(routes.Admin, routes.EnvTable, routes.EnvSecretPrefix)
	lambda.Start(httpapi.Lambda(handlers.Admin(d.Admin())))
}
