// Package assessments embeds the bundled assessments so the binary works
// from any folder.
package assessments

import "embed"

// FS holds the bundled assessments, one folder per country.
//
//go:embed */*.yaml
var FS embed.FS
