// Package htmlreport writes the self-contained HTML report of `capscore
// report`: the view models of every section, the SVG charts drawn from
// the engine's numbers, the templates and the content security policy.
// The local server's page uses its charts and panel views, so the page and
// the report it serves show the same things the same way.
package htmlreport
