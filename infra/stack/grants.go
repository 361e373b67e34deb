package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/crmflow/crmflow/shared/routes"
)

// Secrets Manager actions by need. Admin writes a configuration's
// credentials; the functions that call a CRM only read them.
var (
	secretRead  = []string{"secretsmanager:GetSecretValue"}
	secretAdmin = []string{
		"secretsmanager:CreateSecret", "secretsmanager:PutSecretValue",
		"secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret",
		"secretsmanager:GetSecretValue",
	}
)

// secretActions lists the functions that touch CRM credentials at all.
var secretActions = map[string][]string{
	routes.Admin:       secretAdmin,
	routes.Search:      secretRead,
	routes.Create:      secretRead,
	routes.Update:      secretRead,
	routes.Card:        secretRead, // the card's field labels come from the CRM's metadata
	routes.Timeline:    secretRead,
	routes.Memorialize: secretRead,
}

// tableReadOnly lists the functions that never write the table: the
// authorizer only looks key hashes up.
var tableReadOnly = map[string]bool{routes.Authorizer: true}

// noAWSAccess lists the functions that touch no AWS resource: the web
// function serves files built into its binary.
var noAWSAccess = map[string]bool{routes.Web: true}

// grantAccess gives each function what it uses and nothing else. Queue
// consumption is granted by the event sources (consumers.go).
func grantAccess(st awscdk.Stack, p Props, fns map[string]function, table awsdynamodb.Table, q queues) {
	secrets := secretsArn(st, p)
	for _, name := range routes.AllFunctions {
		fn := fns[name].Fn
		if noAWSAccess[name] {
			continue
		}
		if tableReadOnly[name] {
			table.GrantReadData(fn)
		} else {
			table.GrantReadWriteData(fn)
		}
		if actions := secretActions[name]; len(actions) > 0 {
			fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions:   jsii.Strings(actions...),
				Resources: jsii.Strings(secrets),
			}))
		}
	}
	// SendMessageBatch is authorized by sqs:SendMessage, so one action covers both.
	enqueue := fns[routes.Enqueue].Fn
	q.Timeline.Queue.Grant(enqueue, jsii.String("sqs:SendMessage"))
	q.Memorialize.Queue.Grant(enqueue, jsii.String("sqs:SendMessage"))
}

// secretsArn covers every secret of the stage; Secrets Manager appends a
// random suffix to each name, which the trailing * absorbs.
func secretsArn(st awscdk.Stack, p Props) string {
	return *st.FormatArn(&awscdk.ArnComponents{
		Service:      jsii.String("secretsmanager"),
		Resource:     jsii.String("secret"),
		ResourceName: jsii.String(p.SecretPrefix() + "*"),
		ArnFormat:    awscdk.ArnFormat_COLON_RESOURCE_NAME,
	})
}
