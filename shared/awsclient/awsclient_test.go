package awsclient

import (
	"context"
	"strings"
	"testing"
)

func TestLoadEndpointLoopbackOnly(t *testing.T) {
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	for _, ep := range []string{"http://127.0.0.1:5000", "http://localhost:5000", "http://[::1]:5000"} {
		cfg, err := LoadEndpoint(context.Background(), ep)
		if err != nil {
			t.Fatalf("%s: %v", ep, err)
		}
		if cfg.Region != "us-east-1" || cfg.BaseEndpoint == nil || *cfg.BaseEndpoint != ep {
			t.Fatalf("%s: region %q endpoint %v", ep, cfg.Region, cfg.BaseEndpoint)
		}
	}
	for _, ep := range []string{"https://dynamodb.us-east-1.amazonaws.com", "http://10.0.0.1:5000", "not a url"} {
		if _, err := LoadEndpoint(context.Background(), ep); err == nil || !strings.Contains(err.Error(), "CRMFLOW_AWS_ENDPOINT") {
			t.Fatalf("%s: err = %v", ep, err)
		}
	}
}
