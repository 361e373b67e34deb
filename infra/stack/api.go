package stack

import (
	"encoding/json"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crmflow/crmflow/shared/routes"
)

const (
	// authorizerCacheTTL is how long API Gateway reuses an authorizer answer
	// per Authorization header: a deleted key keeps working at most this long.
	authorizerCacheTTL  = 60
	authorizationHeader = "Authorization"
)

// api is the HTTP API and its one stage.
type api struct {
	Api   awsapigatewayv2.HttpApi
	Stage awsapigatewayv2.HttpStage
}

// newAPI serves every route of routes.All with its function, behind the key
// authorizer.
func newAPI(scope constructs.Construct, p Props, fns map[string]function) api {
	authorizer := awsapigatewayv2authorizers.NewHttpLambdaAuthorizer(jsii.String("KeyAuthorizer"), fns[routes.Authorizer].Fn,
		&awsapigatewayv2authorizers.HttpLambdaAuthorizerProps{
			AuthorizerName:  jsii.String("crmflow-api-key"),
			ResponseTypes:   &[]awsapigatewayv2authorizers.HttpLambdaResponseType{awsapigatewayv2authorizers.HttpLambdaResponseType_SIMPLE},
			IdentitySource:  jsii.Strings("$request.header." + authorizationHeader),
			ResultsCacheTtl: awscdk.Duration_Seconds(jsii.Number(authorizerCacheTTL)),
		})
	httpAPI := awsapigatewayv2.NewHttpApi(scope, jsii.String("Api"), &awsapigatewayv2.HttpApiProps{
		ApiName:            jsii.String(p.StackName()),
		Description:        jsii.String("crmflow " + p.Stage + ": workflows, customer card, administration"),
		CorsPreflight:      cors(p),
		CreateDefaultStage: jsii.Bool(false),
		DefaultAuthorizer:  authorizer,
	})
	stage := awsapigatewayv2.NewHttpStage(scope, jsii.String("Stage"), &awsapigatewayv2.HttpStageProps{
		HttpApi:    httpAPI,
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit:  jsii.Number(p.ThrottleRate),
			BurstLimit: jsii.Number(float64(p.ThrottleBurst)),
		},
		AccessLogSettings: &accessLog{
			destination: awsapigatewayv2.NewLogGroupLogDestination(newAccessLogGroup(scope, p)),
			format:      awsapigateway.AccessLogFormat_Custom(jsii.String(accessLogFormat())),
		},
	})
	integrations := map[string]awsapigatewayv2integrations.HttpLambdaIntegration{}
	for _, r := range routes.All {
		in, ok := integrations[r.Function]
		if !ok {
			in = awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(constructID(r.Function)+"Integration"), fns[r.Function].Fn, nil)
			integrations[r.Function] = in
		}
		opts := &awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(r.Path),
			Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod(r.Method)},
			Integration: in,
		}
		if r.Public {
			// The agent page's files and the OpenAPI document: static,
			// served by a function with no AWS access at all.
			opts.Authorizer = awsapigatewayv2.NewHttpNoneAuthorizer()
		}
		for _, route := range *httpAPI.AddRoutes(opts) {
			if r.Public {
				suppressPublicRouteNag(route)
			}
		}
	}
	return api{Api: httpAPI, Stage: stage}
}

// cors answers preflights for the card UI's origins. HTTP API CORS is set for
// the whole API, not per route, so the card routes (routes.Route.CORS) decide
// the methods, and without configured origins there is no CORS at all. Every
// route still needs a key, and an agent key only reads cards and pins.
func cors(p Props) *awsapigatewayv2.CorsPreflightOptions {
	if len(p.CardOrigins) == 0 {
		return nil
	}
	var methods []awsapigatewayv2.CorsHttpMethod
	seen := map[string]bool{}
	for _, r := range routes.All {
		if r.CORS && !seen[r.Method] {
			seen[r.Method] = true
			methods = append(methods, awsapigatewayv2.CorsHttpMethod(r.Method))
		}
	}
	return &awsapigatewayv2.CorsPreflightOptions{
		AllowOrigins: jsii.Strings(p.CardOrigins...),
		AllowMethods: &methods,
		AllowHeaders: jsii.Strings(authorizationHeader),
		MaxAge:       awscdk.Duration_Hours(jsii.Number(1)),
	}
}

func newAccessLogGroup(scope constructs.Construct, p Props) awslogs.LogGroup {
	return awslogs.NewLogGroup(scope, jsii.String("AccessLogs"), &awslogs.LogGroupProps{
		Retention:     retentions[p.LogRetentionDays],
		RemovalPolicy: p.removalPolicy(),
	})
}

// accessLogFields is one JSON object per request. It carries no header, body
// or query string, so no key and no CRM field value reaches the log.
var accessLogFields = map[string]string{
	"requestId":          "$context.requestId",
	"requestTime":        "$context.requestTime",
	"sourceIp":           "$context.identity.sourceIp",
	"routeKey":           "$context.routeKey",
	"status":             "$context.status",
	"responseLength":     "$context.responseLength",
	"responseLatency":    "$context.responseLatency",
	"integrationStatus":  "$context.integration.status",
	"integrationLatency": "$context.integration.latency",
	"integrationError":   "$context.integrationErrorMessage",
	"authorizerError":    "$context.authorizer.error",
	"error":              "$context.error.message",
}

func accessLogFormat() string {
	b, _ := json.Marshal(accessLogFields) // a map of strings cannot fail to marshal
	return string(b)
}

// accessLog is the stage's access log settings: HttpStage takes them as an
// interface, which a Go value may implement.
type accessLog struct {
	destination awsapigatewayv2.IAccessLogDestination
	format      awsapigateway.AccessLogFormat
}

var _ awsapigatewayv2.IAccessLogSettings = (*accessLog)(nil)

func (a *accessLog) Destination() awsapigatewayv2.IAccessLogDestination { return a.destination }
func (a *accessLog) Format() awsapigateway.AccessLogFormat              { return a.format }
