package motocmd

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCommandServesMoto: the command Command builds answers moto's API, and
// where python3 has moto it is the serializing script, not moto_server.
func TestCommandServesMoto(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd, err := Command("127.0.0.1", port)
	if errors.Is(err, ErrNoMoto) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(cmd.Path, "python3") && (len(cmd.Args) != 5 || cmd.Args[1] != "-c" || cmd.Args[2] != serialScript) {
		t.Fatalf("python3 runs %q, not the serializing script", cmd.Args[:2])
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() }()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(port) + "/moto-api/"); err == nil {
			resp.Body.Close()
			return
		}
	}
	t.Fatal("moto did not answer within 30 s")
}
