package dynamics

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

// defaultTokenLifetime is used when Entra's answer carries no expires_in.
const defaultTokenLifetime = time.Hour

// fetchToken runs the client credentials grant against Microsoft Entra ID
// for the environment's .default scope.
func (c *connector) fetchToken(ctx context.Context) (crmhttp.Token, error) {
	const op = "dynamics: get token"
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {c.cfg.Auth.ClientID},
		"client_secret": {c.cfg.Credentials.ClientSecret}, "scope": {c.scope}}
	resp, err := crmhttp.Do(ctx, c.api.HTTP, c.cfg.Timeout, crmhttp.Request{Op: op, Method: http.MethodPost, URL: c.tokenURL,
		Body: []byte(form.Encode()), Header: crmhttp.FormContent})
	if err != nil {
		return crmhttp.Token{}, err
	}
	if resp.Status != http.StatusOK {
		return crmhttp.Token{}, tokenError(op, resp.Status, resp.Header, resp.Body)
	}
	var tr struct {
		AccessToken string          `json:"access_token"`
		TokenType   string          `json:"token_type"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	if err := json.Unmarshal(resp.Body, &tr); err != nil || tr.AccessToken == "" || (tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "Bearer")) {
		return crmhttp.Token{}, &crm.Error{Code: crm.Internal, Op: op, Status: resp.Status, Message: "token endpoint answered without a bearer token"}
	}
	return crmhttp.Token{Value: tr.AccessToken, Expires: c.now().Add(lifetime(tr.ExpiresIn))}, nil
}

// lifetime reads expires_in, which Entra sends as a number (older endpoints
// as a string of digits).
func lifetime(raw json.RawMessage) time.Duration {
	var n json.Number
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			n = json.Number(s)
		}
	} else {
		_ = json.Unmarshal(raw, &n)
	}
	secs, err := n.Int64()
	if err != nil || secs <= 0 {
		return defaultTokenLifetime
	}
	return time.Duration(secs) * time.Second
}

// tokenError maps an Entra refusal ({"error","error_description":"AADSTS…"})
// to Unauthenticated; throttling and outages stay retryable.
func tokenError(op string, status int, h http.Header, body []byte) error {
	var oe struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &oe)
	e := &crm.Error{Code: crm.Unauthenticated, Op: op, Status: status, CRMCode: oe.Error, Message: http.StatusText(status)}
	if oe.Description != "" {
		// The first line holds the AADSTS code and reason; trace ids follow.
		e.Message, _, _ = strings.Cut(oe.Description, "\r\n")
		e.Message = crmtext.Truncate(strings.TrimSpace(e.Message), maxMessage)
	}
	if code := crm.StatusCode(status); code.Retryable() {
		e.Code, e.Retryable = code, true
		e.RetryAfter = crmhttp.RetryAfter(h, time.Now())
	}
	return e
}
