// Command card is the Lambda serving the customer card, its pins,
// GET /v1/jobs/{jobId} and the job list GET /v1/jobs.
package main

import (
	"maps"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() {
	d := deps.MustLoad(routes.Card, routes.EnvTable, routes.EnvSecretPrefix)
	jobs := d.Jobs()
	rs := handlers.Card(d.Workflow(), jobs.SettleCard)
	maps.Copy(rs, handlers.Jobs(jobs))
	lambda.Start(httpapi.Lambda(rs))
}
