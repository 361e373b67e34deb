package stack

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/crmflow/crmflow/shared/routes"
)

// functionIDs maps each function name to its Lambda's logical id, found by
// the description newFunction gives it.
func (s synthesized) functionIDs(t *testing.T) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for id, res := range s.resources("AWS::Lambda::Function") {
		desc, _ := props(res)["Description"].(string)
		name, ok := strings.CutPrefix(desc, "crmflow "+s.Props.Stage+" ")
		if !ok {
			t.Fatalf("function %s has description %q", id, desc)
		}
		ids[name] = id
	}
	if len(ids) != len(routes.AllFunctions) {
		t.Fatalf("functions %v, want %v", ids, routes.AllFunctions)
	}
	return ids
}

func TestResourceCounts(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		for typ, n := range map[string]int{
			"AWS::Lambda::Function":           len(routes.AllFunctions),
			"AWS::SQS::Queue":                 4,
			"AWS::DynamoDB::Table":            1,
			"AWS::ApiGatewayV2::Api":          1,
			"AWS::ApiGatewayV2::Stage":        1,
			"AWS::ApiGatewayV2::Authorizer":   1,
			"AWS::ApiGatewayV2::Route":        len(routes.All),
			"AWS::CloudWatch::Dashboard":      1,
			"AWS::ApiGatewayV2::Integration":  len(routes.HTTPFunctions),
			"AWS::Lambda::EventSourceMapping": len(routes.QueueFunctions),
			// 2 dead-letter queues, API 5xx, errors and throttles per function,
			// breaker openings per function with a breaker, slow search.
			"AWS::CloudWatch::Alarm": 2 + 1 + 2*len(routes.AllFunctions) + len(breakerFunctions) + 1,
			// one log group per function plus the API's access log.
			"AWS::Logs::LogGroup": len(routes.AllFunctions) + 1,
		} {
			check(t, func() { s.Template.ResourceCountIs(jsii.String(typ), jsii.Number(float64(n))) })
		}
	}
}

func TestFunctions(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		ids := s.functionIDs(t)
		fns := s.resources("AWS::Lambda::Function")
		for name, id := range ids {
			p := props(fns[id])
			want := map[string]any{
				"Runtime": "provided.al2023", "Handler": "bootstrap",
				"Architectures": []any{"arm64"}, "TracingConfig": map[string]any{"Mode": "Active"},
				"MemorySize": float64(s.Props.MemoryMB), "Timeout": timeout(name).Seconds(),
			}
			for k, v := range want {
				if !jsonEqual(p[k], v) {
					t.Errorf("%s %s: %s = %v, want %v", s.Props.Stage, name, k, p[k], v)
				}
			}
			env := p["Environment"].(map[string]any)["Variables"].(map[string]any)
			if name == routes.Web {
				if len(env) != 1 || env[routes.EnvStage] != s.Props.Stage {
					t.Errorf("%s %s: environment %v, want the stage only", s.Props.Stage, name, env)
				}
				continue
			}
			if env[routes.EnvStage] != s.Props.Stage || env[routes.EnvSecretPrefix] != "crmflow/"+s.Props.Stage+"/" ||
				env[routes.EnvCacheTTL] != "60s" || env[routes.EnvTable] == nil {
				t.Errorf("%s %s: environment %v", s.Props.Stage, name, env)
			}
			_, hasQueues := env[routes.EnvTimelineQueue]
			_, hasMemo := env[routes.EnvMemorializeQueue]
			if hasQueues != (name == routes.Enqueue) || hasMemo != (name == routes.Enqueue) {
				t.Errorf("%s: queue URLs in environment: %v, want only for %s", name, env, routes.Enqueue)
			}
			if _, ok := p["LoggingConfig"].(map[string]any)["LogGroup"]; !ok {
				t.Errorf("%s: no log group of its own", name)
			}
		}
	}
}

func TestTimeouts(t *testing.T) {
	for name, want := range map[string]float64{
		routes.Search: 25, routes.Create: 25, routes.Update: 25,
		routes.Admin: 25, routes.Card: 10, routes.Enqueue: 10, routes.Authorizer: 10,
		routes.Timeline: 60, routes.Memorialize: 60,
	} {
		if got := timeout(name).Seconds(); got != want {
			t.Errorf("timeout(%s) = %vs, want %vs", name, got, want)
		}
	}
}

func TestEveryRouteReachesItsFunction(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		ids := s.functionIDs(t)
		// integration logical id -> function name
		integrations := map[string]string{}
		for id, res := range s.resources("AWS::ApiGatewayV2::Integration") {
			p := props(res)
			if p["IntegrationType"] != "AWS_PROXY" || p["PayloadFormatVersion"] != "2.0" {
				t.Errorf("integration %s: %v", id, p)
			}
			for name, fnID := range ids {
				if jsonEqual(p["IntegrationUri"], map[string]any{"Fn::GetAtt": []any{fnID, "Arn"}}) {
					integrations[id] = name
				}
			}
		}
		authorizer, _ := single(t, s.resources("AWS::ApiGatewayV2::Authorizer"))
		got := map[string]string{}
		for _, res := range s.resources("AWS::ApiGatewayV2::Route") {
			p := props(res)
			key := p["RouteKey"].(string)
			i := slices.IndexFunc(routes.All, func(r routes.Route) bool { return r.Key() == key })
			switch {
			case i >= 0 && routes.All[i].Public:
				if p["AuthorizationType"] != "NONE" || p["AuthorizerId"] != nil {
					t.Errorf("public route %s has an authorizer: %v", key, p)
				}
			case p["AuthorizationType"] != "CUSTOM" || !jsonEqual(p["AuthorizerId"], map[string]any{"Ref": authorizer}):
				t.Errorf("route %s is not behind the key authorizer: %v", key, p)
			}
			target, _ := json.Marshal(p["Target"])
			for id, name := range integrations {
				if strings.Contains(string(target), `"`+id+`"`) {
					got[key] = name
				}
			}
		}
		for _, r := range routes.All {
			if got[r.Key()] != r.Function {
				t.Errorf("%s: route %q served by %q, want %q", s.Props.Stage, r.Key(), got[r.Key()], r.Function)
			}
		}
	}
}

func TestAuthorizer(t *testing.T) {
	check(t, func() {
		dev.Template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), map[string]any{
			"AuthorizerType":                 "REQUEST",
			"AuthorizerPayloadFormatVersion": "2.0",
			"EnableSimpleResponses":          true,
			"IdentitySource":                 []any{"$request.header.Authorization"},
			"AuthorizerResultTtlInSeconds":   60,
		})
	})
}

func TestStage(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		_, stage := single(t, s.resources("AWS::ApiGatewayV2::Stage"))
		p := props(stage)
		if p["StageName"] != "$default" || p["AutoDeploy"] != true {
			t.Errorf("stage: %v", p)
		}
		if !jsonEqual(p["DefaultRouteSettings"], map[string]any{"ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100}) {
			t.Errorf("throttling: %v", p["DefaultRouteSettings"])
		}
		logs := p["AccessLogSettings"].(map[string]any)
		var format map[string]string
		if err := json.Unmarshal([]byte(logs["Format"].(string)), &format); err != nil {
			t.Fatalf("access log format is not JSON: %v", err)
		}
		for field, variable := range map[string]string{
			"requestId": "$context.requestId", "routeKey": "$context.routeKey", "status": "$context.status",
			"integrationError": "$context.integrationErrorMessage", "authorizerError": "$context.authorizer.error",
		} {
			if format[field] != variable {
				t.Errorf("access log %s = %q, want %q", field, format[field], variable)
			}
		}
		if _, ok := logs["DestinationArn"].(map[string]any)["Fn::GetAtt"]; !ok {
			t.Errorf("access log destination: %v", logs["DestinationArn"])
		}
	}
}

func TestCORSOnlyForConfiguredOrigins(t *testing.T) {
	_, api := single(t, dev.resources("AWS::ApiGatewayV2::Api"))
	devAPI := props(api)
	if _, ok := devAPI["CorsConfiguration"]; ok {
		t.Errorf("dev has no card origins but answers CORS: %v", devAPI["CorsConfiguration"])
	}
	check(t, func() {
		prod.Template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
			"CorsConfiguration": map[string]any{
				"AllowOrigins": testOrigins,
				"AllowMethods": assertions.Match_ArrayEquals(&[]any{"GET", "PUT", "DELETE"}),
				"AllowHeaders": []any{"Authorization"},
			},
		})
	})
}

func TestQueues(t *testing.T) {
	queues := dev.resources("AWS::SQS::Queue")
	dlqs := map[string]bool{}
	for id, res := range queues {
		p := props(res)
		if p["SqsManagedSseEnabled"] != true {
			t.Errorf("queue %s is not encrypted: %v", id, p)
		}
		if redrive, ok := p["RedrivePolicy"].(map[string]any); ok {
			if redrive["maxReceiveCount"] != float64(maxReceiveCount) || maxReceiveCount != 5 {
				t.Errorf("queue %s: maxReceiveCount %v", id, redrive["maxReceiveCount"])
			}
			dlqs[redrive["deadLetterTargetArn"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)] = true
			// The consumer's timeout, as in the template, times the factor.
			vis := p["VisibilityTimeout"].(float64)
			if vis < 6*consumerTimeout.Seconds() {
				t.Errorf("queue %s: visibility %vs below 6 x %v", id, vis, consumerTimeout)
			}
		}
	}
	if len(dlqs) != 2 {
		t.Fatalf("dead-letter queues %v, want 2", dlqs)
	}
	for id := range dlqs {
		if got := props(queues[id])["MessageRetentionPeriod"]; got != float64(14*24*3600) {
			t.Errorf("dead-letter queue %s retention %v, want 14 days", id, got)
		}
	}
	// enforceSSL: every queue, dead-letter ones included, refuses plain HTTP.
	check(t, func() {
		dev.Template.ResourcePropertiesCountIs(jsii.String("AWS::SQS::QueuePolicy"), map[string]any{
			"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
				"Effect": "Deny", "Action": "sqs:*",
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			})})},
		}, jsii.Number(4))
	})
}

func TestConsumers(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		check(t, func() {
			s.Template.ResourcePropertiesCountIs(jsii.String("AWS::Lambda::EventSourceMapping"), map[string]any{
				"BatchSize":             10,
				"FunctionResponseTypes": []any{"ReportBatchItemFailures"},
				"ScalingConfig":         map[string]any{"MaximumConcurrency": s.Props.MaxConcurrency},
			}, jsii.Number(2))
		})
		ids := s.functionIDs(t)
		queues := s.resources("AWS::SQS::Queue")
		for _, res := range s.resources("AWS::Lambda::EventSourceMapping") {
			p := props(res)
			fn := p["FunctionName"].(map[string]any)["Ref"]
			queue := p["EventSourceArn"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)
			if fn != ids[routes.Timeline] && fn != ids[routes.Memorialize] {
				t.Errorf("event source drives %v, not a consumer", fn)
			}
			if _, ok := props(queues[queue])["RedrivePolicy"]; !ok {
				t.Errorf("consumer %v reads %s, which has no dead-letter queue", fn, queue)
			}
		}
	}
}

func TestTable(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		check(t, func() {
			s.Template.HasResourceProperties(jsii.String("AWS::DynamoDB::Table"), map[string]any{
				"KeySchema": []any{
					map[string]any{"AttributeName": "pk", "KeyType": "HASH"},
					map[string]any{"AttributeName": "sk", "KeyType": "RANGE"},
				},
				"AttributeDefinitions": []any{
					map[string]any{"AttributeName": "pk", "AttributeType": "S"},
					map[string]any{"AttributeName": "sk", "AttributeType": "S"},
					map[string]any{"AttributeName": "jobList", "AttributeType": "S"},
					map[string]any{"AttributeName": "jobOrder", "AttributeType": "S"},
				},
				"BillingMode":                      "PAY_PER_REQUEST",
				"TimeToLiveSpecification":          map[string]any{"AttributeName": "ttl", "Enabled": true},
				"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
				// The one index: an operator's job list (shared/store/dynamo).
				"GlobalSecondaryIndexes": []any{map[string]any{
					"IndexName": "jobsByStatus",
					"KeySchema": []any{
						map[string]any{"AttributeName": "jobList", "KeyType": "HASH"},
						map[string]any{"AttributeName": "jobOrder", "KeyType": "RANGE"},
					},
					"Projection": map[string]any{"ProjectionType": "ALL"},
				}},
				"DeletionProtectionEnabled": s.Props.IsProd(),
			})
		})
	}
}

func TestProdRetainsDataDevDoesNot(t *testing.T) {
	for _, c := range []struct {
		s      synthesized
		policy string
	}{{dev, "Delete"}, {prod, "Retain"}} {
		check(t, func() {
			c.s.Template.HasResource(jsii.String("AWS::DynamoDB::Table"), map[string]any{
				"DeletionPolicy": c.policy, "UpdateReplacePolicy": c.policy,
			})
		})
		for id, res := range c.s.resources("AWS::Logs::LogGroup") {
			if res["DeletionPolicy"] != c.policy {
				t.Errorf("%s: log group %s DeletionPolicy %v, want %s", c.s.Props.Stage, id, res["DeletionPolicy"], c.policy)
			}
			if props(res)["RetentionInDays"] != float64(c.s.Props.LogRetentionDays) {
				t.Errorf("%s: log group %s retention %v", c.s.Props.Stage, id, props(res)["RetentionInDays"])
			}
		}
	}
}

func TestAlarms(t *testing.T) {
	alarms := func(s synthesized) map[string]map[string]any { return s.resources("AWS::CloudWatch::Alarm") }
	metrics := map[string]int{}
	for _, res := range alarms(dev) {
		p := props(res)
		metrics[p["Namespace"].(string)+" "+p["MetricName"].(string)]++
		if p["MetricName"] == "SearchLatency" {
			if p["ExtendedStatistic"] != "p95" || p["Threshold"] != float64(slowSearchMs) || !jsonEqual(p["Dimensions"], []any{map[string]any{"Name": "Function", "Value": "search"}}) {
				t.Errorf("slow search alarm %v", p)
			}
			continue
		}
		if p["ComparisonOperator"] != "GreaterThanThreshold" || p["Threshold"] != float64(0) || p["Period"] != float64(300) {
			t.Errorf("alarm %v does not fire on anything above zero over 5 minutes", p)
		}
		if _, ok := p["AlarmActions"]; ok {
			t.Errorf("dev has no alarm topic but alarm %v has actions", p["AlarmDescription"])
		}
	}
	for metric, n := range map[string]int{
		"AWS/SQS ApproximateNumberOfMessagesVisible": 2,
		"AWS/ApiGateway 5xx":                         1,
		"AWS/Lambda Errors":                          len(routes.AllFunctions),
		"AWS/Lambda Throttles":                       len(routes.AllFunctions),
		"crmflow BreakerOpens":                       len(breakerFunctions),
		"crmflow SearchLatency":                      1,
	} {
		if metrics[metric] != n {
			t.Errorf("%d alarms on %s, want %d (all: %v)", metrics[metric], metric, n, metrics)
		}
	}
	for _, res := range alarms(prod) {
		p := props(res)
		if !jsonEqual(p["AlarmActions"], []any{testTopic}) || !jsonEqual(p["OKActions"], []any{testTopic}) {
			t.Errorf("prod alarm %v actions %v %v, want the topic", p["AlarmDescription"], p["AlarmActions"], p["OKActions"])
		}
	}
}

// TestDashboard: one dashboard over the EMF metrics, each graph a SEARCH
// across CRM types (so a new CRM shows without a stack change).
func TestDashboard(t *testing.T) {
	for _, res := range dev.resources("AWS::CloudWatch::Dashboard") {
		body := flatten(props(res)["DashboardBody"])
		for _, want := range []string{"SearchLatency", "SearchNoMatch", "CRMErrors", "TokenFetches", "BreakerOpens", `MetricName=\"Jobs\"`, "JobAge",
			"{crmflow,CRM,Function}", "ApproximateNumberOfMessagesVisible"} {
			if !strings.Contains(body, want) {
				t.Errorf("dashboard lacks %s: %s", want, body)
			}
		}
	}
}

func TestOutputs(t *testing.T) {
	for _, out := range []string{"ApiUrl", "TableName", "TimelineQueueUrl", "MemorializeQueueUrl", "TimelineDeadLetterQueueUrl", "MemorializeDeadLetterQueueUrl"} {
		check(t, func() { dev.Template.HasOutput(jsii.String(out), map[string]any{}) })
	}
	if name := *prod.Stack.StackName(); name != "crmflow-prod" {
		t.Errorf("prod stack name %q", name)
	}
}

// single returns the logical id and the body of the one resource in res.
func single(t *testing.T, res map[string]map[string]any) (string, map[string]any) {
	t.Helper()
	if len(res) != 1 {
		t.Fatalf("%d resources, want 1", len(res))
	}
	for id, r := range res {
		return id, r
	}
	return "", nil
}

func jsonEqual(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// TestTenantThrottleEnvironment: the functions Studio calls, and only they,
// get the per-tenant limit from context (dev: the defaults; prod: given).
func TestTenantThrottleEnvironment(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		ids := s.functionIDs(t)
		fns := s.resources("AWS::Lambda::Function")
		wantRate, wantBurst := "10", "20"
		if s.Props.Stage == ProdStage {
			wantRate, wantBurst = "2.5", "7"
		}
		for name, id := range ids {
			env := props(fns[id])["Environment"].(map[string]any)["Variables"].(map[string]any)
			rate, hasRate := env[routes.EnvTenantRate]
			burst, hasBurst := env[routes.EnvTenantBurst]
			if !routes.Throttled[name] {
				if hasRate || hasBurst {
					t.Errorf("%s %s: tenant throttle in the environment of a function Studio does not call", s.Props.Stage, name)
				}
				continue
			}
			if rate != wantRate || burst != wantBurst {
				t.Errorf("%s %s: %s=%v %s=%v, want %s and %s", s.Props.Stage, name,
					routes.EnvTenantRate, rate, routes.EnvTenantBurst, burst, wantRate, wantBurst)
			}
		}
	}
}

// TestTracingCollectorLayer: with adotLayerArn (prod here) every function
// that calls AWS or a CRM runs the collector layer and exports its spans to
// it; without (dev) no function has a layer or an OTLP endpoint.
func TestTracingCollectorLayer(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		fns := s.resources("AWS::Lambda::Function")
		for name, id := range s.functionIDs(t) {
			p := props(fns[id])
			env := p["Environment"].(map[string]any)["Variables"].(map[string]any)
			want := s.Props.ADOTLayerArn != "" && name != routes.Web
			layers, _ := p["Layers"].([]any)
			if got := len(layers) == 1 && layers[0] == s.Props.ADOTLayerArn; got != want {
				t.Errorf("%s %s: layers %v, want the collector: %v", s.Props.Stage, name, layers, want)
			}
			if got := env[EnvOTLPEndpoint] == adotEndpoint; got != want {
				t.Errorf("%s %s: %s = %v, want set: %v", s.Props.Stage, name, EnvOTLPEndpoint, env[EnvOTLPEndpoint], want)
			}
		}
	}
}
