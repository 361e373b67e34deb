// Command timeline consumes the timeline queue: it adds each contact to the CRM's timeline, exactly once per job.
package main

import (
	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() { deps.Start(routes.Timeline) }
