package report

import "github.com/capscore/capscore/internal/testfix"

// fixture loads the bundled rubric and the named assessments.
var fixture = testfix.Fixture
