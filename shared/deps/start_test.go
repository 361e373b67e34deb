package deps

import (
	"context"
	"testing"

	"github.com/crmflow/crmflow/shared/routes"
)

// TestEveryFunctionHasAHandler: Handler builds each function of the route
// table but web (which Start serves without loading anything), and refuses
// a name the table does not have. Building makes no AWS call.
func TestEveryFunctionHasAHandler(t *testing.T) {
	t.Setenv(routes.EnvAWSEndpoint, "http://127.0.0.1:1") // never dialled: clients connect lazily
	t.Setenv("AWS_REGION", "us-east-1")
	d, err := New(context.Background(), Config{Table: "t", SecretPrefix: "crmflow/test", TimelineQueueURL: "http://127.0.0.1:1/q1", MemorializeQueueURL: "http://127.0.0.1:1/q2"})
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range routes.AllFunctions {
		if fn == routes.Web {
			continue
		}
		if h, err := d.Handler(fn); err != nil || h == nil {
			t.Errorf("%s: %v", fn, err)
		}
	}
	if _, err := d.Handler("nosuch"); err == nil {
		t.Error("a function the table does not have got a handler")
	}
}
