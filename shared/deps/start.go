package deps

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/crmflow/crmflow/shared/handlers"
	"github.com/crmflow/crmflow/shared/phone"
	"github.com/crmflow/crmflow/shared/routes"
	"github.com/crmflow/crmflow/shared/web"
)

// StartOption adds to what Start builds.
type StartOption func(*Deps)

// WithPhones makes the workflow service parse callers' numbers with p: the
// search function passes libphone.Parse, so that only its binary links
// libphonenumber.
func WithPhones(p phone.Parser) StartOption {
	return func(d *Deps) { d.workflow.UsePhones(p) }
}

// Start is the whole main of the function fn (a routes name): its cold
// start (MustLoad with the environment routes.Needs names), its handler
// (the authorizer, a queue consumer, or the HTTP routes handlers.For
// builds, throttled where the route table says) and lambda.Start. It does
// not return. The web function serves static files and loads nothing.
func Start(fn string, opts ...StartOption) {
	if fn == routes.Web {
		lambda.Start(web.Handler)
		return
	}
	d := MustLoad(fn, routes.Needs[fn]...)
	for _, o := range opts {
		o(d)
	}
	h, err := d.Handler(fn)
	if err != nil {
		slog.Error("cold start failed", "error", err.Error())
		os.Exit(1)
	}
	lambda.Start(h)
}

// Handler is the Lambda handler of fn built from d.
func (d *Deps) Handler(fn string) (any, error) {
	if fn == routes.Authorizer {
		return handlers.Authorizer(d.Store), nil
	}
	if action, ok := handlers.ConsumerAction[fn]; ok {
		return handlers.Consumer(d.Jobs(), action), nil
	}
	s := handlers.Services{Workflow: d.Workflow(), Throttle: d.Throttle()}
	switch fn {
	case routes.Admin:
		s.Admin = d.Admin()
	case routes.Enqueue, routes.Card:
		s.Jobs = d.Jobs()
	}
	if h, ok := handlers.For(fn, s); ok {
		return h, nil
	}
	return nil, fmt.Errorf("no function %q in the route table", fn)
}
