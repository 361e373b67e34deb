package salesforce

import (
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

// BenchmarkSearchByPhone measures the hot path of a live call: one SOSL
// search with a warm session, against the sandbox on loopback.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, sfsandbox.Options{})
	crmtest.BenchSearchByPhone(b, c, crm.PhoneSearch{Variants: crmtest.JaneVariants(b), Limit: 10}, 1)
}
