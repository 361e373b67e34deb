// Command timeline consumes the timeline queue: it adds each contact to the CRM's timeline, exactly once per job.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/store"
)

func main() {
	d := deps.MustLoad(routes.Timeline, routes.EnvTable, routes.EnvSecretPrefix)
	lambda.Start(handlers.Consumer(d.Jobs(), store.ActionTimeline))
}
