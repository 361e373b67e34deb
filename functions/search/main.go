// Command search is the Lambda serving POST /v1/workflows/search.
package main

import (
	"github.com/crmflow/crmflow/shared/deps"
	"github.com/crmflow/crmflow/shared/phone/libphone"
	"github.com/crmflow/crmflow/shared/routes"
)

// The one function that parses callers' numbers links libphonenumber.
func main() { deps.Start(routes.Search, deps.WithPhones(libphone.Parse)) }
