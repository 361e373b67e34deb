package crmhttp

import (
	"context"
	"net/http"

	"github.com/crmflow/crmflow/shared/crm"
)

// RetryUnauthorized runs attempt, which sends one request and returns the
// answer with the cached token it was sent with ("" for credentials that
// cannot be refreshed). When the CRM answers 401 to a cached token, that
// token is dropped from tokens and attempt runs once more, with a fresh one.
// Any other answer, 401s to static credentials included, is returned as is.
func RetryUnauthorized(tokens *TokenCache, attempt func() (*Reply, string, error)) (*Reply, error) {
	r, tok, err := attempt()
	if err == nil && r.Status == http.StatusUnauthorized && tok != "" {
		tokens.Invalidate(tok)
		r, _, err = attempt()
	}
	return r, err
}

// CachedToken returns the token in tokens, fetching one when there is none.
// A failure that is not already a crm.Error (the caller's deadline, say) is
// mapped by TransportError for op.
func CachedToken(ctx context.Context, tokens *TokenCache, op string, fetch func(context.Context) (Token, error)) (string, error) {
	tok, err := tokens.Get(ctx, fetch)
	if err != nil {
		if _, ok := crm.AsError(err); ok {
			return "", err
		}
		return "", TransportError(op, err)
	}
	return tok, nil
}
