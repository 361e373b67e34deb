// Command hello is the reference Lambda of ./scripts/bench: the smallest Go
// function aws-lambda-go serves, built exactly as crmflow's functions are, so
// their binary size and init time have a baseline measured in the same run.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(context.Context, json.RawMessage) (string, error) { return "hello", nil })
}
