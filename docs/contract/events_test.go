package contract_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/docs/contract"
)

// TestEventSamplesFitTheDocument: every API Gateway HTTP event under events/
// is a request the document accepts (path, query, key and body) on the
// operation its routeKey names. The authorizer's and the SQS consumers'
// samples are no HTTP requests; the authorizer's must still name a
// documented route.
func TestEventSamplesFitTheDocument(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "events", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no events/*.json: %v", err)
	}
	validated := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var kind struct {
			Type    string `json:"type"`
			Records []any  `json:"Records"`
		}
		if err := json.Unmarshal(raw, &kind); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := filepath.Base(f)
		switch {
		case kind.Records != nil:
			continue // an SQS event
		case kind.Type == "REQUEST":
			var ev events.APIGatewayV2CustomAuthorizerV2Request
			if err := json.Unmarshal(raw, &ev); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !documented(t, ev.RouteKey) {
				t.Errorf("%s: authorizer sample for %s, which is not documented", name, ev.RouteKey)
			}
			continue
		}
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Run(name, func(t *testing.T) {
			req, _, err := contract.EventRequest(ev)
			if err != nil {
				t.Fatal(err)
			}
			route, err := contract.FindRoute(req)
			if err != nil {
				t.Fatalf("%s: %v", ev.RouteKey, err)
			}
			if route.Key() != ev.RouteKey {
				t.Errorf("routeKey %q, the document routes it to %q", ev.RouteKey, route.Key())
			}
			for k, v := range ev.PathParameters {
				if route.Params[k] != v {
					t.Errorf("pathParameters.%s = %q, the path gives %q", k, v, route.Params[k])
				}
			}
			if err := contract.ValidateEvent(ev); err != nil {
				t.Errorf("the document refuses this sample: %v", err)
			}
		})
		validated++
	}
	t.Logf("%d API Gateway event samples validated", validated)
	if validated < 10 {
		t.Errorf("only %d API Gateway event samples found", validated)
	}
}

func documented(t *testing.T, routeKey string) bool {
	_, ok := operations(t)[routeKey]
	return ok
}
