package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/apperr"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/metrics"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/tracing"
)

// Response is what a route handler returns on success.
type Response struct {
	Status  int
	Body    any
	Headers map[string]string
}

// OK, Created and Accepted are shorthands for handlers.
func OK(body any) Response       { return Response{Status: 200, Body: body} }
func Created(body any) Response  { return Response{Status: 201, Body: body} }
func Accepted(body any) Response { return Response{Status: 202, Body: body} }
func NoContent() Response        { return Response{Status: 204} }

// HandlerFunc serves one route.
type HandlerFunc func(ctx context.Context, r *Request) (Response, error)

// Route is a handler and the roles that may call it.
type Route struct {
	Roles   []store.Role
	Handler HandlerFunc
}

// Routes maps API Gateway route keys ("GET /v1/jobs/{jobId}") to routes.
type Routes map[string]Route

// Lambda returns the Lambda handler of a function serving routes: it reads the
// event, checks the caller, runs the route and writes the answer. It never
// panics: a panic in a handler becomes a logged 500.
func Lambda(routes Routes) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (resp events.APIGatewayV2HTTPResponse, err error) {
		start := time.Now()
		req, rerr := FromEvent(ev)
		ctx = logx.With(logx.Scope(logx.Invocation(ctx)), "requestId", req.RequestID, "route", req.RouteKey, "tenantId", req.Principal.TenantID)
		ctx, flush := metrics.Begin(ctx)
		defer flush()
		ctx, end := tracing.Begin(ctx, ev.RouteKey)
		defer end()
		defer func() {
			if p := recover(); p != nil {
				slog.ErrorContext(ctx, "handler panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				resp, err = errorResponse(ctx, req.RequestID, fmt.Errorf("panic: %v", p)), nil
			}
			slog.InfoContext(ctx, "request", "method", req.Method, "status", resp.StatusCode, "ms", time.Since(start).Milliseconds())
		}()
		if rerr != nil {
			return errorResponse(ctx, req.RequestID, rerr), nil
		}
		out, herr := serve(ctx, routes, req)
		if herr != nil {
			return errorResponse(ctx, req.RequestID, herr), nil
		}
		return response(ctx, out), nil
	}
}

func serve(ctx context.Context, routes Routes, req *Request) (Response, error) {
	route, ok := routes[req.RouteKey]
	if !ok {
		return Response{}, apperr.New(apperr.NotFound, "no route %s", req.RouteKey)
	}
	// The authorizer lets every request with an Authorization header through and
	// says in its context whether the key was good, so a bad key gets the SPEC
	// error body here instead of API Gateway's bare 403.
	if req.Principal.TenantID == "" || !req.Principal.Role.Valid() {
		return Response{}, apperr.New(apperr.Unauthenticated, "missing, malformed, unknown or revoked API key")
	}
	if !slices.Contains(route.Roles, req.Principal.Role) {
		return Response{}, apperr.New(apperr.Forbidden, "role %s may not call %s", req.Principal.Role, req.RouteKey)
	}
	// Every route, whether it reads a body or not (SPEC §4.6).
	if err := req.CheckBodySize(); err != nil {
		return Response{}, err
	}
	return route.Handler(ctx, req)
}

func response(ctx context.Context, out Response) events.APIGatewayV2HTTPResponse {
	resp := events.APIGatewayV2HTTPResponse{StatusCode: out.Status, Headers: map[string]string{}}
	for k, v := range out.Headers {
		resp.Headers[k] = v
	}
	if out.Body != nil {
		b, err := json.Marshal(out.Body)
		if err != nil {
			slog.ErrorContext(ctx, "encode response", "error", err)
			return errorResponse(ctx, "", err)
		}
		resp.Body = string(b)
		resp.Headers["Content-Type"] = "application/json"
	}
	return resp
}

func errorResponse(ctx context.Context, requestID string, err error) events.APIGatewayV2HTTPResponse {
	p := ProblemOf(err)
	switch {
	case p.Status >= 500:
		slog.ErrorContext(ctx, "request failed", "status", p.Status, "code", p.Detail.Code, "error", logx.ErrorText(err))
	case p.Detail.CRMError != nil:
		// The CRM's status and code tell an operator why; its message may
		// echo record values and goes only to the caller.
		slog.InfoContext(ctx, "request refused by the CRM", "status", p.Status, "code", p.Detail.Code,
			"crmStatus", p.Detail.CRMError.Status, "crmCode", p.Detail.CRMError.Code, "error", logx.ErrorText(err))
	default:
		slog.InfoContext(ctx, "request refused", "status", p.Status, "code", p.Detail.Code, "field", p.Detail.Field)
	}
	b, _ := json.Marshal(ErrorBody{Error: p.Detail, RequestID: requestID})
	return events.APIGatewayV2HTTPResponse{StatusCode: p.Status, Headers: p.Headers(), Body: string(b)}
}
