// Command platformkey is ./scripts/platform-key: it creates a platform key in
// a deployed stack's table (the first key of a fresh account) and prints it
// once; only its hash is stored. It uses the standard AWS credential chain
// (AWS_PROFILE, AWS_REGION…); with CRMFLOW_AWS_ENDPOINT set it talks to a
// local moto_server instead.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/awsclient"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/store/dynamo"
)

func main() {
	table := flag.String("table", "", "the stack's DynamoDB table (output TableName of cdk deploy)")
	flag.Parse()
	if err := run(*table); err != nil {
		fmt.Fprintln(os.Stderr, "platform-key:", err)
		os.Exit(1)
	}
}

func run(table string) error {
	if table == "" {
		return errors.New("-table is required: the TableName output of cdk deploy")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := awsclient.Load(ctx)
	if err != nil {
		return err
	}
	key, _ := ids.NewKey()
	svc := &admin.Service{Store: dynamo.New(awsclient.DynamoDB(cfg), table)}
	k, err := svc.BootstrapPlatformKey(ctx, key)
	if err != nil {
		return fmt.Errorf("store key in %s: %w", table, err)
	}
	fmt.Printf("platform key (shown once, store it in your password manager):\n%s\nkeyId: %s\n", key, k.ID)
	return nil
}
