// Command infra is the crmflow CDK app: `npx cdk synth|deploy -c stage=prod`
// from the repository root (cdk.json runs it). Settings come from CDK
// context; see docs/deploy.md.
package main

import (
	"fmt"
	"os"

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
	app := awscdk.NewApp(nil)
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
