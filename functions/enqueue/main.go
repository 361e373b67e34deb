// Command enqueue is the Lambda serving POST /v1/workflows/timeline and
// POST /v1/workflows/datamemorialization: it queues post-call jobs.
package main

import (
	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() { deps.Start(routes.Enqueue) }
