package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/crmflow/crmflow/infra/internal/fixture"
	"github.com/crmflow/crmflow/shared/routes"
)

// TestMain closes the jsii runtime, which importing the CDK prepares (in a
// temporary directory) even when no test here calls it.
func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close()
	os.Exit(code)
}

// TestCDKSynth runs the pinned CDK CLI the way an operator does, from the
// repository root through cdk.json, with context given as -c flags. It needs
// no AWS account.
func TestCDKSynth(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "aws-cdk", "package.json")); err != nil {
		t.Skip("node_modules/aws-cdk is absent: run `npm ci` at the repository root (./scripts/test does)")
	}
	tmp := t.TempDir()
	assets, err := fixture.Assets(filepath.Join(tmp, "assets"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "cdk.out")
	// --no prevents npx from fetching anything: the lockfile's CLI or nothing.
	cmd := exec.Command("npx", "--no", "--", "cdk", "synth", "-q",
		"--output", out,
		"-c", "assetDir="+assets,
		"-c", "stage=prod",
		"-c", "memorySize=512",
		"-c", "cardOrigins=https://agent.example.com")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CDK_DISABLE_CLI_TELEMETRY=true")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npx cdk synth: %v\n%s", err, b)
	}

	b, err := os.ReadFile(filepath.Join(out, "crmflow-prod.template.json"))
	if err != nil {
		t.Fatalf("no crmflow-prod template: %v", err)
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(b, &tmpl); err != nil {
		t.Fatal(err)
	}
	functions, cors := 0, false
	for id, r := range tmpl.Resources {
		switch r.Type {
		case "AWS::Lambda::Function":
			functions++
			if r.Properties["MemorySize"] != float64(512) {
				t.Errorf("%s: MemorySize %v, want the -c memorySize=512", id, r.Properties["MemorySize"])
			}
		case "AWS::ApiGatewayV2::Api":
			_, cors = r.Properties["CorsConfiguration"]
		}
	}
	if functions != len(routes.AllFunctions) || !cors {
		t.Errorf("%d functions, CORS %v: want %d and the -c cardOrigins", functions, cors, len(routes.AllFunctions))
	}
}

// TestOutdir: the CLI's relative output directory is resolved against the
// repository root, where `npx cdk deploy` runs and reads it back.
func TestOutdir(t *testing.T) {
	for _, tc := range []struct{ out, root, want string }{
		{"cdk.out", "/repo", "/repo/cdk.out"},
		{"/tmp/x", "/repo", ""},
		{"cdk.out", "", ""},
		{"", "/repo", ""},
	} {
		t.Setenv("CDK_OUTDIR", tc.out)
		t.Setenv("CRMFLOW_CDK_ROOT", tc.root)
		got := ""
		if p := outdir(); p != nil {
			got = *p
		}
		if got != tc.want {
			t.Errorf("outdir(%q, %q) = %q, want %q", tc.out, tc.root, got, tc.want)
		}
	}
}
