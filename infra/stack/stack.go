// Package stack is the crmflow CloudFormation stack: an HTTP API with a key
// authorizer in front of one Lambda per function of shared/routes, two
// post-call job queues with dead-letter queues, one DynamoDB table, alarms.
// Routes, functions and environment variable names come from shared/routes,
// the same table the local gateway serves.
package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// New adds the stack of one stage to scope, after validating props.
func New(scope constructs.Construct, id string, p Props) (awscdk.Stack, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	sp := p.StackProps
	if sp.StackName == nil {
		sp.StackName = jsii.String(p.StackName())
	}
	if sp.Description == nil {
		sp.Description = jsii.String("crmflow " + p.Stage + ": contact center to CRM workflows")
	}
	st := awscdk.NewStack(scope, jsii.String(id), &sp)

	table := newTable(st, p)
	q := newQueues(st)
	fns := newFunctions(st, p, table, q)
	grantAccess(st, p, fns, table, q)
	connectConsumers(p, fns, q)
	a := newAPI(st, p, fns)
	newAlarms(st, p, a, fns, q)
	newDashboard(st, p, q)
	newOutputs(st, a, table, q)
	suppressNag(p, fns)
	return st, nil
}
