// Command enqueue is the Lambda serving POST /v1/workflows/timeline and
// POST /v1/workflows/datamemorialization: it queues post-call jobs.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() {
	d := deps.MustLoad(routes.Enqueue, routes.EnvTable, routes.EnvTimelineQueue, routes.EnvMemorializeQueue)
	lambda.Start(httpapi.Lambda(handlers.Throttle(d.Throttle(), handlers.Enqueue(d.Jobs()))))
}
