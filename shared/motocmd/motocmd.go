// Package motocmd is the one way crmflow starts moto: through motoserial.py
// (moto's own application with DynamoDB requests answered one at a time,
// atomic as DynamoDB's conditional writes are) when the python3 on PATH has
// moto, else moto_server as it is. The tests (shared/internal/mototest),
// the local run (scripts/devserver) and scripts/lib.sh all use it, so none
// of them meets the race where two conditional writes both win.
package motocmd

import (
	_ "embed"
	"errors"
	"os/exec"
	"strconv"
)

//go:embed motoserial.py
var serialScript string

// ErrNoMoto explains what to install.
var ErrNoMoto = errors.New(`moto_server not found: it serves DynamoDB, SQS and Secrets Manager locally; install it with: pip install "moto[server]"`)

// Command returns the command that serves moto on host:port, not started.
func Command(host string, port int) (*exec.Cmd, error) {
	p := strconv.Itoa(port)
	if py, err := exec.LookPath("python3"); err == nil && exec.Command(py, "-c", "import moto.moto_server.werkzeug_app").Run() == nil {
		return exec.Command(py, "-c", serialScript, host, p), nil
	}
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return nil, ErrNoMoto
	}
	return exec.Command(bin, "-H", host, "-p", p), nil
}
