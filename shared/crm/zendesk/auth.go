package zendesk

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/crmflow/crmflow/shared/crm"
	"github.com/crmflow/crmflow/shared/crm/crmhttp"
	"github.com/crmflow/crmflow/shared/crm/crmtext"
)

// credential returns the Authorization header for the next request and,
// with client credentials, the token in it (so a 401 can drop exactly it).
func (c *connector) credential(ctx context.Context) (header, token string, err error) {
	if c.static != "" {
		return c.static, "", nil
	}
	tok, err := crmhttp.CachedToken(ctx, &c.tokens, "zendesk: get token", c.fetchToken)
	if err != nil {
		return "", "", err
	}
	return "Bearer " + tok, tok, nil
}

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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.tokenURL, bytes.NewReader(payload))
	if err != nil {
		return crmhttp.Token{}, &crm.Error{Code: crm.InvalidArgument, Op: op, Message: "cannot build the token request"}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return crmhttp.Token{}, crmhttp.TransportError(op, err)
	}
	b, err := crmhttp.ReadBody(resp)
	if err != nil {
		return crmhttp.Token{}, crmhttp.TransportError(op, err)
	}
	var tr struct {
		AccessToken      string      `json:"access_token"`
		ExpiresIn        json.Number `json:"expires_in"`
		Error            string      `json:"error"`
		ErrorDescription string      `json:"error_description"`
	}
	_ = json.Unmarshal(b, &tr)
	if resp.StatusCode != http.StatusOK {
		e := apiError(op, resp.StatusCode, resp.Header, b, c.now())
		if tr.Error != "" {
			e.CRMCode, e.Message = tr.Error, crmtext.Truncate(crmtext.OneLine(tr.ErrorDescription), maxMessage)
		}
		if resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized {
			// A refused client is a configuration problem, not a bad request.
			e.Code, e.Retryable = crm.Unauthenticated, false
		}
		return crmhttp.Token{}, e
	}
	if tr.AccessToken == "" || !printable.MatchString(tr.AccessToken) {
		return crmhttp.Token{}, &crm.Error{Code: crm.Internal, Op: op, Status: resp.StatusCode, Message: "Zendesk answered without an access token"}
	}
	tok := crmhttp.Token{Value: tr.AccessToken}
	if secs, err := tr.ExpiresIn.Int64(); err == nil && secs > 0 {
		tok.Expires = c.now().Add(time.Duration(secs) * time.Second)
	}
	return tok, nil
}
