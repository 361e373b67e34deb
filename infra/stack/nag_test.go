package stack

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// TestAwsSolutionsChecks fails on every cdk-nag AwsSolutions finding, error
// or warning, that is neither fixed nor suppressed with a reason (nag.go).
func TestAwsSolutionsChecks(t *testing.T) {
	for _, s := range []synthesized{dev, prod} {
		a := assertions.Annotations_FromStack(s.Stack)
		match := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))
		for _, m := range *a.FindError(jsii.String("*"), match) {
			t.Errorf("%s: error at %s: %v", s.Props.Stage, *m.Id, m.Entry.Data)
		}
		for _, m := range *a.FindWarning(jsii.String("*"), match) {
			t.Errorf("%s: warning at %s: %v", s.Props.Stage, *m.Id, m.Entry.Data)
		}
	}
}
