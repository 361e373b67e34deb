package zendesk

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// fetchToken runs the client credentials grant: POST /oauth/tokens with the
// JSON body Zendesk documents. Zendesk tokens do not expire unless
// expires_in is asked for or answered; the cache then keeps them until a
// 401.
func (c *connector) fetchToken(ctx context.Context) (crmhttp.Token, error) {
	const op = "zendesk: get token"
	body := map[string]any{"grant_type": "client_credentials", "client_id": c.cfg.Auth.ClientID,
		"client_secret": c.cfg.Credentials.ClientSecret}
	scope := c.cfg.Auth.Scope
	if scope == "" {
		scope = "read write"
	}
	body["scope"] = scope
	payload, _ := json.Marshal(body)
	// No per-request timeout: the token cache bounds the fetch (30 s).
	resp, err := crmhttp.Do(ctx, c.api.HTTP, 0, crmhttp.Request{Op: op, Method: http.MethodPost, URL: c.tokenURL, Body: payload})
	if err != nil {
		return crmhttp.Token{}, err
	}
	var tr struct {
		AccessToken      string      `json:"access_token"`
		ExpiresIn        json.Number `json:"expires_in"`
		Error            string      `json:"error"`
		ErrorDescription string      `json:"error_description"`
	}
	_ = json.Unmarshal(resp.Body, &tr)
	if resp.Status != http.StatusOK {
		e := apiError(op, resp.Status, resp.Header, resp.Body, c.now())
		if tr.Error != "" {
			e.CRMCode, e.Message = tr.Error, crmtext.Truncate(crmtext.OneLine(tr.ErrorDescription), maxMessage)
		}
		if resp.Status == http.StatusBadRequest || resp.Status == http.StatusUnauthorized {
			// A refused client is a configuration problem, not a bad request.
			e.Code, e.Retryable = crm.Unauthenticated, false
		}
		return crmhttp.Token{}, e
	}
	if tr.AccessToken == "" || !printable.MatchString(tr.AccessToken) {
		return crmhttp.Token{}, &crm.Error{Code: crm.Internal, Op: op, Status: resp.Status, Message: "Zendesk answered without an access token"}
	}
	tok := crmhttp.Token{Value: tr.AccessToken}
	if secs, err := tr.ExpiresIn.Int64(); err == nil && secs > 0 {
		tok.Expires = c.now().Add(time.Duration(secs) * time.Second)
	}
	return tok, nil
}
