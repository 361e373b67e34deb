package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/crmflow/crmflow/shared/admin"
	"github.com/crmflow/crmflow/shared/crm"
	sbtable "github.com/crmflow/crmflow/shared/sandbox/sandboxes"
)

// sandbox is a CRM sandbox served on loopback, with the configuration the
// demo creates for it.
type sandbox struct {
	crm     crm.Type
	handler http.Handler
	url     string
	srv     *http.Server
	// config returns the demo configuration for a sandbox at url.
	config func(url string) admin.ConfigurationInput
}

// sandboxes starts one sandbox of each CRM in the sandbox table.
func sandboxes() []*sandbox {
	out := make([]*sandbox, 0, len(sbtable.All))
	for _, e := range sbtable.All {
		out = append(out, &sandbox{crm: e.CRM, handler: e.Start().Handler, config: e.Config})
	}
	return out
}

func (s *sandbox) start(port int) error {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil && port != 0 {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return err
	}
	s.url = "http://" + l.Addr().String()
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the gateway's health check reports a dead sandbox through failed calls
		}
	}()
	return nil
}

func (s *sandbox) stop(ctx context.Context) {
	if s.srv != nil {
		_ = s.srv.Shutdown(ctx)
	}
}
