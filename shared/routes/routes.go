// Package routes is the one table of HTTP routes and the functions serving
// them. The local gateway and the CDK stack both read it, so a route added here
// exists in both. It has no dependencies on purpose: infra/ imports it.
package routes

// Function names: one directory under functions/ and one Lambda each.
const (
	Authorizer  = "authorizer"
	Admin       = "admin"
	Search      = "search"
	Create      = "create"
	Update      = "update"
	Enqueue     = "enqueue"
	Card        = "card"
	Timeline    = "timeline"    // SQS consumer of the timeline queue
	Memorialize = "memorialize" // SQS consumer of the memorialization queue
	Web         = "web"         // the agent page and the OpenAPI document: static, no key, no AWS access
)

// HTTPFunctions serve API routes; QueueFunctions consume SQS queues.
var (
	HTTPFunctions  = []string{Admin, Search, Create, Update, Enqueue, Card, Web}
	QueueFunctions = []string{Timeline, Memorialize}
	AllFunctions   = []string{Authorizer, Admin, Search, Create, Update, Enqueue, Card, Timeline, Memorialize, Web}
)

// CRMOnRequestPath functions call a CRM while a request waits: Studio's
// search, create and update (a live call or chat) and admin's configuration
// test. Their Lambda timeout sits above the CRM deadline and below API
// Gateway's 30 s integration limit.
var CRMOnRequestPath = map[string]bool{Search: true, Create: true, Update: true, Admin: true}

// Throttled functions serve the routes Studio scripts call; each tenant has
// its own rate limit there (CRMFLOW_TENANT_RATE, CRMFLOW_TENANT_BURST).
var Throttled = map[string]bool{Search: true, Create: true, Update: true, Enqueue: true}

// Route is one API Gateway route key, the function serving it and who may call it.
type Route struct {
	Method   string
	Path     string // API Gateway syntax: /v1/contacts/{contactId}/card
	Function string
	// Roles are the key roles that may call the route (store.Role values:
	// platform, admin, studio, agent); the function refuses any other with
	// 403. Nil only for Public routes.
	Roles []string
	// CORS marks routes the agent's card UI calls from a browser.
	CORS bool
	// Public routes take no key: the authorizer does not run (the agent
	// page's static files and the OpenAPI document).
	Public bool
}

// Key is the API Gateway route key, "GET /v1/jobs/{jobId}".
func (r Route) Key() string { return r.Method + " " + r.Path }

// Who may call what (SPEC §3).
var (
	platformOnly = []string{"platform"}
	keyManagers  = []string{"platform", "admin"}
	adminOnly    = []string{"admin"}
	studioOnly   = []string{"studio"}
	cardReaders  = []string{"studio", "agent"}
	agentOnly    = []string{"agent"}
	// jobOperators (read, list and retry jobs): an operator with the admin
	// key, or the Studio integration that queued the job.
	jobOperators = []string{"admin", "studio"}
)

// All is every API route.
var All = []Route{
	{"POST", "/v1/tenants", Admin, platformOnly, false, false},
	{"GET", "/v1/tenants/{tenantId}/keys", Admin, keyManagers, false, false},
	{"POST", "/v1/tenants/{tenantId}/keys", Admin, keyManagers, false, false},
	{"DELETE", "/v1/tenants/{tenantId}/keys/{keyId}", Admin, keyManagers, false, false},
	{"GET", "/v1/configurations", Admin, adminOnly, false, false},
	{"PUT", "/v1/configurations/{configurationId}", Admin, adminOnly, false, false},
	{"GET", "/v1/configurations/{configurationId}", Admin, adminOnly, false, false},
	{"DELETE", "/v1/configurations/{configurationId}", Admin, adminOnly, false, false},
	{"POST", "/v1/configurations/{configurationId}/test", Admin, adminOnly, false, false},
	{"GET", "/v1/configurations/{configurationId}/workflows", Admin, adminOnly, false, false},
	{"PUT", "/v1/configurations/{configurationId}/workflows/{workflowId}", Admin, adminOnly, false, false},
	{"GET", "/v1/configurations/{configurationId}/workflows/{workflowId}", Admin, adminOnly, false, false},
	{"DELETE", "/v1/configurations/{configurationId}/workflows/{workflowId}", Admin, adminOnly, false, false},
	{"GET", "/v1/configurations/{configurationId}/data-mappings", Admin, adminOnly, false, false},
	{"PUT", "/v1/configurations/{configurationId}/data-mappings/{dataMappingId}", Admin, adminOnly, false, false},
	{"GET", "/v1/configurations/{configurationId}/data-mappings/{dataMappingId}", Admin, adminOnly, false, false},
	{"DELETE", "/v1/configurations/{configurationId}/data-mappings/{dataMappingId}", Admin, adminOnly, false, false},
	{"GET", "/v1/configurations/{configurationId}/dynamic-data-mappings", Admin, adminOnly, false, false},
	{"PUT", "/v1/configurations/{configurationId}/dynamic-data-mappings/{dynamicDataMappingId}", Admin, adminOnly, false, false},
	{"GET", "/v1/configurations/{configurationId}/dynamic-data-mappings/{dynamicDataMappingId}", Admin, adminOnly, false, false},
	{"DELETE", "/v1/configurations/{configurationId}/dynamic-data-mappings/{dynamicDataMappingId}", Admin, adminOnly, false, false},
	{"POST", "/v1/workflows/search", Search, studioOnly, false, false},
	{"POST", "/v1/workflows/create", Create, studioOnly, false, false},
	{"POST", "/v1/workflows/update", Update, studioOnly, false, false},
	{"POST", "/v1/workflows/timeline", Enqueue, studioOnly, false, false},
	{"POST", "/v1/workflows/datamemorialization", Enqueue, studioOnly, false, false},
	{"GET", "/v1/contacts/{contactId}/card", Card, cardReaders, true, false},
	{"PUT", "/v1/contacts/{contactId}/pins/{entity}/{recordId}", Card, agentOnly, true, false},
	{"DELETE", "/v1/contacts/{contactId}/pins/{entity}/{recordId}", Card, agentOnly, true, false},
	{"GET", "/v1/jobs/{jobId}", Card, jobOperators, false, false},
	{"GET", "/v1/jobs", Card, jobOperators, false, false},
	{"POST", "/v1/jobs/{jobId}/retry", Enqueue, jobOperators, false, false},
	{"GET", "/v1/openapi.yaml", Web, nil, false, true},
	{"GET", "/agent", Web, nil, false, true},
	{"GET", "/agent/{file}", Web, nil, false, true},
}

// Lookup returns the route of a route key ("GET /v1/jobs/{jobId}").
func Lookup(key string) (Route, bool) {
	for _, r := range All {
		if r.Key() == key {
			return r, true
		}
	}
	return Route{}, false
}

// Needs are the environment variables each function requires at cold start
// (beyond the optional ones).
var Needs = map[string][]string{
	Authorizer:  {EnvTable},
	Admin:       {EnvTable, EnvSecretPrefix},
	Search:      {EnvTable, EnvSecretPrefix},
	Create:      {EnvTable, EnvSecretPrefix},
	Update:      {EnvTable, EnvSecretPrefix},
	Enqueue:     {EnvTable, EnvTimelineQueue, EnvMemorializeQueue},
	Card:        {EnvTable, EnvSecretPrefix},
	Timeline:    {EnvTable, EnvSecretPrefix},
	Memorialize: {EnvTable, EnvSecretPrefix},
	Web:         nil,
}

// Environment variables the functions read (set by the stack and by ./scripts/dev).
const (
	EnvTable            = "CRMFLOW_TABLE"
	EnvStage            = "CRMFLOW_STAGE"
	EnvTimelineQueue    = "CRMFLOW_TIMELINE_QUEUE_URL"
	EnvMemorializeQueue = "CRMFLOW_MEMORIALIZE_QUEUE_URL"
	EnvSecretPrefix     = "CRMFLOW_SECRET_PREFIX"     // always starts with "crmflow/"
	EnvLocal            = "CRMFLOW_LOCAL"             // "1": plain http on loopback allowed for CRM hosts
	EnvAWSEndpoint      = "CRMFLOW_AWS_ENDPOINT"      // local only: moto_server URL for every AWS client
	EnvCacheTTL         = "CRMFLOW_CACHE_TTL"         // bounded TTL of configuration caches, e.g. "60s"
	EnvPlatformKey      = "CRMFLOW_PLATFORM_KEY"      // local only: the bootstrap platform key
	EnvMaxReceiveCount  = "CRMFLOW_MAX_RECEIVE_COUNT" // consumers: the job queues' redrive maxReceiveCount
	// Studio-facing functions: each tenant's steady requests per second and
	// burst, per warm instance (infra context tenantRate, tenantBurst). A
	// rate of 0 turns the per-tenant throttle off.
	EnvTenantRate  = "CRMFLOW_TENANT_RATE"
	EnvTenantBurst = "CRMFLOW_TENANT_BURST"
)

// Match finds the route for a method and a concrete path, returning the path
// parameters by name. It is what the local gateway uses in place of API Gateway.
func Match(method, path string) (Route, map[string]string, bool) {
	segs := split(path)
	for _, r := range All {
		if r.Method != method {
			continue
		}
		params, ok := matchPath(split(r.Path), segs)
		if ok {
			return r, params, true
		}
	}
	return Route{}, nil, false
}

// PathExists reports whether any method serves path (405 rather than 404).
func PathExists(path string) bool {
	segs := split(path)
	for _, r := range All {
		if _, ok := matchPath(split(r.Path), segs); ok {
			return true
		}
	}
	return false
}

func matchPath(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if len(p) > 2 && p[0] == '{' && p[len(p)-1] == '}' {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[p[1:len(p)-1]] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}

func split(path string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(path); i++ {
		if i == len(path) || path[i] == '/' {
			if i > start {
				out = append(out, path[start:i])
			}
			start = i + 1
		}
	}
	return out
}
