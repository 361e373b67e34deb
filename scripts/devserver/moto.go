package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"time"

	"github.com/crmflow/crmflow/shared/motocmd"
)

// moto is a running moto (motocmd.Command). It stays in our process group, so a Ctrl-C
// in the terminal reaches it too; stop ends it in any case.
type moto struct {
	cmd      *exec.Cmd
	endpoint string
}

func startMoto(ctx context.Context) (*moto, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd, err := motocmd.Command("127.0.0.1", port)
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start moto: %w", err)
	}
	m := &moto{cmd: cmd, endpoint: "http://127.0.0.1:" + strconv.Itoa(port)}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(m.endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return m, nil
		}
		select {
		case <-ctx.Done():
			m.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	m.stop()
	return nil, errors.New("moto did not answer within 30 s")
}

func (m *moto) stop() {
	if m.cmd.Process != nil {
		_ = m.cmd.Process.Kill()
		_, _ = m.cmd.Process.Wait()
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
