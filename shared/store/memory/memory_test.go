package memory_test

import (
	"testing"
	"time"

	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/store/memory"
	"github.com/crmflow/crmflow/shared/store/storetest"
)

// TestConformance runs the same suite as the DynamoDB adapter.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return memory.New() },
		storetest.Options{SetNow: func(s store.Store, now func() time.Time) { s.(*memory.Store).Now = now }})
}
