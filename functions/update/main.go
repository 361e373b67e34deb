// Command update is the Lambda serving POST /v1/workflows/update.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() {
	d := deps.MustLoad(routes.Update, routes.EnvTable, routes.EnvSecretPrefix)
	lambda.Start(httpapi.Lambda(handlers.Throttle(d.Throttle(), handlers.Update(d.Workflow()))))
}
