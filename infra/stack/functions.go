package stack

import (
	"path/filepath"
	"strconv"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/crmflow/crmflow/shared/routes"
)

const (
	// studioTimeout sits above the longest CRM deadline a configuration may
	// set (20 s) and a configuration test's budget (20 s), and below API
	// Gateway's 30 s integration limit, so the function answers 504 itself
	// rather than being cut off.
	studioTimeout = 25 * time.Second
	// consumerTimeout bounds one batch of post-call jobs.
	consumerTimeout = 60 * time.Second
	// shortTimeout serves card, enqueue and the authorizer: table
	// and queue calls only, no CRM on the request path.
	shortTimeout = 10 * time.Second
	// cacheTTL bounds how stale a warm function's view of a configuration is.
	cacheTTL = "60s"
)

// The OTLP endpoint of the ADOT collector layer (OTLP over HTTP).
const (
	EnvOTLPEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT"
	adotEndpoint    = "http://localhost:4318"
)

// function is one Lambda and the role it alone uses.
type function struct {
	Fn   awslambda.Function
	Role awsiam.Role
}

// timeout is the Lambda timeout of a function.
func timeout(name string) time.Duration {
	switch {
	case routes.CRMOnRequestPath[name]:
		return studioTimeout
	case isConsumer(name):
		return consumerTimeout
	}
	return shortTimeout
}

func isConsumer(name string) bool {
	for _, q := range routes.QueueFunctions {
		if q == name {
			return true
		}
	}
	return false
}

// newFunctions builds one Lambda per entry of routes.AllFunctions.
func newFunctions(scope constructs.Construct, p Props, table awsdynamodb.Table, q queues) map[string]function {
	fns := make(map[string]function, len(routes.AllFunctions))
	for _, name := range routes.AllFunctions {
		fns[name] = newFunction(scope, p, name, environment(p, name, table, q))
	}
	return fns
}

func environment(p Props, name string, table awsdynamodb.Table, q queues) *map[string]*string {
	if noAWSAccess[name] {
		return &map[string]*string{routes.EnvStage: jsii.String(p.Stage)}
	}
	env := map[string]*string{
		routes.EnvTable:        table.TableName(),
		routes.EnvStage:        jsii.String(p.Stage),
		routes.EnvSecretPrefix: jsii.String(p.SecretPrefix()),
		routes.EnvCacheTTL:     jsii.String(cacheTTL),
	}
	if name == routes.Timeline || name == routes.Memorialize {
		// The consumer marks a job deadlettered on the last receive before
		// the queue's redrive moves its message.
		env[routes.EnvMaxReceiveCount] = jsii.String(strconv.Itoa(maxReceiveCount))
	}
	if routes.Throttled[name] {
		env[routes.EnvTenantRate] = jsii.String(strconv.FormatFloat(p.TenantRate, 'f', -1, 64))
		env[routes.EnvTenantBurst] = jsii.String(strconv.Itoa(p.TenantBurst))
	}
	if p.ADOTLayerArn != "" {
		// The collector layer listens on localhost; shared/tracing exports there.
		env[EnvOTLPEndpoint] = jsii.String(adotEndpoint)
	}
	if name == routes.Enqueue {
		env[routes.EnvTimelineQueue] = q.Timeline.Queue.QueueUrl()
		env[routes.EnvMemorializeQueue] = q.Memorialize.Queue.QueueUrl()
	}
	return &env
}

// newFunction gives each function a role of its own (so grants stay
// per-function) and a log group of its own with a retention, written to by
// that role alone instead of the AWSLambdaBasicExecutionRole managed policy.
func newFunction(scope constructs.Construct, p Props, name string, env *map[string]*string) function {
	c := constructs.NewConstruct(scope, jsii.String(constructID(name)))
	logs := awslogs.NewLogGroup(c, jsii.String("Logs"), &awslogs.LogGroupProps{
		Retention:     retentions[p.LogRetentionDays],
		RemovalPolicy: p.removalPolicy(),
	})
	role := awsiam.NewRole(c, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("crmflow " + p.Stage + " " + name + " function"),
	})
	logs.GrantWrite(role)
	fn := awslambda.NewFunction(c, jsii.String("Function"), &awslambda.FunctionProps{
		Description:  jsii.String("crmflow " + p.Stage + " " + name),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         awslambda.Code_FromAsset(jsii.String(filepath.Join(p.AssetDir, name)), nil),
		MemorySize:   jsii.Number(float64(p.MemoryMB)),
		Timeout:      seconds(timeout(name)),
		Tracing:      awslambda.Tracing_ACTIVE,
		Role:         role,
		LogGroup:     logs,
		Environment:  env,
	})
	if p.ADOTLayerArn != "" && !noAWSAccess[name] {
		fn.AddLayers(awslambda.LayerVersion_FromLayerVersionArn(c, jsii.String("ADOTCollector"), jsii.String(p.ADOTLayerArn)))
	}
	return function{Fn: fn, Role: role}
}

// constructID turns "memorialize" into "Memorialize".
func constructID(name string) string {
	if name == "" {
		return name
	}
	b := []byte(name)
	if b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
}

// retentions are the retention periods CloudWatch Logs accepts, in days.
var retentions = map[int]awslogs.RetentionDays{
	1: awslogs.RetentionDays_ONE_DAY, 3: awslogs.RetentionDays_THREE_DAYS,
	5: awslogs.RetentionDays_FIVE_DAYS, 7: awslogs.RetentionDays_ONE_WEEK,
	14: awslogs.RetentionDays_TWO_WEEKS, 30: awslogs.RetentionDays_ONE_MONTH,
	60: awslogs.RetentionDays_TWO_MONTHS, 90: awslogs.RetentionDays_THREE_MONTHS,
	120: awslogs.RetentionDays_FOUR_MONTHS, 150: awslogs.RetentionDays_FIVE_MONTHS,
	180: awslogs.RetentionDays_SIX_MONTHS, 365: awslogs.RetentionDays_ONE_YEAR,
	400: awslogs.RetentionDays_THIRTEEN_MONTHS, 545: awslogs.RetentionDays_EIGHTEEN_MONTHS,
	731: awslogs.RetentionDays_TWO_YEARS, 1096: awslogs.RetentionDays_THREE_YEARS,
	1827: awslogs.RetentionDays_FIVE_YEARS, 2192: awslogs.RetentionDays_SIX_YEARS,
	2557: awslogs.RetentionDays_SEVEN_YEARS, 2922: awslogs.RetentionDays_EIGHT_YEARS,
	3288: awslogs.RetentionDays_NINE_YEARS, 3653: awslogs.RetentionDays_TEN_YEARS,
}
