package crmhttp

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// NewClient returns the one http.Client a warm Lambda shares across all CRM
// calls: bounded connect and header timeouts, keep-alive, and no redirects to a
// different host (a CRM never needs one, and following it could leak the
// Authorization header or reach an internal address).
func NewClient() *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 3 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   3 * time.Second,
		ResponseHeaderTimeout: 25 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: tr, Timeout: 28 * time.Second, CheckRedirect: SameHostRedirects}
}

// ErrRedirectOtherHost is returned when a CRM answer redirects to another host.
var ErrRedirectOtherHost = errors.New("redirect to another host refused")

// SameHostRedirects allows at most 3 redirects, all to the original host and scheme.
func SameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return errors.New("too many redirects")
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		return fmt.Errorf("%w: %s", ErrRedirectOtherHost, req.URL.Host)
	}
	return nil
}

// MaxBody bounds how much of a CRM answer a driver reads.
const MaxBody = 8 << 20

// ReadBody reads and closes a response body, refusing more than MaxBody bytes.
func ReadBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxBody {
		return nil, fmt.Errorf("response larger than %d bytes", MaxBody)
	}
	return b, nil
}

// RetryAfter parses a Retry-After header given in seconds or as an HTTP date.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	var secs int
	if _, err := fmt.Sscanf(v, "%d", &secs); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
