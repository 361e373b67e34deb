package servicenow

import (
	"encoding/json"
	"net/http"
	"strings"
)

// apiError is the Table API's failure answer:
// {"error":{"message","detail"},"status":"failure"}, detail possibly null.
type apiError struct {
	status  int
	message string
	detail  *string
}

func (e *apiError) Error() string { return e.message }

func failure(status int, message string, detail ...string) *apiError {
	e := &apiError{status: status, message: message}
	if len(detail) > 0 {
		e.detail = &detail[0]
	}
	return e
}

func unauthenticated() *apiError {
	return failure(http.StatusUnauthorized, "User Not Authenticated", "Required to provide Auth information")
}

func noRecord() *apiError {
	return failure(http.StatusNotFound, "No Record found", "Record doesn't exist or ACL restricts the record retrieval")
}

func invalidTable(name string) *apiError {
	return failure(http.StatusBadRequest, "Invalid table "+name)
}

func badURI() *apiError {
	return failure(http.StatusBadRequest, "Requested URI does not represent any resource")
}

func badBody() *apiError {
	return failure(http.StatusBadRequest, "Exception while reading request", "The payload is not valid JSON.")
}

func badParameter(name string) *apiError {
	return failure(http.StatusBadRequest, "Invalid value for parameter "+name)
}

func methodNotSupported() *apiError {
	return failure(http.StatusMethodNotAllowed, "Method not Supported", "Requested method is not supported by this resource")
}

// dataPolicy is what a data policy making a column mandatory answers to a
// web service insert that leaves it empty.
func dataPolicy(column string) *apiError {
	label := strings.ReplaceAll(strings.TrimPrefix(column, "u_"), "_", " ")
	if label != "" {
		label = strings.ToUpper(label[:1]) + label[1:]
	}
	return failure(http.StatusForbidden, "Operation Failed", "Data Policy Exception: \n\tThe following fields are mandatory: "+label+"\n")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `BASIC realm="Service-now"`)
	}
	writeJSON(w, e.status, map[string]any{"error": map[string]any{"message": e.message, "detail": e.detail}, "status": "failure"})
}
