package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/workflow"
)

// decodeTargets are the bodies the API decodes with Request.Decode: the
// Studio execution request, the workflow inputs inside it, and every admin
// input.
var decodeTargets = []func() any{
	func() any { return new(workflow.ExecRequest) },
	func() any { return new(workflow.SearchInput) },
	func() any { return new(workflow.CreateInput) },
	func() any { return new(workflow.UpdateInput) },
	func() any { return new(admin.ConfigurationInput) },
	func() any { return new(admin.WorkflowInput) },
	func() any { return new(admin.DataMappingInput) },
	func() any { return new(admin.DynamicMappingInput) },
	func() any {
		return new(struct {
			Role store.Role `json:"role"`
		})
	},
	func() any {
		return new(struct {
			Name string `json:"name"`
		})
	},
}

// FuzzDecode: whatever the body, Decode never panics; a refusal is a 400
// naming a field (or "body"), or a 413 for a body over MaxBody; an accepted
// body is one JSON value.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"configurationId":"sf-main","workflowId":"search_phone","contactId":"5001234","workflowInput":{"phoneNumber":"+1 (415) 555-0100"}}`,
		`{"configurationId":7}`, `{"records":[{"entity":"Contact","id":5}]}`, `{"records":{}}`,
		`{"workflowInput":{"customSearch":{"entity":"Case","filter":{"all":[{"field":"Subject","op":"eq","value":"x"}]},"limit":"10"}}}`,
		`{"customSearch":{"entity":"Case","filter":{"any":[]},"fields":["a",1],"limit":1e999}}`,
		`{"entity":"Case","fields":{"Subject":"x"},"pin":"yes","screenPop":1}`,
		`{"entity":"Case","id":"500","fields":[]}`,
		`{"name":"sf","crm":"salesforce","baseUrl":"https://acme.my.salesforce.com","auth":{"type":"oauth2_client_credentials","tokenUrl":"x","clientId":"c"},"credentials":{"clientSecret":"s"},"timeoutMs":"4000"}`,
		`{"timeoutMs":1e400}`, `{"timeoutMs":-1.5}`, `{"action":"search","name":1}`,
		`{"entity":"Task","fields":[{"source":"cxoneContact.agentName","target":"Subject","template":"Call with {{agentName}}"}],"mode":7}`,
		`{"entities":[{"entity":"Contact","searchFields":["Phone"],"displayFields":[{"name":"Name","label":2}]}]}`,
		`{"role":"admin"}`, `{"role":["admin"]}`, `{"name":null}`, `null`, `[]`, `"x"`, `1`, `{}`, ``, ` `, `{`, `{"a":1}x`,
		`{"a":1}{"b":2}`, "{\"name\":\"\xff\xfe\"}", `{"name":"\ud800"}`, `{"` + strings.Repeat("[", 100) + `"}`,
		strings.Repeat("[", 20000), `{"name":"a","name":2}`,
	} {
		f.Add(s, false)
	}
	f.Add(base64.StdEncoding.EncodeToString([]byte(`{"name":"x"}`)), true)
	f.Add("not base64!", true)
	f.Fuzz(func(t *testing.T, body string, b64 bool) {
		ev := events.APIGatewayV2HTTPRequest{RouteKey: "POST /x", Body: body, IsBase64Encoded: b64}
		r, err := httpapi.FromEvent(ev)
		if err != nil {
			wantRefusal(t, body, err, false)
			return
		}
		for _, mk := range decodeTargets {
			v := mk()
			err := r.Decode(v)
			if err == nil {
				if !json.Valid(r.Body) {
					t.Fatalf("%T accepted a body that is not one JSON value: %q", v, r.Body)
				}
				continue
			}
			wantRefusal(t, body, err, true)
		}
	})
}

func wantRefusal(t *testing.T, body string, err error, wantField bool) {
	t.Helper()
	p := httpapi.ProblemOf(err)
	switch p.Status {
	case 413:
		if len(body) <= httpapi.MaxBody {
			t.Fatalf("413 for a %d-byte body: %v", len(body), err)
		}
		return
	case 400:
	default:
		t.Fatalf("body %.80q: status %d (%v), want 400", body, p.Status, err)
	}
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid || p.Detail.Code == "" || p.Detail.Message == "" {
		t.Fatalf("body %.80q: refusal %#v is not a SPEC error", body, err)
	}
	if wantField && p.Detail.Field == "" {
		t.Fatalf("body %.80q: refusal %q names no field", body, p.Detail.Message)
	}
	if _, err := json.Marshal(httpapi.ErrorBody{Error: p.Detail}); err != nil {
		t.Fatalf("error body does not encode: %v", err)
	}
}
