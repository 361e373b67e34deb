package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
)

// call makes one API call for command c and prints its answer: the API's
// JSON with --json, else what human makes of it.
func (r *runner) call(ctx context.Context, c *command, method, path string, q url.Values, body any, human func(*Response) error) error {
	resp, err := r.do(ctx, c, method, path, q, body)
	if err != nil {
		return err
	}
	return r.show(resp, human)
}

// do makes one API call. An API error's body goes to stdout with --json,
// so a script reads the code as it came.
func (r *runner) do(ctx context.Context, c *command, method, path string, q url.Values, body any) (*Response, error) {
	cl, err := r.api(c.name)
	if err != nil {
		return nil, err
	}
	resp, err := cl.Do(ctx, method, path, q, body)
	if err != nil {
		r.jsonError(err)
		return nil, err
	}
	return resp, nil
}

// show prints an answer: as it came with --json, else through human.
func (r *runner) show(resp *Response, human func(*Response) error) error {
	if r.g.json {
		return printJSON(r.env.Stdout, resp.Body)
	}
	return human(resp)
}

func (r *runner) jsonError(err error) {
	var api *APIError
	if r.g.json && errors.As(err, &api) {
		_ = printJSON(r.env.Stdout, api.Body)
	}
}

// decode reads an answer into v; an answer that does not fit is an error
// naming the call, not a silent empty table.
func decode(resp *Response, v any) error {
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return fmt.Errorf("the API's answer does not read as expected: %w", err)
	}
	return nil
}

// fileFlag is -f: a JSON file, or "-" for stdin.
func fileFlag(fs *flag.FlagSet) *string {
	return fs.String("f", "", "the JSON body to send: a file, or - for stdin")
}

// readBody reads the -f file and checks it is one JSON object, so a typo is
// a usage error here rather than a 400 there.
func (r *runner) readBody(cmd, file string) (json.RawMessage, error) {
	if file == "" {
		return nil, usagef(cmd, "%s needs -f <file.json> (or -f - for stdin)", cmd)
	}
	var (
		raw []byte
		err error
	)
	if file == "-" {
		raw, err = io.ReadAll(io.LimitReader(r.env.Stdin, maxBody))
	} else {
		raw, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, usagef(cmd, "-f %s: %v", file, err)
	}
	raw = bytes.TrimSpace(raw)
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, usagef(cmd, "-f %s: not a JSON object: %v", file, err)
	}
	return raw, nil
}
