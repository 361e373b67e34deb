package servicenow

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// defaultTokenLifetime is used when the token answer carries no expires_in
// (ServiceNow's default access token lifespan is 1800 s).
const defaultTokenLifetime = 30 * time.Minute

// fetchToken runs the client credentials grant against /oauth_token.do,
// which takes a form body only.
func (c *connector) fetchToken(ctx context.Context) (crmhttp.Token, error) {
	const op = "servicenow: get token"
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.cfg.Auth.ClientID},
		"client_secret": {c.cfg.Credentials.ClientSecret}}
	resp, err := crmhttp.Do(ctx, c.api.HTTP, c.cfg.Timeout, crmhttp.Request{Op: op, Method: http.MethodPost, URL: c.tokenURL,
		Body: []byte(form.Encode()), Header: crmhttp.FormContent})
	if err != nil {
		return crmhttp.Token{}, err
	}
	if resp.Status != http.StatusOK {
		return crmhttp.Token{}, tokenError(op, resp.Status, resp.Header, resp.Body, c.now())
	}
	var tr struct {
		AccessToken string      `json:"access_token"`
		TokenType   string      `json:"token_type"`
		ExpiresIn   json.Number `json:"expires_in"`
	}
	if err := json.Unmarshal(resp.Body, &tr); err != nil || tr.AccessToken == "" || (tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "Bearer")) {
		return crmhttp.Token{}, &crm.Error{Code: crm.Internal, Op: op, Status: resp.Status, Message: "token endpoint answered without a bearer token"}
	}
	life := defaultTokenLifetime
	if secs, err := tr.ExpiresIn.Int64(); err == nil && secs > 0 {
		life = time.Duration(secs) * time.Second
	}
	return crmhttp.Token{Value: tr.AccessToken, Expires: c.now().Add(life)}, nil
}

// tokenError maps a refused grant ({"error","error_description"}) to
// Unauthenticated; throttling and outages stay retryable.
func tokenError(op string, status int, h http.Header, body []byte, now time.Time) error {
	var oe struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &oe)
	e := &crm.Error{Code: crm.Unauthenticated, Op: op, Status: status, CRMCode: oe.Error, Message: http.StatusText(status)}
	if oe.Description != "" {
		e.Message = crmtext.Truncate(oe.Description, maxMessage)
	}
	if code := crm.StatusCode(status); code.Retryable() {
		e.Code, e.Retryable = code, true
		e.RetryAfter = crmhttp.RetryAfter(h, now)
	}
	return e
}
