package handlers

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crmflow/crmflow/shared/httpapi"
	"github.com/crmflow/crmflow/shared/ids"
	"github.com/crmflow/crmflow/shared/logx"
	"github.com/crmflow/crmflow/shared/store"
	"github.com/crmflow/crmflow/shared/tracing"
)

// Authorizer is the HTTP API Lambda authorizer (simple responses). It hashes
// the bearer key and looks the hash up. It always lets the request through
// and says in the context who called: an empty tenantId means the key was
// missing, malformed, unknown or revoked, and the function answers 401 with
// the SPEC error body (API Gateway's own deny would be a bare 403).
// API Gateway caches the answer per Authorization header for its TTL, which is
// why a deleted key keeps working in AWS for up to that TTL (SPEC §3).
func Authorizer(keys store.Keys) func(context.Context, events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
	return func(ctx context.Context, ev events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
		ctx = logx.With(logx.Invocation(ctx), "requestId", ev.RequestContext.RequestID, "route", ev.RouteKey)
		ctx, end := tracing.Begin(ctx, "authorize")
		defer end()
		anonymous := events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: true, Context: map[string]any{
			httpapi.CtxTenantID: "", httpapi.CtxRole: "", httpapi.CtxKeyID: ""}}
		key, ok := bearer(ev.Headers["authorization"])
		if !ok {
			slog.InfoContext(ctx, "key refused", "reason", "missing or malformed")
			return anonymous, nil
		}
		lookup, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		k, err := keys.KeyByHash(lookup, ids.HashKey(key))
		switch {
		case errors.Is(err, store.ErrNotFound):
			slog.InfoContext(ctx, "key refused", "reason", "unknown or revoked")
			return anonymous, nil
		case err != nil:
			// Failing closed: an error here must not let anyone in, and
			// returning it makes API Gateway answer 500 rather than cache a deny.
			slog.ErrorContext(ctx, "key lookup failed", "error", err.Error())
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{}, err
		}
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: true, Context: map[string]any{
			httpapi.CtxTenantID: k.TenantID, httpapi.CtxRole: string(k.Role), httpapi.CtxKeyID: k.ID}}, nil
	}
}

// bearer takes the key out of "Bearer <key>" and checks its shape.
func bearer(h string) (string, bool) {
	scheme, key, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	key = strings.TrimSpace(key)
	return key, ids.LooksLikeKey(key)
}
