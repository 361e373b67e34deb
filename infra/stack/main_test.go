package stack

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crmflow/crmflow/infra/internal/fixture"
)

// synthesized is one stage's stack and its template.
type synthesized struct {
	Props    Props
	Stack    awscdk.Stack
	Template assertions.Template
	JSON     map[string]any
}

// dev and prod come from the one synthesis of the test binary: dev with the
// defaults, prod with every optional setting given.
var dev, prod synthesized

const testTopic = "arn:aws:sns:eu-west-1:123456789012:crmflow-alarms"

var testOrigins = []string{"https://agent.example.com", "http://localhost:5173"}

func TestMain(m *testing.M) {
	code, err := run(m)
	jsii.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "infra/stack tests:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func run(m *testing.M) (code int, err error) {
	tmp, err := os.MkdirTemp("", "crmflow-infra-test-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	if err := synthesize(tmp); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

// synthesize builds both stages in one app under cdk-nag and synthesizes once.
func synthesize(tmp string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("synth: %v", r)
		}
	}()
	assets, err := fixture.Assets(filepath.Join(tmp, "assets"))
	if err != nil {
		return err
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(filepath.Join(tmp, "cdk.out"))})

	devProps := Defaults()
	devProps.AssetDir = assets
	prodProps := Defaults()
	prodProps.Stage = ProdStage
	prodProps.AssetDir = assets
	prodProps.AlarmTopicArn = testTopic
	prodProps.CardOrigins = testOrigins
	prodProps.MemoryMB = 512
	prodProps.MaxConcurrency = 5
	prodProps.TenantRate = 2.5
	prodProps.TenantBurst = 7
	prodProps.ADOTLayerArn = testADOTLayer

	for _, s := range []struct {
		out   *synthesized
		props Props
	}{{&dev, devProps}, {&prod, prodProps}} {
		st, err := New(app, s.props.StackName(), s.props)
		if err != nil {
			return err
		}
		*s.out = synthesized{Props: s.props, Stack: st}
	}
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	app.Synth(nil)
	for _, s := range []*synthesized{&dev, &prod} {
		s.Template = assertions.Template_FromStack(s.Stack, nil)
		s.JSON = *s.Template.ToJSON()
	}
	return nil
}

// testADOTLayer stands for the region's ADOT collector layer in prod's props.
const testADOTLayer = "arn:aws:lambda:us-east-1:123456789012:layer:aws-otel-collector-arm64-test:1"

// check runs a CDK assertion, which panics when it fails, as a test failure.
func check(t *testing.T, assertion func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Helper()
			t.Fatalf("%v", r)
		}
	}()
	assertion()
}

// resources returns the template's resources of one type by logical id.
func (s synthesized) resources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range s.JSON["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

// props returns a resource's Properties.
func props(res map[string]any) map[string]any {
	p, _ := res["Properties"].(map[string]any)
	return p
}
