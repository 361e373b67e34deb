package servicenow

import (
	"html/template"
	"net/http"
	"strings"
)

// recordPage is a bare stand-in for the classic UI form, so that a screen
// pop (nav_to.do?uri=incident.do?sys_id=…) opens something in the local
// demo. A real instance would ask the agent to log in first.
var recordPage = template.Must(template.New("record").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}} | ServiceNow sandbox</title>
<style>body{font:14px sans-serif;margin:2em}th{text-align:left;padding-right:2em;color:#555}td,th{padding:.2em}</style></head>
<body><h1>{{.Title}}</h1><p>{{.Table}}</p><table>{{range .Columns}}<tr><th>{{.Name}}</th><td>{{.Value}}</td></tr>{{end}}</table></body></html>
`))

type pageColumn struct{ Name, Value string }

// handleRecordPage serves GET /nav_to.do?uri={table}.do?sys_id={sys_id}.
func (s *Server) handleRecordPage(w http.ResponseWriter, r *http.Request) {
	uri := r.URL.Query().Get("uri")
	table, rest, _ := strings.Cut(uri, ".do?")
	id := strings.TrimPrefix(rest, "sys_id=")
	s.mu.Lock()
	_, ok := s.sc[table]
	var row map[string]string
	if ok {
		row, ok = s.lookup(table, id)
	}
	var page struct {
		Title, Table string
		Columns      []pageColumn
	}
	if ok {
		page.Table = row["sys_class_name"]
		class := s.sc[page.Table]
		page.Title = row[class.display]
		for _, name := range s.sc.columnNames(class) {
			if v, _, _ := s.resolve(class, row, name); v != "" {
				page.Columns = append(page.Columns, pageColumn{Name: name, Value: v})
			}
		}
	}
	s.mu.Unlock()
	if !ok {
		http.Error(w, "Record not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = recordPage.Execute(w, page)
}
