package salesforce

import (
	"context"
	"testing"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmtest"
	"github.com/crmflow/crmflow/shared/phone"
	sfsandbox "github.com/crmflow/crmflow/shared/sandbox/salesforce"
)

// BenchmarkSearchByPhone measures the hot path of a live call: one SOSL
// search with a warm session, against the sandbox on loopback.
func BenchmarkSearchByPhone(b *testing.B) {
	c, _ := startSandbox(b, nil, sfsandbox.Options{})
	variants, err := phone.Variants(crmtest.JaneANI)
	if err != nil {
		b.Fatal(err)
	}
	s := crm.PhoneSearch{Variants: variants, Limit: 10}
	if _, err := c.SearchByPhone(context.Background(), s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		recs, err := c.SearchByPhone(context.Background(), s)
		if err != nil || len(recs) != 1 {
			b.Fatalf("%v %d", err, len(recs))
		}
	}
}
