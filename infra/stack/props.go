package stack

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/throttle"
)

// Props are the deploy-time settings of one stage. FromContext reads them from
// CDK context (cdk.json or `-c key=value`); tests build them directly.
type Props struct {
	awscdk.StackProps

	// Stage names the deployment ("dev", "prod"): it prefixes the stack name
	// and the Secrets Manager path. "prod" retains and protects the table.
	Stage string
	// AssetDir holds one <function>/bootstrap per function (./scripts/build).
	AssetDir string
	// MemoryMB is the memory of every function.
	MemoryMB int
	// ThrottleRate and ThrottleBurst are the API stage's default route
	// throttling, in requests per second and requests.
	ThrottleRate  float64
	ThrottleBurst int
	// TenantRate and TenantBurst are each tenant's limit on the Studio-facing
	// functions (search, create, update), enforced in the function per warm
	// instance (shared/throttle); TenantRate 0 turns it off.
	TenantRate  float64
	TenantBurst int
	// CardOrigins are the browser origins of the agent's card UI. None means
	// the API answers no CORS preflight at all.
	CardOrigins []string
	// AlarmTopicArn, when set, is the SNS topic every alarm notifies.
	AlarmTopicArn string
	// MaxConcurrency caps the concurrent invocations of each queue consumer,
	// so a burst of post-call jobs cannot flood a CRM's rate limit.
	MaxConcurrency int
	// LogRetentionDays is the retention of every log group.
	LogRetentionDays int
	// ADOTLayerArn, when set, is the AWS Distro for OpenTelemetry collector
	// Lambda layer (arm64) for the stack's region. Every function then runs
	// the collector beside it and exports its spans (shared/tracing) to it on
	// localhost:4318; the collector sends them on to X-Ray. Empty: no spans
	// leave the functions (X-Ray still shows each invocation's segment).
	ADOTLayerArn string
}

// Context keys.
const (
	CtxStage            = "stage"
	CtxAssetDir         = "assetDir"
	CtxMemorySize       = "memorySize"
	CtxThrottleRate     = "throttleRate"
	CtxThrottleBurst    = "throttleBurst"
	CtxTenantRate       = "tenantRate"
	CtxTenantBurst      = "tenantBurst"
	CtxCardOrigins      = "cardOrigins"
	CtxAlarmTopicArn    = "alarmTopicArn"
	CtxMaxConcurrency   = "maxConcurrency"
	CtxLogRetentionDays = "logRetentionDays"
	CtxADOTLayerArn     = "adotLayerArn"
)

// Defaults are the settings used where the context says nothing.
func Defaults() Props {
	return Props{
		Stage:            "dev",
		AssetDir:         filepath.Join("..", "build", "functions"),
		MemoryMB:         256,
		ThrottleRate:     50,
		ThrottleBurst:    100,
		TenantRate:       throttle.DefaultRate,
		TenantBurst:      throttle.DefaultBurst,
		MaxConcurrency:   10,
		LogRetentionDays: 30,
	}
}

// ProdStage is the stage whose data outlives the stack.
const ProdStage = "prod"

// IsProd reports whether the table must be retained and protected.
func (p Props) IsProd() bool { return p.Stage == ProdStage }

// removalPolicy keeps prod's table and logs when the stack goes; other
// stages clean up after themselves.
func (p Props) removalPolicy() awscdk.RemovalPolicy {
	if p.IsProd() {
		return awscdk.RemovalPolicy_RETAIN
	}
	return awscdk.RemovalPolicy_DESTROY
}

// StackName is the CloudFormation stack name of the stage.
func (p Props) StackName() string { return "crmflow-" + p.Stage }

// SecretPrefix is the Secrets Manager path of the stage's CRM credentials.
func (p Props) SecretPrefix() string { return "crmflow/" + p.Stage + "/" }

// stageName keeps the stage usable in a stack name, a secret path and a
// resource name.
var stageName = regexp.MustCompile(`^[a-z][a-z0-9-]{0,19}$`)

// Validate says what is wrong with the settings, all at once.
func (p Props) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !stageName.MatchString(p.Stage) {
		bad("%s %q: want lower-case letters, digits and dashes, starting with a letter, at most 20", CtxStage, p.Stage)
	}
	if p.MemoryMB < 128 || p.MemoryMB > 10240 {
		bad("%s %d: want 128 to 10240 MB", CtxMemorySize, p.MemoryMB)
	}
	if p.ThrottleRate <= 0 {
		bad("%s %v: want a positive rate", CtxThrottleRate, p.ThrottleRate)
	}
	if p.ThrottleBurst < 1 {
		bad("%s %d: want at least 1", CtxThrottleBurst, p.ThrottleBurst)
	}
	if p.TenantRate < 0 {
		bad("%s %v: want a rate of 0 (off) or more", CtxTenantRate, p.TenantRate)
	}
	if p.TenantBurst < 1 {
		bad("%s %d: want at least 1", CtxTenantBurst, p.TenantBurst)
	}
	// Lambda's own bounds for an SQS event source's maximum concurrency.
	if p.MaxConcurrency < 2 || p.MaxConcurrency > 1000 {
		bad("%s %d: want 2 to 1000", CtxMaxConcurrency, p.MaxConcurrency)
	}
	if _, ok := retentions[p.LogRetentionDays]; !ok {
		bad("%s %d: want one of CloudWatch Logs' retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …)", CtxLogRetentionDays, p.LogRetentionDays)
	}
	for _, o := range p.CardOrigins {
		if err := checkOrigin(o); err != nil {
			bad("%s: %w", CtxCardOrigins, err)
		}
	}
	if p.AlarmTopicArn != "" && !isSNSArn(p.AlarmTopicArn) {
		bad("%s %q: want arn:<partition>:sns:<region>:<account>:<topic>", CtxAlarmTopicArn, p.AlarmTopicArn)
	}
	if p.ADOTLayerArn != "" && !isLayerArn(p.ADOTLayerArn) {
		bad("%s %q: want arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>", CtxADOTLayerArn, p.ADOTLayerArn)
	}
	if err := checkAssets(p.AssetDir); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkOrigin accepts an https origin, or http on loopback for a UI under
// development. A wildcard is refused: the key travels in a header any page
// could then make a browser send.
func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q is not an origin such as https://agent.example.com", o)
	}
	loopback := u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1"
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback) {
		return fmt.Errorf("%q: want https (http only on localhost)", o)
	}
	if strings.Contains(u.Host, "*") {
		return fmt.Errorf("%q: wildcard origins are not allowed", o)
	}
	return nil
}

func isSNSArn(arn string) bool {
	parts := strings.Split(arn, ":")
	return len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] == "sns" &&
		parts[3] != "" && parts[4] != "" && parts[5] != ""
}

func isLayerArn(arn string) bool {
	parts := strings.Split(arn, ":")
	return len(parts) == 8 && parts[0] == "arn" && parts[1] != "" && parts[2] == "lambda" &&
		parts[3] != "" && parts[4] != "" && parts[5] == "layer" && parts[6] != "" && parts[7] != ""
}

// checkAssets fails early, naming the missing binary, rather than letting
// CloudFormation deploy a function that cannot start.
func checkAssets(dir string) error {
	var missing []string
	for _, fn := range routes.AllFunctions {
		info, err := os.Stat(filepath.Join(dir, fn, "bootstrap"))
		if err != nil || !info.Mode().IsRegular() {
			missing = append(missing, fn)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s %q has no bootstrap for %s: run ./scripts/build first", CtxAssetDir, dir, strings.Join(missing, ", "))
	}
	return nil
}
