package oracle

import (
	"net/http"
)

// agentWebPage stands in for the Agent Browser UI that screen pops open:
// the record to show is in the URL fragment (#/{resource}/{id}), which the
// page reads itself.
const agentWebPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Oracle B2C Service sandbox</title></head>
<body><h1>Oracle B2C Service sandbox</h1><p id="record">No record selected.</p>
<script>
const r = location.hash.replace(/^#\//, "");
if (r) { document.getElementById("record").textContent = "Record " + r; }
</script></body></html>
`

func (s *Server) handleAgentWeb(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(agentWebPage))
}
