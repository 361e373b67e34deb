// Command memorialize consumes the memorialization queue: it writes each contact's mapped fields into the CRM, exactly once per job.
package main

import (
	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/routes"
)

func main() { deps.Start(routes.Memorialize) }
