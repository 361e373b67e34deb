package crmhttp

import (
	"context"
	"errors"
	"net"
	"net/url"

	"github.com/crmflow/crmflow/shared/crm"
)

// TransportError turns a failed round trip (no CRM answer) into a portable error:
// deadline → DeadlineExceeded, refused redirect → Internal (502: the CRM answered
// something crmflow will not follow; not retried), anything else Unavailable.
func TransportError(op string, err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &crm.Error{Code: crm.DeadlineExceeded, Retryable: true, Op: op, Message: "CRM did not answer in time", Err: err}
	case errors.Is(err, context.Canceled):
		return &crm.Error{Code: crm.DeadlineExceeded, Retryable: true, Op: op, Message: "request cancelled", Err: err}
	case errors.Is(err, ErrRedirectOtherHost):
		return &crm.Error{Code: crm.Internal, Op: op, Message: "CRM redirected to another host", Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &crm.Error{Code: crm.DeadlineExceeded, Retryable: true, Op: op, Message: "CRM did not answer in time", Err: err}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// The URL can carry query values; keep only the operation and cause.
		return &crm.Error{Code: crm.Unavailable, Retryable: true, Op: op, Message: "CRM unreachable", Err: ue.Err}
	}
	return &crm.Error{Code: crm.Unavailable, Retryable: true, Op: op, Message: "CRM unreachable", Err: err}
}
