// Command card is the Lambda serving the customer card, its pins,
// GET /v1/jobs/{jobId} and the job list GET /v1/jobs.
package main

import (
	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() { deps.Start(routes.Card) }
