// Package rubrics embeds the bundled rubric so the binary works from any folder.
package rubrics

import "embed"

// Default is the file name of the bundled rubric within FS.
const Default = "iiss-seven-pillars.yaml"

// FS holds the bundled rubric files.
//
//go:embed *.yaml
var FS embed.FS
