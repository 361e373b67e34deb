// Command infra is the crmflow CDK app: `npx cdk synth|deploy -c stage=prod`
// from the repository root (cdk.json runs it). Settings come from CDK
// context; see docs/deploy.md.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/crmflow/crmflow/infra/stack"
)

func main() {
	defer jsii.Close()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "crmflow infra:", err)
		jsii.Close()
		os.Exit(1)
	}
}

func run() error {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: outdir()})
	props, err := stack.FromContext(app.Node())
	if err != nil {
		return err
	}
	if _, err := stack.New(app, props.StackName(), props); err != nil {
		return err
	}
	app.Synth(nil)
	return nil
}

// outdir resolves the CDK CLI's output directory. The CLI runs in the
// repository root and passes a relative CDK_OUTDIR (cdk.out); this app runs
// in infra/ (cdk.json: cd infra), so the relative path is taken against the
// root cdk.json names in CRMFLOW_CDK_ROOT. nil leaves the CDK's default.
func outdir() *string {
	out, root := os.Getenv("CDK_OUTDIR"), os.Getenv("CRMFLOW_CDK_ROOT")
	if out == "" || filepath.IsAbs(out) || root == "" {
		return nil
	}
	return jsii.String(filepath.Join(root, out))
}
