package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// printJSON writes an API body indented, as it came otherwise (key order,
// numbers). An empty body (204) prints nothing.
func printJSON(w io.Writer, raw []byte) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		// Not JSON: pass it on as it is rather than hide it.
		_, err := fmt.Fprintln(w, string(raw))
		return err
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}

// table writes rows under a header with tabwriter: columns two spaces apart.
type table struct {
	tw *tabwriter.Writer
}

func newTable(w io.Writer, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)}
	if len(header) > 0 {
		t.row(header...)
	}
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = oneLine(c)
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

// oneLine keeps a cell on its line: CRM messages and names may hold newlines
// and tabs, which would break the columns.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\r\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// orDash shows an empty cell as "-" so columns stay readable.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// printFields writes a JSON object as a two-column table of dotted paths
// and values (auth.type  oauth2_client_credentials), for reading one item.
func printFields(w io.Writer, raw []byte) error {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("the API answered something that is not JSON: %w", err)
	}
	t := newTable(w)
	flatten("", v, func(k, val string) { t.row(k, val) })
	return t.flush()
}

func flatten(prefix string, v any, emit func(k, v string)) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if len(keys) == 0 && prefix != "" {
			emit(prefix, "{}")
		}
		for _, k := range keys {
			flatten(join(prefix, k), x[k], emit)
		}
	case []any:
		if len(x) == 0 {
			emit(prefix, "[]")
		}
		for i, e := range x {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), e, emit)
		}
	case nil:
		emit(prefix, "null")
	default:
		emit(prefix, fmt.Sprint(x))
	}
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// progress is the one line on stderr that long work updates. On a terminal
// it redraws in place and is cleared at the end; elsewhere (a log, a pipe)
// each update is a line of its own.
type progress struct {
	w        io.Writer
	terminal bool
	last     string
}

func (p *progress) update(format string, args ...any) {
	p.last = fmt.Sprintf(format, args...)
	if p.terminal {
		fmt.Fprintf(p.w, "\r\033[K%s", p.last)
		return
	}
	fmt.Fprintln(p.w, p.last)
}

// Write lets warnings pass above the progress line without mangling it.
func (p *progress) Write(b []byte) (int, error) {
	if p.terminal && p.last != "" {
		fmt.Fprint(p.w, "\r\033[K")
		defer fmt.Fprintf(p.w, "%s", p.last)
	}
	return p.w.Write(b)
}

func (p *progress) done() {
	if p.terminal && p.last != "" {
		fmt.Fprint(p.w, "\r\033[K")
	}
	p.last = ""
}
