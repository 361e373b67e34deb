package stack

import (
	"slices"
	"strings"
	"testing"

	"github.com/crmflow/crmflow/shared/routes"
)

// wildcardResourceActions are the only actions allowed on Resource "*":
// X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level
// permissions, so active tracing needs them on "*".
var wildcardResourceActions = []string{"xray:PutTelemetryRecords", "xray:PutTraceSegments"}

type statement struct {
	Effect    string
	Actions   []string
	Resources []any
}

// policyStatements returns every statement of every AWS::IAM::Policy, by the
// logical id of the role it is attached to.
func (s synthesized) policyStatements(t *testing.T) map[string][]statement {
	t.Helper()
	out := map[string][]statement{}
	for id, res := range s.resources("AWS::IAM::Policy") {
		p := props(res)
		roles := p["Roles"].([]any)
		if len(roles) != 1 {
			t.Fatalf("policy %s is attached to %d roles, want 1", id, len(roles))
		}
		role := roles[0].(map[string]any)["Ref"].(string)
		for _, raw := range p["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			st := raw.(map[string]any)
			out[role] = append(out[role], statement{
				Effect: st["Effect"].(string), Actions: asStrings(st["Action"]), Resources: list(st["Resource"]),
			})
		}
	}
	return out
}

func TestNoWildcardsInPolicies(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		for role, statements := range s.policyStatements(t) {
			for _, st := range statements {
				for _, a := range st.Actions {
					if strings.Contains(a, "*") {
						t.Errorf("%s: role %s allows wildcard action %q", s.Props.Stage, role, a)
					}
				}
				for _, r := range st.Resources {
					if r != "*" {
						continue
					}
					got := slices.Sorted(slices.Values(st.Actions))
					if !slices.Equal(got, wildcardResourceActions) {
						t.Errorf("%s: role %s allows %v on Resource \"*\"", s.Props.Stage, role, st.Actions)
					}
				}
			}
		}
	}
}

func TestNoManagedPolicies(t *testing.T) {
	for id, res := range dev.resources("AWS::IAM::Role") {
		if mp, ok := props(res)["ManagedPolicyArns"]; ok {
			t.Errorf("role %s has managed policies %v", id, mp)
		}
	}
}

// TestLeastPrivilegePerFunction checks which function may do what: the
// grants that matter for a leaked role, one function at a time.
func TestLeastPrivilegePerFunction(t *testing.T) {
	actionsOf := map[string]map[string]bool{}
	fns := dev.resources("AWS::Lambda::Function")
	statements := dev.policyStatements(t)
	for name, id := range dev.functionIDs(t) {
		role := props(fns[id])["Role"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)
		actionsOf[name] = map[string]bool{}
		for _, st := range statements[role] {
			if st.Effect != "Allow" {
				continue
			}
			for _, a := range st.Actions {
				actionsOf[name][a] = true
			}
		}
	}
	for _, name := range routes.AllFunctions {
		has := actionsOf[name]
		aws := name != routes.Web // the web function serves files from its binary and touches nothing
		want := map[string]bool{
			"dynamodb:GetItem":              aws,
			"dynamodb:Query":                aws,
			"dynamodb:PutItem":              aws && name != routes.Authorizer,
			"secretsmanager:GetSecretValue": aws && name != routes.Authorizer && name != routes.Enqueue,
			"secretsmanager:CreateSecret":   name == routes.Admin,
			"secretsmanager:PutSecretValue": name == routes.Admin,
			"secretsmanager:DeleteSecret":   name == routes.Admin,
			"secretsmanager:DescribeSecret": name == routes.Admin,
			"sqs:SendMessage":               name == routes.Enqueue,
			"sqs:ReceiveMessage":            isConsumer(name),
			"sqs:DeleteMessage":             isConsumer(name),
			"logs:PutLogEvents":             true,
			"xray:PutTraceSegments":         true,
		}
		for action, ok := range want {
			if has[action] != ok {
				t.Errorf("%s: %s allowed = %v, want %v", name, action, has[action], ok)
			}
		}
	}
}

func TestSecretsLimitedToStagePrefix(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		for role, statements := range s.policyStatements(t) {
			for _, st := range statements {
				if !strings.HasPrefix(st.Actions[0], "secretsmanager:") {
					continue
				}
				if len(st.Resources) != 1 || !strings.HasSuffix(flatten(st.Resources[0]), ":secret:crmflow/"+s.Props.Stage+"/*") {
					t.Errorf("%s: role %s reaches secrets %v", s.Props.Stage, role, st.Resources)
				}
			}
		}
	}
}

func asStrings(v any) []string {
	var out []string
	for _, e := range list(v) {
		out = append(out, e.(string))
	}
	return out
}

func list(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// flatten joins an Fn::Join's literal parts, enough to read an ARN's tail.
func flatten(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if j, ok := x["Fn::Join"].([]any); ok {
			var b strings.Builder
			for _, part := range j[1].([]any) {
				b.WriteString(flatten(part))
			}
			return b.String()
		}
	}
	return ""
}
