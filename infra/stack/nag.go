package stack

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/crmflow/crmflow/shared/routes"
)

// suppressNag records, on the resources themselves, why each remaining
// cdk-nag AwsSolutions finding is accepted. Every other rule passes as built.
// TestNoWildcardsInPolicies pins what these suppressions may cover.
func suppressNag(p Props, fns map[string]function) {
	xray := &cdknag.NagPackSuppression{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, " +
			"which support no resource-level permissions, so AWS requires Resource \"*\" for exactly these two actions."),
		AppliesTo: &[]any{"Resource::*"},
	}
	secrets := &cdknag.NagPackSuppression{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("CRM credentials are one secret per configuration, created at run time under " + p.SecretPrefix() +
			"; Secrets Manager appends a random suffix to every secret name, so the grant is the stage's prefix and nothing wider."),
		AppliesTo: &[]any{"Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:" + p.SecretPrefix() + "*"},
	}
	index := &cdknag.NagPackSuppression{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("The table's grant covers its indexes (table ARN/index/*): the table has exactly one, " +
			"jobsByStatus, which the job list queries; no other table is reachable."),
		AppliesTo: &[]any{"Resource::<TableCD117FA1.Arn>/index/*"},
	}
	for _, name := range routes.AllFunctions {
		s := []*cdknag.NagPackSuppression{xray}
		if !noAWSAccess[name] {
			s = append(s, index)
		}
		if len(secretActions[name]) > 0 {
			s = append(s, secrets)
		}
		cdknag.NagSuppressions_AddResourceSuppressions(fns[name].Role, &s, jsii.Bool(true))
	}
}

// suppressPublicRouteNag explains the routes without an authorizer.
func suppressPublicRouteNag(route constructs.IConstruct) {
	cdknag.NagSuppressions_AddResourceSuppressions(route, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-APIG4"),
		Reason: jsii.String("A public route (routes.Route.Public) serves files built into the web function: the agent page's " +
			"HTML, script and style sheet, and the OpenAPI document. It reads no tenant data and its function has no AWS " +
			"permission; the page calls the keyed card and pin routes with the agent's key."),
	}}, jsii.Bool(true))
}
