// Command search is the Lambda serving POST /v1/workflows/search.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/phone/libphone"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() {
	d := deps.MustLoad(routes.Search, routes.EnvTable, routes.EnvSecretPrefix)
	// The one function that parses callers' numbers links libphonenumber.
	d.Workflow().UsePhones(libphone.Parse)
	lambda.Start(httpapi.Lambda(handlers.Throttle(d.Throttle(), handlers.Search(d.Workflow()))))
}
