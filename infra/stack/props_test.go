package stack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func TestFromContextDefaults(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	got, err := FromContext(app.Node())
	if err != nil {
		t.Fatal(err)
	}
	want := Defaults()
	if got.Stage != "dev" || got.AssetDir != want.AssetDir || got.MemoryMB != 256 || got.MaxConcurrency != 10 ||
		got.ThrottleRate != want.ThrottleRate || got.ThrottleBurst != want.ThrottleBurst || got.LogRetentionDays != 30 ||
		got.TenantRate != 10 || got.TenantBurst != 20 ||
		len(got.CardOrigins) != 0 || got.AlarmTopicArn != "" {
		t.Errorf("defaults %+v", got)
	}
}

// TestFromContext covers both shapes context arrives in: typed JSON from
// cdk.json and strings from `-c key=value`.
func TestFromContext(t *testing.T) {
	for _, c := range []struct {
		name string
		ctx  map[string]any
	}{
		{"cdk.json", map[string]any{
			CtxStage: "prod", CtxMemorySize: 512, CtxThrottleRate: 12.5, CtxThrottleBurst: 40, CtxMaxConcurrency: 5,
			CtxTenantRate: 2.5, CtxTenantBurst: 7,
			CtxLogRetentionDays: 90, CtxCardOrigins: []any{"https://a.example.com", "https://b.example.com"},
			CtxAlarmTopicArn: testTopic, CtxAssetDir: "/assets",
		}},
		{"-c flags", map[string]any{
			CtxStage: "prod", CtxMemorySize: "512", CtxThrottleRate: "12.5", CtxThrottleBurst: "40", CtxMaxConcurrency: "5",
			CtxTenantRate: "2.5", CtxTenantBurst: "7",
			CtxLogRetentionDays: "90", CtxCardOrigins: "https://a.example.com, https://b.example.com",
			CtxAlarmTopicArn: testTopic, CtxAssetDir: "/assets",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir()), Context: &c.ctx})
			p, err := FromContext(app.Node())
			if err != nil {
				t.Fatal(err)
			}
			if p.Stage != "prod" || p.MemoryMB != 512 || p.ThrottleRate != 12.5 || p.ThrottleBurst != 40 ||
				p.TenantRate != 2.5 || p.TenantBurst != 7 ||
				p.MaxConcurrency != 5 || p.LogRetentionDays != 90 || p.AlarmTopicArn != testTopic || p.AssetDir != "/assets" ||
				strings.Join(p.CardOrigins, " ") != "https://a.example.com https://b.example.com" {
				t.Errorf("got %+v", p)
			}
		})
	}
}

func TestFromContextRejectsMistypedValues(t *testing.T) {
	for key, v := range map[string]any{
		CtxMemorySize:    "lots",
		CtxThrottleBurst: 1.5,
		CtxTenantRate:    "fast",
		CtxTenantBurst:   2.5,
		CtxStage:         12,
		CtxCardOrigins:   3,
	} {
		app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir()), Context: &map[string]any{key: v}})
		if _, err := FromContext(app.Node()); err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%v: error %v, want one naming %s", key, v, err, key)
		}
	}
}

func TestValidate(t *testing.T) {
	assets := dev.Props.AssetDir
	valid := func() Props { p := Defaults(); p.AssetDir = assets; return p }
	if err := valid().Validate(); err != nil {
		t.Fatalf("defaults with assets: %v", err)
	}
	for _, c := range []struct {
		name   string
		change func(*Props)
		want   string
	}{
		{"stage with upper case", func(p *Props) { p.Stage = "Prod" }, CtxStage},
		{"stage with a slash", func(p *Props) { p.Stage = "a/b" }, CtxStage},
		{"memory too small", func(p *Props) { p.MemoryMB = 64 }, CtxMemorySize},
		{"zero rate", func(p *Props) { p.ThrottleRate = 0 }, CtxThrottleRate},
		{"zero burst", func(p *Props) { p.ThrottleBurst = 0 }, CtxThrottleBurst},
		{"negative tenant rate", func(p *Props) { p.TenantRate = -1 }, CtxTenantRate},
		{"zero tenant burst", func(p *Props) { p.TenantBurst = 0 }, CtxTenantBurst},
		{"concurrency below Lambda's minimum", func(p *Props) { p.MaxConcurrency = 1 }, CtxMaxConcurrency},
		{"retention CloudWatch lacks", func(p *Props) { p.LogRetentionDays = 31 }, CtxLogRetentionDays},
		{"wildcard origin", func(p *Props) { p.CardOrigins = []string{"*"} }, CtxCardOrigins},
		{"wildcard subdomain", func(p *Props) { p.CardOrigins = []string{"https://*.example.com"} }, CtxCardOrigins},
		{"plain http origin", func(p *Props) { p.CardOrigins = []string{"http://agent.example.com"} }, CtxCardOrigins},
		{"origin with a path", func(p *Props) { p.CardOrigins = []string{"https://agent.example.com/app"} }, CtxCardOrigins},
		{"topic not an SNS ARN", func(p *Props) { p.AlarmTopicArn = "arn:aws:sqs:eu-west-1:123456789012:q" }, CtxAlarmTopicArn},
		{"collector layer not a layer ARN", func(p *Props) { p.ADOTLayerArn = "arn:aws:lambda:us-east-1:123456789012:function:f" }, CtxADOTLayerArn},
		{"no assets", func(p *Props) { p.AssetDir = t.TempDir() }, "run ./scripts/build"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := valid()
			c.change(&p)
			if err := p.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestValidateNamesMissingBinaries(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "search"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "search", "bootstrap"), []byte("x"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := checkAssets(dir)
	if err == nil || strings.Contains(err.Error(), "search,") || !strings.Contains(err.Error(), "memorialize") {
		t.Errorf("error %v, want every function but search named", err)
	}
}

func TestNewRefusesInvalidProps(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	p := Defaults()
	p.AssetDir = dev.Props.AssetDir
	p.Stage = "Bad Stage"
	if st, err := New(app, "bad", p); err == nil || st != nil {
		t.Fatalf("New with an invalid stage: stack %v, error %v", st, err)
	}
	if n := len(*app.Node().Children()); n != 0 {
		t.Errorf("invalid props still added %d constructs", n)
	}
}

// TestCDKJSONListsEveryContextKey: cdk.json shows an operator every context
// option with its default, and nothing the stack does not read.
func TestCDKJSONListsEveryContextKey(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "cdk.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Context map[string]any `json:"context"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	keys := []string{CtxStage, CtxAssetDir, CtxMemorySize, CtxThrottleRate, CtxThrottleBurst, CtxTenantRate, CtxTenantBurst,
		CtxCardOrigins, CtxAlarmTopicArn, CtxMaxConcurrency, CtxLogRetentionDays, CtxADOTLayerArn}
	for _, k := range keys {
		if _, ok := doc.Context[k]; !ok {
			t.Errorf("cdk.json context lacks %s", k)
		}
	}
	for k := range doc.Context {
		if !slices.Contains(keys, k) && !strings.HasPrefix(k, "cli-") && !strings.HasPrefix(k, "@") {
			t.Errorf("cdk.json context has %s, which the stack does not read", k)
		}
	}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir()), Context: &doc.Context})
	got, err := FromContext(app.Node())
	if err != nil {
		t.Fatal(err)
	}
	d := Defaults()
	if got.TenantRate != d.TenantRate || got.TenantBurst != d.TenantBurst || got.ThrottleRate != d.ThrottleRate || got.MemoryMB != d.MemoryMB {
		t.Errorf("cdk.json's values %+v differ from the defaults %+v", got, d)
	}
}
