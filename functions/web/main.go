// Command web is the Lambda serving the agent's customer card page (GET
// /agent, /agent/{file}) and the OpenAPI document (GET /v1/openapi.yaml):
// files built into the binary, no key, no AWS access.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crmflow/crmflow/shared/web"
)

func main() {
	lambda.Start(web.Handler)
}
